"""What participants see and hear: announcements, the leaderboard, breakdowns, winners."""

import json
import math
from collections.abc import Callable

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, flt, fmt_money, formatdate, get_datetime

from selfservice_portal.contests.judging import audience_condition, context_for
from selfservice_portal.contests.lifecycle import parts_of, period_end_date, period_text
from selfservice_portal.contests.metrics import get_metric
from selfservice_portal.contests.ranking import HIGHEST, LOWEST, SUM_OF_RANKS, WEIGHTED
from selfservice_portal.notifications import in_each_language
from selfservice_portal.permissions import is_admin

TOP = 10


def audience_users(contest) -> list[str]:
	sql, params = audience_condition(contest)
	return frappe.db.sql_list(
		f"SELECT name FROM `tabUser` WHERE enabled = 1 AND {sql.format(user='name')}", params
	)


def is_participant(contest, user: str) -> bool:
	"""Whether ``user`` belongs to the audience of ``contest`` (or of a poll, which shares the model)."""
	if contest.audience_type == "All Portal Users":
		# The same rule as audience_condition, read from the cached user: no query per contest.
		account = frappe.get_cached_value("User", user, ["user_type", "enabled"]) if user else None
		return bool(account) and account[0] == "Website User" and bool(account[1])
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
		if n.combine_rule:
			lines.extend(combined_lines(contest, n))
			continue
		metric = get_metric(n.metric)
		floor = _("To be ranked you need {0}.").format(floor_text(n, metric)) if n.eligibility_floor else ""
		sentences = (f"{n.nomination_title}: {metric.description}", floor, tie_sentence(n))
		lines.append(" ".join(t for t in sentences if t))
	return lines


# ---------------------------------------------------------------- combined nominations


def part_text(part, metric, rule: str) -> str:
	"""'Ratings given (at least 3 ratings, weight 2)': one metric of a combined nomination."""
	conditions = []
	if part.eligibility_floor:
		conditions.append(floor_text(part, metric))
	if part.direction == LOWEST:
		conditions.append(_("the lowest wins"))
	if rule == WEIGHTED:
		conditions.append(_("weight {0}").format(format_number(part.weight or 1)))
	return _("{0} ({1})").format(metric.label, ", ".join(conditions)) if conditions else metric.label


def rule_text(contest, nomination) -> str:
	"""The combination rule in words, with each metric's floor (and weight)."""
	parts = "; ".join(
		part_text(p, get_metric(p.metric), nomination.combine_rule) for p in parts_of(contest, nomination)
	)
	if nomination.combine_rule == SUM_OF_RANKS:
		return _(
			"Ranked by the sum of ranks in: {0}. Everyone must meet every floor; the lowest sum wins and ties "
			"go to the better worst rank."
		).format(parts)
	return _(
		"Ranked by a weighted score over: {0}. Each score counts as a share of the best score in the field, "
		"times its weight; everyone must meet every floor and the highest total wins."
	).format(parts)


def tie_sentence(nomination) -> str:
	"""How a tie is settled (for a combined nomination, one the worst rank left)."""
	earlier = nomination.tie_rule == "Earlier Achiever Wins"
	if nomination.combine_rule:
		return (
			_("Any tie left: the earlier achiever wins.") if earlier else _("Any tie left shares the place.")
		)
	return _("Ties: the earlier achiever wins.") if earlier else _("Tied participants share the place.")


def combined_lines(contest, nomination) -> list[str]:
	"""The announcement of a combined nomination: its rule, then what each of its metrics counts."""
	lines = [f"{nomination.nomination_title}: {rule_text(contest, nomination)} {tie_sentence(nomination)}"]
	for p in parts_of(contest, nomination):
		metric = get_metric(p.metric)
		lines.append(f"{nomination.nomination_title} — {metric.label}: {metric.description}")
	return lines


def nomination_metric(contest, nomination) -> tuple[str, str]:
	"""(what measures it, how) as a nomination card shows them."""
	if not nomination.combine_rule:
		metric = get_metric(nomination.metric)
		return metric.label, metric.description
	metrics = [get_metric(p.metric) for p in parts_of(contest, nomination)]
	description = " ".join(
		[rule_text(contest, nomination), *(f"{m.label}: {m.description}" for m in metrics)]
	)
	return " + ".join(m.label for m in metrics), description


def nomination_score_text(nomination, metric, score) -> str:
	"""A standing's score: the metric's figure, or a combined nomination's sum of ranks or points."""
	if nomination.combine_rule == SUM_OF_RANKS:
		return _("sum of ranks {0}").format(format_number(score))
	if nomination.combine_rule == WEIGHTED:
		return _("{0} points").format(format_number(score))
	return format_score(score, metric.unit)


def combined_missing_text(contest, nomination, mine) -> str:
	"""Which metrics of a combined nomination keep the caller from being ranked."""
	parts = {p.metric: p for p in parts_of(contest, nomination)}
	if not mine:
		return _("To be ranked you need every one of: {0}.").format(
			"; ".join(part_text(p, get_metric(p.metric), "") for p in parts.values())
		)
	breakdown = json.loads(
		frappe.db.get_value(
			"SSP Contest Standing",
			{"contest": contest.name, "nomination_key": nomination.nomination_key, "user": mine.user},
			"breakdown",
		)
		or "{}"
	)
	missing = []
	for part in breakdown.get("parts") or []:
		row, metric = parts.get(part["metric"]), get_metric(part["metric"])
		if row and not part["meets_floor"]:
			missing.append(
				_("{0}: you have {1} {2}; {3} are needed").format(
					metric.label, format_number(part["base"]), metric.floor_unit, floor_text(row, metric)
				)
			)
		elif row and (row.direction or HIGHEST) == HIGHEST and not flt(part["score"]):
			missing.append(_("{0}: nothing of yours has counted yet").format(metric.label))
	return _("Every metric must count: {0}.").format("; ".join(missing)) if missing else ""


def notify(
	users: list[str], subject: str, message: str, contest: str, document_type: str = "SSP Contest"
) -> None:
	"""Desk notification to each user and, when the site can send mail, one e-mail (background job).
	``contest`` is the record the notification links to (a contest, or a poll of ``document_type``)."""
	for user in users:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": document_type,
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
			reference_doctype=document_type,
			reference_name=contest,
		)


def notify_audience(doc, compose: Callable[[Document], tuple[str, list[str]]]) -> None:
	"""Tell everyone in the audience of ``doc`` (a contest, or a poll) in a background job, each in
	their own language: ``compose(doc)`` is called once per language and returns the subject and the
	lines of the message (empty lines are left out)."""
	frappe.enqueue(
		notify_in_each_language,
		queue="long",
		doctype=doc.doctype,
		name=doc.name,
		compose=compose,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
	)


def notify_in_each_language(
	doctype: str, name: str, compose: Callable[[Document], tuple[str, list[str]]]
) -> None:
	doc = frappe.get_doc(doctype, name)
	for group in in_each_language(audience_users(doc)):
		subject, lines = compose(doc)
		message = "".join(f"<p>{escape_html(line)}</p>" for line in lines if line)
		notify(group, subject, message, doc.name, doc.doctype)


def announcement(contest) -> tuple[str, list[str]]:
	subject = _("New contest: {0}, from {1} to {2}").format(
		contest.title,
		frappe.utils.format_datetime(contest.starts_on),
		frappe.utils.format_datetime(contest.ends_on),
	)
	return subject, [contest.title, *nomination_lines(contest)]


def notify_audience_of_announcement(contest) -> None:
	notify_audience(contest, announcement)


def winners_message(contest) -> tuple[str, list[str]]:
	winners = frappe.get_all(
		"SSP Badge Award",
		filters={"contest": contest.name, "status": "Active"},
		fields=["user", "nomination_title", "tier", "place"],
		order_by="nomination_title, place",
	)
	lines = [
		_("{0}: {1} — {2}").format(w.nomination_title, frappe.utils.get_fullname(w.user), _(w.tier))
		for w in winners
	]
	return _("Winners of {0}").format(contest.title), lines


def announce_winners(contest) -> None:
	notify_audience(contest, winners_message)


def get_leaderboard(contest, user: str) -> dict:
	is_manager = is_admin(user)
	check_may_see(contest, user, is_manager)
	visibility = contest.leaderboard_visibility
	nominations = []
	for n in contest.nominations:
		metric = get_metric(n.metric) if not n.combine_rule else None
		label, description = nomination_metric(contest, n)
		rows = frappe.get_all(
			"SSP Contest Standing",
			filters={"contest": contest.name, "nomination_key": n.nomination_key},
			fields=["user", "score", "base", "rank", "place", "is_eligible", "review_status"],
			order_by="rank asc",
		)
		mine = next((r for r in rows if r.user == user), None)
		ranked = [r for r in rows if r.is_eligible and r.rank]
		shows_top = visibility == "Top of Each Nomination and Own Rank" or is_manager
		# Sliced first: a name is looked up for the rows shown only.
		top = [
			{
				"name": frappe.utils.get_fullname(r.user),
				"score": r.score,
				"score_text": nomination_score_text(n, metric, r.score),
				"rank": r.rank,
				"place": r.place,
				"is_me": r.user == user,
			}
			for r in (ranked[:TOP] if shows_top else [])
		]
		nominations.append(
			{
				"key": n.nomination_key,
				"title": n.nomination_title,
				"metric": label,
				"description": description,
				"places": n.places,
				"floor": n.eligibility_floor or 0,
				"top": top,
				"note": "" if top else board_note(contest, n, metric, bool(rows), bool(ranked), shows_top),
				"me": {
					"score": mine.score,
					"score_text": nomination_score_text(n, metric, mine.score),
					"rank": mine.rank,
					"is_eligible": bool(mine.is_eligible),
				}
				if mine
				else None,
				# Without any standing the note says it all (nobody scored, or not judged yet).
				"me_text": own_standing_text(contest, n, metric, mine) if rows else "",
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


# ---------------------------------------------------------------- figures and sentences for people


def format_number(value) -> str:
	"""3.0 → '3', 2.5 → '2.5', 1234 → '1,234' (the site's number format), never a trailing '.0'."""
	value = round(flt(value), 2)
	precision = 0 if value == int(value) else 1 if round(value, 1) == value else 2
	return fmt_money(value, precision=precision)


def format_score(score, unit: str) -> str:
	"""A share (0 to 1) as a whole percentage — 0.3333 → '33 %' —, anything else as a plain number."""
	if unit == "%":
		# Half up (12.5 % → 13 %), as people and MariaDB round.
		return _("{0} %").format(format_number(math.floor(flt(score) * 100 + 0.5)))
	return format_number(score)


def floor_text(nomination, metric) -> str:
	return _("at least {0} {1}").format(format_number(nomination.eligibility_floor), metric.floor_unit)


def board_note(contest, nomination, metric, has_rows: bool, has_ranked: bool, shows_top: bool) -> str:
	"""Why a nomination's leaderboard is empty, and what happens next."""
	status = contest.status
	refresh = _("Standings are refreshed every hour while the contest runs.") if status == "Running" else ""
	if not shows_top and has_ranked:
		return _("This contest shows each participant only their own rank.")
	if not has_rows:
		if status == "Running":
			return _("Nobody has scored yet.") + " " + refresh
		if status == "Judging" and not contest.judged_on:
			return _("Not judged yet: the final standings appear once the contest has been judged.")
		return _("Nobody took part in this nomination.")
	if nomination.combine_rule:
		if status == "Awarded":
			return _("Nobody qualified: everyone had to meet every floor of this nomination.")
		text = _("Nobody qualifies yet: everyone must meet every floor of this nomination.")
		return f"{text} {refresh}".strip()
	floor = nomination.eligibility_floor
	if status == "Awarded":
		if floor:
			return _("Nobody qualified: {0} were needed to be ranked.").format(floor_text(nomination, metric))
		return _("Nobody scored in this nomination.")
	if floor:
		text = _("Nobody qualifies yet: {0} are needed to be ranked.").format(floor_text(nomination, metric))
	else:
		text = _("Nobody has scored yet.")
	return f"{text} {refresh}".strip()


def own_standing_text(contest, nomination, metric, mine) -> str:
	"""The caller's line on a nomination card: their rank and score, or why they are not ranked and how
	to get in (the floor; what counts is the metric's description on the same card)."""
	if mine and mine.is_eligible and mine.rank:
		return _("You are ranked {0} with {1}.").format(
			mine.rank, nomination_score_text(nomination, metric, mine.score)
		)
	over = contest.status == "Awarded"
	if mine and mine.review_status == "Disqualified":
		return _("You were disqualified in this nomination after a fair-play review.")
	if over:
		head = _("You were not ranked in this nomination.")
	else:
		head = _("You are not ranked in this nomination yet.")
	floor = nomination.eligibility_floor
	if nomination.combine_rule:
		why = combined_missing_text(contest, nomination, mine)
		if not mine:
			nothing = _("Nothing of yours counted.") if over else _("Nothing of yours has counted so far.")
			why = f"{nothing} {why}"
	elif mine and floor and flt(mine.base) < flt(floor):
		why = _("You have {0} {1}; {2} are needed.").format(
			format_number(mine.base), metric.floor_unit, floor_text(nomination, metric)
		)
	elif mine:
		why = _("Nothing of yours has counted so far.") if not over else ""
	else:
		why = _("Nothing of yours has counted so far.") if not over else _("Nothing of yours counted.")
		if floor:
			why += " " + _("To be ranked you need {0}.").format(floor_text(nomination, metric))
	return " ".join(t for t in (head, why) if t)


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
	ctx = context_for(contest)
	if nomination.combine_rule:
		records = []
		for part in parts_of(contest, nomination):
			metric = get_metric(part.metric)
			records.extend({**r, "metric": metric.label} for r in metric.records(ctx, user))
	else:
		records = get_metric(nomination.metric).records(ctx, user)
	breakdown = json.loads(standing.breakdown or "{}") if standing else {}
	for part in breakdown.get("parts") or []:
		part["label"] = get_metric(part["metric"]).label
	return {
		"nomination": nomination.nomination_title,
		"rule": rule_text(contest, nomination) if nomination.combine_rule else None,
		"standing": {**standing, "breakdown": breakdown} if standing else None,
		"records": [{**r, "reason": _(r["reason"]) if r["reason"] else None} for r in records],
		"period": [get_datetime(contest.starts_on), get_datetime(contest.ends_on)],
	}


def status_text(contest) -> str:
	"""Where the contest stands, in words, with its dates in the site's format."""
	start, end = get_datetime(contest.starts_on), period_end_date(contest.starts_on, contest.ends_on)
	if contest.status == "Announced":
		return _("Starts on {0}. The leaderboard opens once it is running.").format(formatdate(start))
	if contest.status == "Running":
		return _(
			"Running until {0}. Standings are refreshed every hour; the final ranking follows the end."
		).format(formatdate(end))
	if contest.status == "Judging":
		return _(
			"Ended on {0}. The results are being checked; the winners are announced when badges are awarded."
		).format(formatdate(end))
	if contest.status == "Awarded" and contest.awarded_on:
		return _("Winners announced on {0}.").format(formatdate(get_datetime(contest.awarded_on)))
	return ""


def page_entry(contest, user: str) -> dict:
	"""One contest as /contests shows it to ``user`` (a participant, or a manager)."""
	board = get_leaderboard(contest, user) if contest.status != "Announced" else None
	winners = (
		frappe.get_all(
			"SSP Badge Award",
			filters={"contest": contest.name, "status": "Active"},
			fields=["user", "nomination_title", "tier", "place"],
			order_by="nomination_title, place",
		)
		if contest.status == "Awarded"
		else []
	)
	for w in winners:
		w.full_name = frappe.utils.get_fullname(w.user)  # names, never e-mail addresses
	return {
		"doc": contest,
		"period": period_text(contest.starts_on, contest.ends_on),
		"status_text": status_text(contest),
		"board": board,
		"rules": [(n.nomination_title, *nomination_metric(contest, n)) for n in contest.nominations],
		"winners": winners,
	}


def contests_of(user: str, filters: dict, limit: int) -> list:
	"""The newest ``limit`` contests matching ``filters`` whose audience includes ``user``: the audience
	is checked before the limit, so older contests of one's own are not crowded out by others'."""
	found, start, page = [], 0, 100
	while len(found) < limit and start < 1000:
		names = frappe.get_all(
			"SSP Contest", filters=filters, pluck="name", order_by="starts_on desc", start=start, limit=page
		)
		for name in names:
			doc = frappe.get_doc("SSP Contest", name)
			if is_participant(doc, user):
				found.append(doc)
				if len(found) == limit:
					break
		if len(names) < page:
			break
		start += page
	return found
