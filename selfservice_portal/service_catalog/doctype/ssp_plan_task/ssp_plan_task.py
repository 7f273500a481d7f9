# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document


class SSPPlanTask(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		answer_fields: DF.SmallText | None
		date_field: DF.Data | None
		department: DF.Link
		description: DF.SmallText | None
		offset_days: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		task_id: DF.Data | None
		task_label: DF.Data
		waits_for: DF.SmallText | None
	# end: auto-generated types
	"""Validated by its SSP Service (service_catalog/plans.py checks the plan as a whole)."""
