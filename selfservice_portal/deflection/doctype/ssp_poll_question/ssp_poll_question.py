# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from selfservice_portal.deflection.polls import has_answers


class SSPPollQuestion(Document):
	def on_trash(self) -> None:
		self.guard_answered()

	def guard_answered(self) -> None:
		"""A question deleted on its own (``frappe.client.delete``) never runs the poll's validate."""
		if self.parenttype == "SSP Poll" and self.parent and has_answers(self.parent):
			frappe.throw(_("Poll {0} has answers: its questions can no longer change").format(self.parent))
