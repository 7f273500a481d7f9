# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document


class SSPChannel(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		channel_name: DF.Data
		description: DF.SmallText | None
		is_enabled: DF.Check
		is_self_service: DF.Check
		sort_order: DF.Int
	# end: auto-generated types
	pass
