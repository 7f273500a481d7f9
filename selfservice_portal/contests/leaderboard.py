"""What participants see: the leaderboard of a contest, the breakdown of one standing, and the
contests on /contests."""

import json

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, get_datetime

from selfservice_portal.contests.audience import is_participant, visible_contest_names
from selfservice_portal.contests.awards import active_winners
from selfservice_portal.contests.judging import context_for
from selfservice_portal.contests.leaderboard_texts import (
	board_note,
	nomination_metric,
	nomination_score_text,
	own_standing_text,
	period_text,
	rule_text,
	status_text,
)
from selfservice_portal.contests.metric_model import Metric
from selfservice_portal.contests.metrics import get_metric, get_metrics
from selfservice_portal.permissions import is_admin

TOP = 10
PUBLIC_STATUSES = ("Announced", "Running", "Judging", "Awarded")
SHOWS_TOP = "Top of Each Nomination and Own Rank"
BOARD_FIELDS = ["user", "score", "base", "rank", "place", "is_eligible", "review_status"]
BREAKDOWN_FIELDS = [
	"score",
	"rank",
	"place",
	"is_flagged",
	"flag_reasons",
	"review_status",
	"review_reason",
	"breakdown",
]


def get_leaderboard(contest: Document, user: str) -> dict:
	"""Top of each nomination (names only) and ``user``'s own rank and score."""
	is_manager = is_admin(user)
	check_may_see(contest, user, is_manager)
	shows_top = contest.leaderboard_visibility == SHOWS_TOP or is_manager
	metrics = get_metrics()  # the registry once per board, not once per nomination and text
	return {
		"contest": contest.name,
		"title": contest.title,
		"status": contest.status,
		"starts_on": contest.starts_on,
		"ends_on": contest.ends_on,
		"visibility": contest.leaderboard_visibility,
		"nominations": [
			nomination_board(contest, nomination, user, shows_top, metrics)
			for nomination in contest.nominations
		],
	}


def nomination_board(
	contest: Document, nomination: Document, user: str, shows_top: bool, metrics: dict[str, Metric]
) -> dict:
	"""One nomination's card: its top (when the contest shows it), the note when it is empty, and
	``user``'s own line. A nomination may have tens of thousands of standings: the card reads the rows
	it shows and answers "any standing at all?" with a LIMIT 1 query only when those rows do not."""
	metric = get_metric(nomination.metric, metrics) if not nomination.combine_rule else None
	label, description = nomination_metric(contest, nomination, metrics)
	filters = {"contest": contest.name, "nomination_key": nomination.nomination_key}
	ranked = top_standings(filters) if shows_top else []
	mine = next((standing for standing in ranked if standing.user == user), None) or own_standing(
		filters, user
	)
	# An empty top of a board that shows it means nobody is ranked; otherwise ask only if needed.
	has_ranked = bool(ranked or (mine and is_ranked(mine))) or (
		not shows_top and standing_exists(filters, ranked=True)
	)
	has_rows = has_ranked or bool(mine) or standing_exists(filters)
	top = [top_line(nomination, metric, standing, user) for standing in ranked]
	return {
		"key": nomination.nomination_key,
		"title": nomination.nomination_title,
		"metric": label,
		"description": description,
		"places": nomination.places,
		"floor": nomination.eligibility_floor or 0,
		"top": top,
		"note": "" if top else board_note(contest, nomination, metric, has_rows, has_ranked, shows_top),
		"me": own_line(nomination, metric, mine) if mine else None,
		# Without any standing the note says it all (nobody scored, or not judged yet).
		"me_text": own_standing_text(contest, nomination, metric, mine) if has_rows else "",
	}


# The board's reads are frappe.qb queries on the standing's indexes: no DocType meta to load and no
# field list to parse, on a path portal users call all the time.


def standings_of(filters: dict, ranked: bool = False, user: str | None = None) -> tuple:
	"""(query, table) on one nomination's standings (``filters``: its contest and nomination_key),
	only the ranked ones (on a top) or only ``user``'s."""
	standing = frappe.qb.DocType("SSP Contest Standing")
	condition = (standing.contest == filters["contest"]) & (
		standing.nomination_key == filters["nomination_key"]
	)
	if ranked:
		# What puts a standing on a leaderboard's top.
		condition &= (standing.is_eligible == 1) & (standing.rank > 0)
	if user is not None:
		condition &= standing.user == user
	return frappe.qb.from_(standing).where(condition), standing


def top_standings(filters: dict) -> list[dict]:
	"""The first TOP ranked standings; ties in rank keep one order from view to view."""
	query, standing = standings_of(filters, ranked=True)
	return (
		query.select(*BOARD_FIELDS).orderby(standing.rank).orderby(standing.user).limit(TOP).run(as_dict=True)
	)


def own_standing(filters: dict, user: str) -> dict | None:
	"""``user``'s standing, by the unique key (contest, nomination_key, user)."""
	query, _table = standings_of(filters, user=user)
	rows = query.select(*BOARD_FIELDS).limit(1).run(as_dict=True)
	return rows[0] if rows else None


def standing_exists(filters: dict, ranked: bool = False) -> bool:
	query, standing = standings_of(filters, ranked=ranked)
	return bool(query.select(standing.name).limit(1).run())


def is_ranked(standing: dict) -> bool:
	return bool(standing.is_eligible) and (standing.rank or 0) > 0


def top_line(nomination: Document, metric: Metric | None, standing: dict, user: str) -> dict:
	return {
		"name": frappe.utils.get_fullname(standing.user),
		"score": standing.score,
		"score_text": nomination_score_text(nomination, metric, standing.score),
		"rank": standing.rank,
		"place": standing.place,
		"is_me": standing.user == user,
	}


def own_line(nomination: Document, metric: Metric | None, mine: dict) -> dict:
	return {
		"score": mine.score,
		"score_text": nomination_score_text(nomination, metric, mine.score),
		"rank": mine.rank,
		"is_eligible": bool(mine.is_eligible),
	}


def check_may_see(contest: Document, user: str, is_manager: bool) -> None:
	"""Drafts and cancelled contests are the managers'; a contest's figures are its audience's."""
	if contest.status in ("Draft", "Cancelled") and not is_manager:
		frappe.throw(
			_("Contest {0} was not found").format(escape_html(contest.name)), frappe.DoesNotExistError
		)
	if not is_manager and not is_participant(contest, user):
		frappe.throw(_("You are not a participant of this contest"), frappe.PermissionError)


def get_breakdown(contest: Document, nomination_key: str, user: str, viewer: str | None = None) -> dict:
	"""``user``'s records for one nomination, as ``viewer`` (default: ``user``) may see them."""
	viewer = viewer or user
	is_manager = is_admin(viewer)
	check_may_see(contest, viewer, is_manager)
	# check_may_see already asked a participant viewing their own breakdown.
	if (is_manager or viewer != user) and not is_participant(contest, user):
		frappe.throw(
			_("{0} is not a participant of this contest").format(escape_html(user)), frappe.DoesNotExistError
		)
	nomination = next((row for row in contest.nominations if row.nomination_key == nomination_key), None)
	if not nomination:
		frappe.throw(
			_("Nomination {0} was not found").format(escape_html(nomination_key[:140])),
			frappe.DoesNotExistError,
		)
	standing = frappe.db.get_value(
		"SSP Contest Standing",
		{"contest": contest.name, "nomination_key": nomination_key, "user": user},
		BREAKDOWN_FIELDS,
		as_dict=True,
	)
	breakdown = json.loads(standing.breakdown or "{}") if standing else {}
	for part in breakdown.get("parts") or []:
		part["label"] = get_metric(part["metric"]).label
	return {
		"nomination": nomination.nomination_title,
		"rule": rule_text(contest, nomination) if nomination.combine_rule else None,
		"standing": {**standing, "breakdown": breakdown} if standing else None,
		"records": [
			{**record, "reason": _(record["reason"]) if record["reason"] else None}
			for record in nomination_records(contest, nomination, user)
		],
		"period": [get_datetime(contest.starts_on), get_datetime(contest.ends_on)],
	}


def nomination_records(contest: Document, nomination: Document, user: str) -> list[dict]:
	"""Every record of ``user`` a nomination's metrics read, counted or not (a combined nomination's
	records name their metric)."""
	context = context_for(contest)
	if not nomination.combine_rule:
		return get_metric(nomination.metric).records(context, user)
	records = []
	for part in contest.metrics_of(nomination):
		metric = get_metric(part.metric)
		records.extend({**record, "metric": metric.label} for record in metric.records(context, user))
	return records


def page_entry(contest: Document, user: str) -> dict:
	"""One contest as /contests shows it to ``user`` (a participant, or a manager)."""
	board = get_leaderboard(contest, user) if contest.status != "Announced" else None
	metrics = get_metrics()
	winners = active_winners(contest.name) if contest.status == "Awarded" else []
	for winner in winners:
		winner.full_name = frappe.utils.get_fullname(winner.user)  # names, never e-mail addresses
	return {
		"doc": contest,
		"period": period_text(contest.starts_on, contest.ends_on),
		"status_text": status_text(contest),
		"board": board,
		"rules": [
			(nomination.nomination_title, *nomination_metric(contest, nomination, metrics))
			for nomination in contest.nominations
		],
		"winners": winners,
	}


def page_entries(user: str, contest_name: str | None, limit: int) -> list[dict]:
	"""The newest ``limit`` contests announced to ``user`` (or only ``contest_name``), as /contests
	shows them: which ones is one query, so older contests of one's own are not crowded out."""
	names = visible_contest_names(user, PUBLIC_STATUSES, limit, only=contest_name)
	# Frappe's document cache (cleared whenever a contest is saved): the page only reads them.
	return [page_entry(frappe.get_cached_doc("SSP Contest", name), user) for name in names]
