# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document

from selfservice_portal.deflection import polls


class SSPPoll(Document):
	def onload(self):
		self.set_onload("responses", polls.response_count(self.name))

	def validate(self):
		polls.set_question_keys(self)
		polls.validate_questions(self)
		polls.validate_period(self)
		polls.guard_status(self)
		polls.guard_frozen(self)

	def on_trash(self):
		polls.guard_deletion(self)
		polls.delete_responses(self)
