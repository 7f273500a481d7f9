# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document


class SSPDailyStat(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		channel: DF.Link | None
		closed_tickets: DF.Int
		confirmed_deflections: DF.Int
		contacts: DF.Int
		department: DF.Link | None
		inferred_deflections: DF.Int
		kb_journeys: DF.Int
		pending_journeys: DF.Int
		rated_tickets: DF.Int
		reclassified_tickets: DF.Int
		stat_date: DF.Date
		tickets: DF.Int
		tickets_after_kb: DF.Int
		tickets_after_reading: DF.Int
	# end: auto-generated types
	pass
