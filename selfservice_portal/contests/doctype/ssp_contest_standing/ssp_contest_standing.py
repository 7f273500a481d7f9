# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, now_datetime

from selfservice_portal.contests.lifecycle import JUDGING

REVIEW_DECISIONS = ("Cleared", "Disqualified")


class SSPContestStanding(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		achieved_on: DF.Datetime | None
		base: DF.Float
		breakdown: DF.JSON | None
		contest: DF.Link
		counted_records: DF.Int
		excluded_records: DF.Int
		flag_reasons: DF.SmallText | None
		is_eligible: DF.Check
		is_flagged: DF.Check
		nomination_key: DF.Data
		nomination_title: DF.Data | None
		participant_name: DF.Data | None
		place: DF.Int
		rank: DF.Int
		result: DF.Data | None
		review_reason: DF.SmallText | None
		review_status: DF.Literal["Not Needed", "Pending", "Cleared", "Disqualified"]
		reviewed_by: DF.Link | None
		reviewed_on: DF.Datetime | None
		score: DF.Float
		sort_key: DF.Data | None
		user: DF.Link
	# end: auto-generated types
	"""Written by contests.judging; reviews go through ``review`` (audited), called by
	contests.awards.review_standing, which ranks the nomination again."""

	def review(self, decision: str, reason: str, user: str) -> None:
		"""Clear or disqualify the participant in this nomination; the Version and a comment on the
		contest say who decided what, when and why."""
		self.check_review(decision, reason, user)
		self.update(
			{
				"review_status": decision,
				"review_reason": reason,
				"reviewed_by": user,
				"reviewed_on": now_datetime(),
			}
		)
		self.save(ignore_permissions=True, ignore_version=False)  # the Version is the audit trail, tests too
		frappe.get_doc("SSP Contest", self.contest).add_comment(
			"Info",
			_("{0} set {1} to {2} in {3}: {4}").format(
				frappe.utils.get_fullname(user),
				self.user,
				_(decision),
				self.nomination_title,
				reason or "-",
			),
		)

	def check_review(self, decision: str, reason: str, user: str) -> None:
		"""A known decision, a reason for a disqualification, nobody reviewing themselves, and only
		while the contest is being judged."""
		if decision not in REVIEW_DECISIONS:
			frappe.throw(_("Decision must be Cleared or Disqualified"))
		if decision == "Disqualified" and not (reason or "").strip():
			frappe.throw(_("Please give the reason for the disqualification"))
		if self.user == user:
			frappe.throw(
				_("You cannot review your own standing in {0}: another manager must").format(
					escape_html(self.nomination_title)
				),
				frappe.PermissionError,
			)
		status = frappe.db.get_value("SSP Contest", self.contest, "status")
		if status != JUDGING:
			frappe.throw(
				_("Participants can only be reviewed while the contest is being judged (it is {0})").format(
					_(status)
				)
			)


def on_doctype_update() -> None:
	# One standing per participant and nomination; its prefix serves every query by contest.
	frappe.db.add_unique(
		"SSP Contest Standing", ["contest", "nomination_key", "user"], constraint_name="ssp_one_standing"
	)
	# A leaderboard's top (by rank, then user): read in order, without sorting the whole nomination.
	frappe.db.add_index(
		"SSP Contest Standing", ["contest", "nomination_key", "rank", "user"], index_name="ssp_nomination_top"
	)
