# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document


class SSPApprovalStep(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		approval_rule: DF.Literal["Any of", "All of"]
		approver_role: DF.Link | None
		approver_type: DF.Literal["Requester's Manager", "Department Head", "Role", "User"]
		approver_user: DF.Link | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		step_label: DF.Data | None
	# end: auto-generated types
	pass
