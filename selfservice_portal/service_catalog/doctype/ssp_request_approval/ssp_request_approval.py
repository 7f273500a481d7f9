# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document


class SSPRequestApproval(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		approval_rule: DF.Data | None
		approver: DF.Link | None
		comment: DF.SmallText | None
		decided_by: DF.Link | None
		decided_on: DF.Datetime | None
		decision: DF.Literal["Pending", "Approved", "Rejected", "Skipped"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		step: DF.Int
		step_label: DF.Data | None
	# end: auto-generated types
	pass
