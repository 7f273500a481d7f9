# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class SSPPollResponse(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from selfservice_portal.deflection.doctype.ssp_poll_answer.ssp_poll_answer import SSPPollAnswer

		answers: DF.Table[SSPPollAnswer]
		poll: DF.Link
		respondent_key: DF.Data
		user: DF.Link | None
	# end: auto-generated types
	"""Written by deflection.polls.submit_answers only (a direct insert that checks the poll, the
	audience and every answer); every other door — /api/resource, Desk, frappe.client — is refused."""

	def validate(self) -> None:
		self.refuse_other_doors()

	def on_trash(self) -> None:
		self.refuse_other_doors()

	def refuse_other_doors(self) -> None:
		frappe.throw(
			_("Poll answers are given on the portal's poll page and cannot be changed"),
			frappe.PermissionError,
		)


def on_doctype_update() -> None:
	# "One answer per person and poll" is the database's job: a second or concurrent submission fails.
	frappe.db.add_unique(
		"SSP Poll Response", ["poll", "respondent_key"], constraint_name="ssp_poll_answer_once"
	)
