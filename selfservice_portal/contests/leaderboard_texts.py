"""Figures and sentences for people: scores, floors, combination rules, why a leaderboard is empty,
where one stands and where the contest stands — in the reader's language and the site's formats."""

import json
import math
from datetime import date, datetime, time, timedelta

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, fmt_money, formatdate, get_datetime

from selfservice_portal.contests.metric_model import Metric
from selfservice_portal.contests.metrics import get_metric
from selfservice_portal.contests.ranking import HIGHEST, LOWEST, SUM_OF_RANKS, WEIGHTED

Number = float | int | None


def format_number(value: Number) -> str:
	"""3.0 → '3', 2.5 → '2.5', 1234 → '1,234' (the site's number format), never a trailing '.0'."""
	value = round(flt(value), 2)
	precision = 0 if value == int(value) else 1 if round(value, 1) == value else 2
	return fmt_money(value, precision=precision)


def format_score(score: Number, unit: str) -> str:
	"""A share (0 to 1) as a whole percentage — 0.3333 → '33 %' —, anything else as a plain number."""
	if unit == "%":
		# Half up (12.5 % → 13 %), as people and MariaDB round.
		return _("{0} %").format(format_number(math.floor(flt(score) * 100 + 0.5)))
	return format_number(score)


def floor_text(nomination: Document, metric: Metric) -> str:
	"""'at least 3 requests': a nomination's (or a combined metric's) floor."""
	return _("at least {0} {1}").format(format_number(nomination.eligibility_floor), metric.floor_unit)


def part_text(part: Document, metric: Metric, rule: str) -> str:
	"""'Ratings given (at least 3 ratings, weight 2)': one metric of a combined nomination."""
	conditions = []
	if part.eligibility_floor:
		conditions.append(floor_text(part, metric))
	if part.direction == LOWEST:
		conditions.append(_("the lowest wins"))
	if rule == WEIGHTED:
		conditions.append(_("weight {0}").format(format_number(part.weight or 1)))
	return _("{0} ({1})").format(metric.label, ", ".join(conditions)) if conditions else metric.label


def rule_text(contest: Document, nomination: Document) -> str:
	"""The combination rule in words, with each metric's floor (and weight)."""
	parts = "; ".join(
		part_text(part, get_metric(part.metric), nomination.combine_rule)
		for part in contest.metrics_of(nomination)
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


def tie_sentence(nomination: Document) -> str:
	"""How a tie is settled (for a combined nomination, one the worst rank left)."""
	earlier = nomination.tie_rule == "Earlier Achiever Wins"
	if nomination.combine_rule:
		return (
			_("Any tie left: the earlier achiever wins.") if earlier else _("Any tie left shares the place.")
		)
	return _("Ties: the earlier achiever wins.") if earlier else _("Tied participants share the place.")


def nomination_metric(
	contest: Document, nomination: Document, registry: dict[str, Metric] | None = None
) -> tuple[str, str]:
	"""(what measures it, how) as a nomination card shows them; ``registry`` as for get_metric."""
	if not nomination.combine_rule:
		metric = get_metric(nomination.metric, registry)
		return metric.label, metric.description
	metrics = [get_metric(part.metric, registry) for part in contest.metrics_of(nomination)]
	description = " ".join(
		[rule_text(contest, nomination), *(f"{metric.label}: {metric.description}" for metric in metrics)]
	)
	return " + ".join(metric.label for metric in metrics), description


def nomination_score_text(nomination: Document, metric: Metric | None, score: Number) -> str:
	"""A standing's score: the metric's figure, or a combined nomination's sum of ranks or points."""
	if nomination.combine_rule == SUM_OF_RANKS:
		return _("sum of ranks {0}").format(format_number(score))
	if nomination.combine_rule == WEIGHTED:
		return _("{0} points").format(format_number(score))
	return format_score(score, metric.unit)


def combined_missing_text(contest: Document, nomination: Document, mine: dict | None) -> str:
	"""Which metrics of a combined nomination keep the caller from being ranked."""
	parts = {part.metric: part for part in contest.metrics_of(nomination)}
	if not mine:
		return _("To be ranked you need every one of: {0}.").format(
			"; ".join(part_text(part, get_metric(part.metric), "") for part in parts.values())
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


def board_note(
	contest: Document,
	nomination: Document,
	metric: Metric | None,
	has_rows: bool,
	has_ranked: bool,
	shows_top: bool,
) -> str:
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


def own_standing_text(
	contest: Document, nomination: Document, metric: Metric | None, mine: dict | None
) -> str:
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
	return " ".join(text for text in (head, why) if text)


def status_text(contest: Document) -> str:
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


def period_end_date(starts_on: datetime | str, ends_on: datetime | str) -> date:
	"""The last day of a period: an end at midnight closes the day before."""
	start, end = get_datetime(starts_on), get_datetime(ends_on)
	if end.time() == time(0) and end > start:
		end -= timedelta(microseconds=1)
	return end.date()


def period_text(starts_on: datetime | str, ends_on: datetime | str) -> str:
	"""'01-01-2027 to 30-06-2027', in the site's date format."""
	return _("{0} to {1}").format(
		formatdate(get_datetime(starts_on).date()), formatdate(period_end_date(starts_on, ends_on))
	)
