"""Judging: every nomination's scores in one set-based query each, fair-play flags, ranks — stored
as SSP Contest Standing rows (``contests.standings``) so pages never recompute them. Runs as a
background job; its progress shows on the contest's Desk form.
"""

import json
from dataclasses import dataclass
from datetime import datetime

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime

from selfservice_portal.contests import fair_play, ranking
from selfservice_portal.contests.audience import audience_condition
from selfservice_portal.contests.leaderboard_texts import format_score, nomination_score_text
from selfservice_portal.contests.metric_model import Context, Metric, Score
from selfservice_portal.contests.metrics import get_metric
from selfservice_portal.contests.standings import (
	ResultTexts,
	full_names,
	previous_reviews,
	record_stamp,
	standing_row,
	status_unchanged,
	write_standings,
)
from selfservice_portal.contests.ticket_metrics import ticket_rows
from selfservice_portal.deflection.settings import get_rules

Reviews = dict[tuple[str, str], dict]


@dataclass(frozen=True)
class JudgingRun:
	"""What every nomination of one judging reads: the contest, the period's metric context (its
	scores shared between nominations), the previous period's (outliers against one's own history;
	None when the contest looks for no outliers), the bursts found and the reviews already made."""

	contest: Document
	context: Context
	history: Context | None
	bursts: dict[str, datetime]
	reviews: Reviews

	def flags(self, user: str, outliers: dict[str, tuple[str, float]]) -> tuple:
		return self.bursts.get(user), outliers.get(user)

	def review(self, nomination: Document, user: str) -> dict | None:
		return self.reviews.get((nomination.nomination_key, user))


def context_for(
	contest: Document, start: datetime | str | None = None, end: datetime | str | None = None
) -> Context:
	"""What the metrics of ``contest`` are computed over: its period (or ``start`` to ``end``), its
	audience and its fair-play rules."""
	sql, params = audience_condition(contest)
	return Context(
		start=get_datetime(start or contest.starts_on),
		end=get_datetime(end or contest.ends_on),
		audience_sql=sql,
		audience_params=params,
		daily_cap=contest.daily_ticket_cap,
		min_length=contest.min_ticket_length,
		deflection_window_hours=int(get_rules().window.total_seconds() // 3600),
		burst_tickets=int(contest.burst_tickets or 0),
		burst_minutes=int(contest.burst_minutes or 0),
	)


def previous_period(contest: Document) -> tuple[datetime, datetime]:
	start, end = get_datetime(contest.starts_on), get_datetime(contest.ends_on)
	return start - (end - start), start


def burst_flags(context: Context) -> dict[str, datetime]:
	"""Users with ``burst_tickets`` or more tickets inside any ``burst_minutes`` window → when their
	first burst began; found by the scan that scores the ticket metrics (``ticket_metrics``)."""
	if context.burst_tickets <= 1 or context.burst_minutes <= 0:
		return {}
	return {row.user: row.burst_at for row in ticket_rows(context) if row.burst_at}


def metric_scores(metric: Metric, context: Context | None) -> list[Score]:
	"""A metric's scores for a period, computed once per judging run: a combined nomination reuses
	what a single-metric nomination (or another combined one) of the same contest computed."""
	if context is None:
		return []
	key = ("scores", metric.key)
	if key not in context.memo:
		context.memo[key] = metric.scores(context)
	return context.memo[key]


def metric_outliers(run: JudgingRun, metric: Metric) -> dict[str, tuple[str, float]]:
	history = {score.user: score.score for score in metric_scores(metric, run.history)}
	scores = {score.user: score.score for score in metric_scores(metric, run.context)}
	return fair_play.outliers(scores, history, run.contest.outlier_factor or 0)


def judge_nomination(run: JudgingRun, nomination: Document) -> list[dict]:
	"""The standings of one nomination."""
	if nomination.combine_rule:
		return judge_combined(run, nomination)
	metric = get_metric(nomination.metric)
	scores = metric_scores(metric, run.context)
	outliers = metric_outliers(run, metric)
	entries = [
		ranking.Entry(
			score.user,
			score.score,
			score.base,
			score.achieved_on,
			is_disqualified(run.review(nomination, score.user)),
		)
		for score in scores
	]
	ranked = {
		result.user: result
		for result in ranking.rank(
			entries,
			nomination.direction,
			nomination.eligibility_floor or 0,
			nomination.places or 3,
			nomination.tie_rule,
		)
	}
	stamp = record_stamp()
	texts = ResultTexts(run.contest, nomination, lambda score: format_score(score, metric.unit))
	rows = []
	for score in scores:
		result = ranked[score.user]
		values = {
			"result": texts.result(result.rank, score.score),
			"sort_key": texts.sort_key(result.rank),
			"score": score.score,
			"base": score.base,
			"achieved_on": score.achieved_on,
			"counted_records": score.counted,
			"excluded_records": sum(score.not_counted.values()),
			"breakdown": json.dumps({"counted": score.counted, "not_counted": score.not_counted}),
		}
		flags, review = run.flags(score.user, outliers), run.review(nomination, score.user)
		rows.append(standing_row(run.contest, nomination, result, values, flags, review, stamp))
	return rows


def is_disqualified(review: dict | None) -> bool:
	return bool(review and review.review_status == "Disqualified")


def judge_combined(run: JudgingRun, nomination: Document) -> list[dict]:
	"""A nomination over several metrics: each metric's scores (shared with the run's other
	nominations), combined by the nomination's rule; the breakdown keeps each metric's part."""
	parts = run.contest.metrics_of(nomination)
	metrics = {part.metric: get_metric(part.metric) for part in parts}
	scores = {
		key: {score.user: score for score in metric_scores(metric, run.context)}
		for key, metric in metrics.items()
	}
	outliers: dict[str, tuple[str, float]] = {}
	for metric in metrics.values():
		for user, reason in metric_outliers(run, metric).items():
			outliers.setdefault(user, reason)
	disqualified = {
		user
		for (key, user), review in run.reviews.items()
		if key == nomination.nomination_key and is_disqualified(review)
	}
	ranked = ranking.rank_combined(
		{
			key: [
				ranking.Entry(score.user, score.score, score.base, score.achieved_on)
				for score in by_user.values()
			]
			for key, by_user in scores.items()
		},
		[
			ranking.Part(
				part.metric, part.direction or ranking.HIGHEST, part.eligibility_floor or 0, part.weight or 1
			)
			for part in parts
		],
		nomination.combine_rule,
		nomination.places or 3,
		nomination.tie_rule,
		disqualified,
	)
	stamp = record_stamp()
	texts = ResultTexts(run.contest, nomination, lambda score: nomination_score_text(nomination, None, score))
	rows = []
	for result in ranked:
		values = combined_values(nomination, result, scores, texts)
		flags, review = run.flags(result.user, outliers), run.review(nomination, result.user)
		rows.append(standing_row(run.contest, nomination, result, values, flags, review, stamp))
	return rows


def combined_values(
	nomination: Document,
	result: ranking.CombinedRanked,
	scores: dict[str, dict[str, Score]],
	texts: ResultTexts,
) -> dict:
	"""A combined standing's own columns: its result, what counted in each metric, and the breakdown
	of every metric's part (score, rank, normalised score, weight, points)."""
	own = {part.key: scores[part.key].get(result.user) for part in result.parts}
	not_counted: dict[str, int] = {}
	for score in own.values():
		for reason, count in (score.not_counted if score else {}).items():
			not_counted[reason] = not_counted.get(reason, 0) + count
	achieved = [score.achieved_on if score else None for score in own.values()]
	counted = sum(score.counted for score in own.values() if score)
	breakdown = {
		"rule": nomination.combine_rule,
		"worst_rank": result.worst_rank,
		"parts": [
			{
				"metric": part.key,
				"score": part.score,
				"base": part.base,
				"meets_floor": part.meets_floor,
				"rank": part.rank,
				"normalised": round(part.normalised, 4),
				"weight": part.weight,
				"points": round(part.points, 4),
				"counted": own[part.key].counted if own[part.key] else 0,
			}
			for part in result.parts
		],
		"counted": counted,
		"not_counted": not_counted,
	}
	return {
		"result": texts.result(result.rank, result.score),
		"sort_key": texts.sort_key(result.rank),
		"score": result.score,
		"base": 0,
		"achieved_on": None if None in achieved else max(achieved),
		"counted_records": counted,
		"excluded_records": sum(not_counted.values()),
		"breakdown": json.dumps(breakdown, separators=(",", ":")),
	}


def judge(contest_name: str) -> int:
	"""(Re)compute all standings of a contest; reviews already made survive re-judging.

	A running contest gets interim standings (its live leaderboard); only a closed one (Judging) gets
	final standings and ``judged_on``, which awarding requires.
	"""
	contest = frappe.get_doc("SSP Contest", contest_name)
	if contest.status not in ("Running", "Judging"):
		frappe.throw(
			_("Only a running or finished contest can be judged (this one is {0})").format(_(contest.status))
		)
	context = context_for(contest)
	run = JudgingRun(
		contest,
		context,
		# The previous period of the same length: only needed to spot outliers against one's own history.
		context_for(contest, *previous_period(contest)) if contest.outlier_factor else None,
		burst_flags(context),
		previous_reviews(contest.name),
	)
	rows: list[dict] = []
	total = len(contest.nominations)
	for done, nomination in enumerate(contest.nominations, start=1):
		rows.extend(judge_nomination(run, nomination))
		publish_progress(contest, done, total)
	names = full_names({row["user"] for row in rows})
	for row in rows:
		row["participant_name"] = names.get(row["user"]) or row["user"]
	if not status_unchanged(contest):
		return 0  # closed or awarded meanwhile: the table belongs to the judging that follows
	write_standings(contest.name, rows)
	if contest.status == "Judging":
		# notify: a Desk form open on the contest reloads once this is committed.
		contest.db_set("judged_on", now_datetime(), notify=True)
	return len(rows)


def refresh_running_standings() -> None:
	"""Scheduler (hourly): interim standings of running contests, so their leaderboards are live."""
	running = frappe.get_all(
		"SSP Contest", {"status": "Running", "ends_on": (">", now_datetime())}, pluck="name"
	)
	for name in running:
		frappe.enqueue(
			"selfservice_portal.contests.judging.judge",
			queue="long",
			job_id=f"ssp-standings-{name}",  # not the final judging's id: that one must never be skipped
			deduplicate=True,
			contest_name=name,
			now=frappe.flags.in_test,
		)


def publish_progress(contest: Document, done: int, total: int) -> None:
	"""Progress on the contest's Desk form (Frappe's own progress bar, for whoever has it open)."""
	frappe.publish_progress(
		done * 100 / (total or 1),
		title=_("Judging {0}").format(contest.title),
		doctype="SSP Contest",
		docname=contest.name,
		description=_("Nomination {0} of {1}").format(done, total),
	)


def enqueue_judging(contest_name: str) -> str:
	job_id = f"ssp-judge-{contest_name}"
	frappe.enqueue(
		"selfservice_portal.contests.judging.judge",
		queue="long",
		job_id=job_id,
		deduplicate=True,
		contest_name=contest_name,
	)
	frappe.db.set_value("SSP Contest", contest_name, "judging_job", job_id)
	return job_id
