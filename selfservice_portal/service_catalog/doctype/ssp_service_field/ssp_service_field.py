# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document


class SSPServiceField(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		fieldname: DF.Data | None
		fieldtype: DF.Literal[
			"Data", "Text", "Select", "Date", "Date Range", "Number", "Check", "Attach", "User"
		]
		help_text: DF.Data | None
		is_required: DF.Check
		label: DF.Data
		max_value: DF.Data | None
		min_value: DF.Data | None
		options: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
	pass
