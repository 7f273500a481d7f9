# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SSPPollAnswer(Document):
	"""One answer (one option of a multiple choice) of a poll response; written with its response."""


def on_doctype_update():
	# Results count answers per question with one GROUP BY each.
	frappe.db.add_index("SSP Poll Answer", ["poll", "question_key", "value"])
