# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document

from selfservice_portal.deflection import polls


class SSPPollQuestion(Document):
	def on_trash(self):
		polls.guard_question_row_deletion(self)
