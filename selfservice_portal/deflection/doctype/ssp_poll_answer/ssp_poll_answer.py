# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SSPPollAnswer(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		number: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		poll: DF.Link | None
		question_key: DF.Data | None
		text: DF.SmallText | None
		value: DF.Data | None
	# end: auto-generated types
	"""One answer (one option of a multiple choice) of a poll response; written with its response."""


def on_doctype_update() -> None:
	# Results count answers per question with one GROUP BY each, from the index alone (``number``
	# marks a respondent's first pick of a multiple choice; texts are listed newest first).
	frappe.db.add_index("SSP Poll Answer", ["poll", "question_key", "value", "number", "creation"])
	# The portal-share breakdown joins answers to their response from the index alone.
	frappe.db.add_index("SSP Poll Answer", ["poll", "parent", "question_key", "value"])
	for superseded in ("poll_question_key_value_index", "poll_question_key_value_number_index"):
		if frappe.db.has_index("tabSSP Poll Answer", superseded):
			frappe.db.sql_ddl(f"ALTER TABLE `tabSSP Poll Answer` DROP INDEX `{superseded}`")
