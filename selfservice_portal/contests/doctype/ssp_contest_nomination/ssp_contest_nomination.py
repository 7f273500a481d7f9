# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document

from selfservice_portal.contests import lifecycle


class SSPContestNomination(Document):
	def on_trash(self) -> None:
		self.guard_rule_row_deletion()

	def guard_rule_row_deletion(self) -> None:
		lifecycle.guard_rule_row_deletion(self)
