# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document


class SSPMilestone(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		kind: DF.Literal["Portal Launch", "Announcement", "Contest Start", "Award Ceremony", "Other"]
		label: DF.Data
		milestone_date: DF.Date
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
	pass
