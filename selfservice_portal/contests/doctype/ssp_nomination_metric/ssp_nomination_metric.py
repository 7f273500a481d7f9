# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document

from selfservice_portal.contests import lifecycle


class SSPNominationMetric(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		direction: DF.Literal["Highest", "Lowest"]
		eligibility_floor: DF.Float
		metric: DF.Literal[None]
		metric_label: DF.Data | None
		nomination: DF.Data
		nomination_key: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		weight: DF.Float

	# end: auto-generated types
	def on_trash(self) -> None:
		self.guard_rule_row_deletion()

	def guard_rule_row_deletion(self) -> None:
		lifecycle.guard_rule_row_deletion(self)
