# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, escape_html, get_datetime

from selfservice_portal.deflection import polls
from selfservice_portal.deflection.poll_questions import check_questions, question_rules


class SSPPoll(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from selfservice_portal.contests.doctype.ssp_contest_audience.ssp_contest_audience import (
			SSPContestAudience,
		)
		from selfservice_portal.deflection.doctype.ssp_poll_question.ssp_poll_question import SSPPollQuestion

		audience: DF.Table[SSPContestAudience]
		audience_type: DF.Literal["All Portal Users", "Selected Customers and Contacts"]
		closed_on: DF.Datetime | None
		closes_on: DF.Datetime | None
		introduction: DF.SmallText | None
		is_anonymous: DF.Check
		opened_on: DF.Datetime | None
		opens_on: DF.Datetime | None
		questions: DF.Table[SSPPollQuestion]
		status: DF.Literal["Draft", "Open", "Closed"]
		template: DF.Data | None
		title: DF.Data
	# end: auto-generated types
	"""A poll's own rules; its lifecycle, audience and answers are in ``deflection.polls``."""

	def onload(self) -> None:
		self.set_onload("responses", polls.response_count(self.name))

	def validate(self) -> None:
		self.set_question_keys()
		check_questions(self.questions)
		self.validate_period()
		self.guard_status()
		self.guard_frozen()

	def on_trash(self) -> None:
		self.guard_deletion()
		self.delete_responses()

	def set_question_keys(self) -> None:
		"""Answers are filed under a question's key, which survives reordering."""
		for question in self.questions:
			if not question.question_key:
				question.question_key = frappe.generate_hash(length=10)

	def validate_period(self) -> None:
		if self.opens_on and self.closes_on and get_datetime(self.closes_on) <= get_datetime(self.opens_on):
			frappe.throw(_("The poll must close after it opens"))

	def guard_status(self) -> None:
		"""Status moves only through ``polls.transition`` (Actions in Desk, the hourly job)."""
		before = self.get_doc_before_save()
		old = before.status if before else polls.DRAFT
		if self.is_new() and self.status != polls.DRAFT:
			frappe.throw(_("A new poll starts as a draft"))
		if old != self.status and not self.flags.ssp_transition:
			frappe.throw(
				_("Use the poll's actions to change its status from {0} to {1}").format(
					escape_html(_(old)), escape_html(_(self.status) if self.status else "")
				)
			)

	def guard_frozen(self) -> None:
		"""Answers were given to these questions, under this promise of anonymity and to this audience."""
		if self.is_new() or not polls.has_answers(self.name):
			return
		before = self.get_doc_before_save()
		if before and self.answered_rules() != before.answered_rules():
			frappe.throw(
				_(
					"This poll has answers: its questions, their order, anonymity and audience can no longer change."
				),
				title=_("Questions are frozen"),
			)

	def answered_rules(self) -> tuple:
		"""What the answers were given under, comparable between two versions of the poll."""
		return (
			question_rules(self.questions),
			cint(self.is_anonymous),
			self.audience_type,
			tuple(sorted((member.audience_doctype, member.audience_name) for member in self.audience)),
		)

	def guard_deletion(self) -> None:
		if self.status == polls.OPEN:
			frappe.throw(_("Close the poll before deleting it"))

	def delete_responses(self) -> None:
		"""The answers belong to the poll: they go with it (a closed poll's results go too)."""
		frappe.db.delete("SSP Poll Answer", {"poll": self.name})
		frappe.db.delete("SSP Poll Response", {"poll": self.name})
