# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from datetime import datetime

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime

from selfservice_portal.contests import editions, judging, rules
from selfservice_portal.contests.lifecycle import (
	ANNOUNCED,
	AWARDED,
	CANCELLED,
	JUDGING,
	RUNNING,
	TRANSITIONS,
	change_status,
)
from selfservice_portal.contests.metrics import metric_options


class SSPContest(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from selfservice_portal.contests.doctype.ssp_contest_audience.ssp_contest_audience import (
			SSPContestAudience,
		)
		from selfservice_portal.contests.doctype.ssp_contest_nomination.ssp_contest_nomination import (
			SSPContestNomination,
		)
		from selfservice_portal.contests.doctype.ssp_nomination_metric.ssp_nomination_metric import (
			SSPNominationMetric,
		)

		announced_on: DF.Datetime | None
		audience: DF.Table[SSPContestAudience]
		audience_type: DF.Literal["All Portal Users", "Selected Customers and Contacts"]
		awarded_on: DF.Datetime | None
		burst_minutes: DF.Int
		burst_tickets: DF.Int
		daily_ticket_cap: DF.Int
		description: DF.TextEditor | None
		ends_on: DF.Datetime
		energy_points_bronze: DF.Int
		energy_points_gold: DF.Int
		energy_points_silver: DF.Int
		judged_on: DF.Datetime | None
		judging_job: DF.Data | None
		leaderboard_visibility: DF.Literal["Top of Each Nomination and Own Rank", "Own Rank Only", "Hidden"]
		min_ticket_length: DF.Int
		nomination_metrics: DF.Table[SSPNominationMetric]
		nominations: DF.Table[SSPContestNomination]
		outlier_factor: DF.Float
		previous_contest: DF.Link | None
		starts_on: DF.Datetime
		status: DF.Literal["Draft", "Announced", "Running", "Judging", "Awarded", "Cancelled"]
		title: DF.Data

	# end: auto-generated types
	def onload(self) -> None:
		self.set_metric_labels()  # rows saved before labels were stored show them too
		self.set_onload("metrics", metric_options())

	def validate(self) -> None:
		self.validate_period()
		self.set_nomination_keys()
		self.link_nomination_metrics()
		self.set_metric_labels()
		self.validate_nominations()
		self.guard_status()
		self.guard_closed()
		self.guard_frozen_rules()

	def on_trash(self) -> None:
		self.guard_deletion()
		self.delete_standings()

	# ------------------------------------------------------------ rules (contests.rules)

	def validate_period(self) -> None:
		rules.validate_period(self)

	def set_nomination_keys(self) -> None:
		rules.set_nomination_keys(self)

	def link_nomination_metrics(self) -> None:
		rules.link_nomination_metrics(self)

	def set_metric_labels(self) -> None:
		rules.set_metric_labels(self)

	def validate_nominations(self) -> None:
		rules.validate_nominations(self)

	def guard_status(self) -> None:
		rules.guard_status(self)

	def guard_closed(self) -> None:
		rules.guard_closed(self)

	def guard_frozen_rules(self) -> None:
		rules.guard_frozen_rules(self)

	def guard_deletion(self) -> None:
		rules.guard_deletion(self)

	def delete_standings(self) -> None:
		"""A cancelled contest may have interim standings; they are derived data and go with it."""
		frappe.db.delete("SSP Contest Standing", {"contest": self.name})

	def metrics_of(self, nomination: Document) -> list[Document]:
		"""The metric rows of a combined nomination (none for a single-metric one)."""
		if not nomination.combine_rule:
			return []
		return [
			row
			for row in self.get("nomination_metrics") or []
			if row.nomination_key == nomination.nomination_key
		]

	# ------------------------------------------------------------ transitions

	def transition(self, status: str, **values: object) -> None:
		change_status(self, status, TRANSITIONS, _("A contest cannot go from {0} to {1}"), **values)

	def announce(self) -> None:
		"""Tell the audience the rules (the caller notifies it) and freeze them."""
		if not self.nominations:
			frappe.throw(_("Add at least one nomination before announcing"))
		if get_datetime(self.starts_on) <= now_datetime():
			frappe.throw(_("Announce before the start: participants must know the metrics in advance"))
		self.transition(ANNOUNCED, announced_on=now_datetime())

	def start(self) -> None:
		self.transition(RUNNING)

	def close(self) -> None:
		"""The contest has ended: its results are judged, no longer refreshed."""
		self.transition(JUDGING)

	def cancel_contest(self) -> None:
		"""Called off before it ended (not ``cancel``: that is Frappe's, for submitted documents)."""
		self.transition(CANCELLED)

	def mark_awarded(self) -> None:
		self.transition(AWARDED, awarded_on=now_datetime())

	def enqueue_judging(self) -> str:
		return judging.enqueue_judging(self.name)

	def close_and_judge(self) -> str:
		"""A manager's *Judge*: close a running contest whose end has passed, then judge it in the
		background (progress on this form)."""
		if self.status == RUNNING:
			if get_datetime(self.ends_on) > now_datetime():
				frappe.throw(_("The contest runs until {0}; judge it after it ends").format(self.ends_on))
			self.close()
		if self.status != JUDGING:
			frappe.throw(_("Only a finished contest can be judged (this one is {0})").format(_(self.status)))
		return self.enqueue_judging()

	# ------------------------------------------------------------ the next edition (contests.editions)

	def next_edition(self, now: datetime | None = None) -> dict:
		return editions.next_edition(self, now)

	def preview_next(self) -> dict:
		return editions.preview_next(self)

	def draft_next(self, now: datetime | None = None) -> str:
		return editions.draft_next(self, now)
