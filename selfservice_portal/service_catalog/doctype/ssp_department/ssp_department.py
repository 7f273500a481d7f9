# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document


class SSPDepartment(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		department_name: DF.Data
		description: DF.SmallText | None
		hd_team: DF.Link
		head_user: DF.Link | None
		icon: DF.Data | None
		is_enabled: DF.Check
		sort_order: DF.Int
	# end: auto-generated types
	pass
