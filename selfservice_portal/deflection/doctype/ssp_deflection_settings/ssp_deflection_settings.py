# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document


class SSPDeflectionSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from selfservice_portal.deflection.doctype.ssp_channel_cost.ssp_channel_cost import SSPChannelCost
		from selfservice_portal.deflection.doctype.ssp_milestone.ssp_milestone import SSPMilestone

		channel_costs: DF.Table[SSPChannelCost]
		deflection_window_hours: DF.Int
		enable_anonymous_tracking: DF.Check
		event_rate_limit: DF.Int
		first_line_cost: DF.Currency
		journey_gap_minutes: DF.Int
		milestones: DF.Table[SSPMilestone]
		self_service_cost: DF.Currency
		target_monthly_savings: DF.Currency
		target_portal_share: DF.Percent
	# end: auto-generated types
	pass
