"""What participants see and hear: announcements, the leaderboard, breakdowns, winners."""

import json

import frappe
from frappe import _
from frappe.utils import escape_html, get_datetime

from selfservice_portal.contests.judging import audience_condition, context_for
from selfservice_portal.contests.metrics import get_metric
from selfservice_portal.permissions import is_admin

TOP = 10


def audience_users(contest) -> list[str]:
	sql, params = audience_condition(contest)
	return frappe.db.sql_list(
		f"SELECT name FROM `tabUser` WHERE enabled = 1 AND {sql.format(user='name')}", params
	)


def is_participant(contest, user: str) -> bool:
	sql, params = audience_condition(contest)
	return bool(
		frappe.db.sql(
			f"SELECT 1 FROM `tabUser` WHERE name = %(me)s AND {sql.format(user='name')}",
			{**params, "me": user},
		)
	)


def nomination_lines(contest) -> list[str]:
	lines = []
	for n in contest.nominations:
		metric = get_metric(n.metric)
		floor = (
			_(" (at least {0} to be ranked)").format(f"{n.eligibility_floor:g}")
			if n.eligibility_floor
			else ""
		)
		ties = (
			_("ties: the earlier achiever wins")
			if n.tie_rule == "Earlier Achiever Wins"
			else _("ties share the place")
		)
		lines.append(f"{n.nomination_title}: {metric.description}{floor}; {ties}.")
	return lines


def notify(users: list[str], subject: str, message: str, contest: str) -> None:
	"""Desk notification to each user and, when the site can send mail, one e-mail (background job)."""
	for user in users:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": "SSP Contest",
				"document_name": contest,
				"subject": subject,
				"email_content": message,
			}
		).insert(ignore_permissions=True)
	if users and frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}):
		frappe.sendmail(
			recipients=users,
			subject=subject,
			message=message,
			reference_doctype="SSP Contest",
			reference_name=contest,
		)


def notify_audience(contest, subject: str, lines: list[str]) -> None:
	message = "".join(f"<p>{frappe.utils.escape_html(line)}</p>" for line in lines)
	frappe.enqueue(
		notify,
		queue="long",
		users=audience_users(contest),
		subject=subject,
		message=message,
		contest=contest.name,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
	)


def notify_audience_of_announcement(contest) -> None:
	subject = _("New contest: {0}, from {1} to {2}").format(
		contest.title,
		frappe.utils.format_datetime(contest.starts_on),
		frappe.utils.format_datetime(contest.ends_on),
	)
	notify_audience(contest, subject, [contest.title, *nomination_lines(contest)])


def announce_winners(contest) -> None:
	winners = frappe.get_all(
		"SSP Badge Award",
		filters={"contest": contest.name, "status": "Active"},
		fields=["user", "nomination_title", "tier", "place"],
		order_by="nomination_title, place",
	)
	lines = [f"{w.nomination_title}: {frappe.utils.get_fullname(w.user)} — {_(w.tier)}" for w in winners]
	notify_audience(contest, _("Winners of {0}").format(contest.title), lines)


def get_leaderboard(contest, user: str) -> dict:
	is_manager = is_admin(user)
	check_may_see(contest, user, is_manager)
	visibility = contest.leaderboard_visibility
	nominations = []
	for n in contest.nominations:
		rows = frappe.get_all(
			"SSP Contest Standing",
			filters={"contest": contest.name, "nomination_key": n.nomination_key},
			fields=["user", "score", "rank", "place", "is_eligible"],
			order_by="rank asc",
		)
		mine = next((r for r in rows if r.user == user), None)
		top = []
		if visibility == "Top of Each Nomination and Own Rank" or is_manager:
			# Sliced first: a name is looked up for the rows shown only.
			top = [
				{
					"name": frappe.utils.get_fullname(r.user),
					"score": r.score,
					"rank": r.rank,
					"place": r.place,
					"is_me": r.user == user,
				}
				for r in [r for r in rows if r.is_eligible and r.rank][:TOP]
			]
		nominations.append(
			{
				"key": n.nomination_key,
				"title": n.nomination_title,
				"metric": get_metric(n.metric).label,
				"description": get_metric(n.metric).description,
				"places": n.places,
				"top": top if visibility != "Hidden" or is_manager else [],
				"me": {"score": mine.score, "rank": mine.rank, "is_eligible": bool(mine.is_eligible)}
				if mine
				else None,
			}
		)
	return {
		"contest": contest.name,
		"title": contest.title,
		"status": contest.status,
		"starts_on": contest.starts_on,
		"ends_on": contest.ends_on,
		"visibility": visibility,
		"nominations": nominations,
	}


def check_may_see(contest, user: str, is_manager: bool) -> None:
	"""Drafts and cancelled contests are the managers'; a contest's figures are its audience's."""
	if contest.status in ("Draft", "Cancelled") and not is_manager:
		frappe.throw(
			_("Contest {0} was not found").format(escape_html(contest.name)), frappe.DoesNotExistError
		)
	if not is_manager and not is_participant(contest, user):
		frappe.throw(_("You are not a participant of this contest"), frappe.PermissionError)


def get_breakdown(contest, nomination_key: str, user: str, viewer: str | None = None) -> dict:
	"""``user``'s records for one nomination, as ``viewer`` (default: ``user``) may see them."""
	viewer = viewer or user
	is_manager = is_admin(viewer)
	check_may_see(contest, viewer, is_manager)
	# check_may_see already asked a participant viewing their own breakdown.
	if (is_manager or viewer != user) and not is_participant(contest, user):
		frappe.throw(
			_("{0} is not a participant of this contest").format(escape_html(user)), frappe.DoesNotExistError
		)
	nomination = next((n for n in contest.nominations if n.nomination_key == nomination_key), None)
	if not nomination:
		frappe.throw(
			_("Nomination {0} was not found").format(escape_html(nomination_key[:140])),
			frappe.DoesNotExistError,
		)
	standing = frappe.db.get_value(
		"SSP Contest Standing",
		{"contest": contest.name, "nomination_key": nomination_key, "user": user},
		[
			"score",
			"rank",
			"place",
			"is_flagged",
			"flag_reasons",
			"review_status",
			"review_reason",
			"breakdown",
		],
		as_dict=True,
	)
	records = get_metric(nomination.metric).records(context_for(contest), user)
	return {
		"nomination": nomination.nomination_title,
		"standing": {**standing, "breakdown": json.loads(standing.breakdown or "{}")} if standing else None,
		"records": [{**r, "reason": _(r["reason"]) if r["reason"] else None} for r in records],
		"period": [get_datetime(contest.starts_on), get_datetime(contest.ends_on)],
	}
