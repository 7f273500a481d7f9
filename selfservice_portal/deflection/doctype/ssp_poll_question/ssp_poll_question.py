# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from selfservice_portal.deflection.polls import has_answers


class SSPPollQuestion(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		is_required: DF.Check
		kind: DF.Literal["Single Choice", "Multiple Choice", "Rating 1-5", "Likelihood 0-10", "Short Text"]
		options: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		question: DF.SmallText
		question_key: DF.Data | None

	# end: auto-generated types
	def on_trash(self) -> None:
		self.guard_answered()

	def guard_answered(self) -> None:
		"""A question deleted on its own (``frappe.client.delete``) never runs the poll's validate."""
		if self.parenttype == "SSP Poll" and self.parent and has_answers(self.parent):
			frappe.throw(_("Poll {0} has answers: its questions can no longer change").format(self.parent))
