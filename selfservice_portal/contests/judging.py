"""Judging: every nomination's scores in one set-based query each, fair-play flags, ranks — stored
as SSP Contest Standing rows so pages never recompute them. Runs as a background job with progress.
"""

import itertools
import json

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from selfservice_portal.contests import fair_play, lifecycle, ranking
from selfservice_portal.contests.metrics import Context, get_metric
from selfservice_portal.deflection.settings import get_rules

PROGRESS_EVENT = "ssp:judging_progress"
STANDING_FIELDS = (
	"name",
	"contest",
	"nomination_key",
	"nomination_title",
	"user",
	"participant_name",
	"result",
	"sort_key",
	"score",
	"base",
	"achieved_on",
	"rank",
	"place",
	"is_eligible",
	"is_flagged",
	"flag_reasons",
	"review_status",
	"review_reason",
	"reviewed_by",
	"reviewed_on",
	"counted_records",
	"excluded_records",
	"breakdown",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
)


def audience_condition(contest) -> tuple[str, dict]:
	"""A SQL condition on ``{user}`` (a user id column) restricting it to the contest's audience."""
	if contest.audience_type == "All Portal Users":
		return (
			"{user} IN (SELECT name FROM `tabUser` WHERE user_type = 'Website User' AND enabled = 1)",
			{},
		)
	customers = [a.audience_name for a in contest.audience if a.audience_doctype == "HD Customer"] or [""]
	contacts = [a.audience_name for a in contest.audience if a.audience_doctype == "Contact"] or [""]
	return (
		"{user} IN (SELECT c.user FROM `tabContact` c LEFT JOIN `tabDynamic Link` dl ON dl.parent = c.name "
		"AND dl.parenttype = 'Contact' AND dl.link_doctype = 'HD Customer' WHERE c.user IS NOT NULL "
		"AND (c.name IN %(audience_contacts)s OR dl.link_name IN %(audience_customers)s))",
		{"audience_contacts": tuple(contacts), "audience_customers": tuple(customers)},
	)


def context_for(contest, start=None, end=None) -> Context:
	sql, params = audience_condition(contest)
	return Context(
		start=get_datetime(start or contest.starts_on),
		end=get_datetime(end or contest.ends_on),
		audience_sql=sql,
		audience_params=params,
		daily_cap=contest.daily_ticket_cap,
		min_length=contest.min_ticket_length,
		deflection_window_hours=int(get_rules().window.total_seconds() // 3600),
	)


def previous_period(contest):
	start, end = get_datetime(contest.starts_on), get_datetime(contest.ends_on)
	return start - (end - start), start


# Each ticket with the ticket N-1 places later by the same user: if that one is within M minutes, a
# burst of N begins here. The rule of fair_play.burst_users, set-based: only burst users come back.
BURSTS = """SELECT raised_by, MIN(creation) FROM (
	SELECT raised_by, creation,
		LEAD(creation, {offset}) OVER (PARTITION BY raised_by ORDER BY creation) AS nth_after
	FROM `tabHD Ticket`
	WHERE creation >= %(start)s AND creation < %(end)s AND {audience}
) w WHERE nth_after <= creation + INTERVAL %(burst_minutes)s MINUTE GROUP BY raised_by"""


def burst_flags(contest, ctx: Context) -> dict:
	"""Users with ``burst_tickets`` or more tickets inside any ``burst_minutes`` window → when their
	first burst began."""
	tickets, minutes = int(contest.burst_tickets or 0), int(contest.burst_minutes or 0)
	if tickets <= 1 or minutes <= 0:
		return {}
	return dict(
		frappe.db.sql(
			BURSTS.format(offset=tickets - 1, audience=ctx.audience("raised_by")),
			ctx.params(burst_minutes=minutes),
		)
	)


def previous_reviews(contest_name: str) -> dict[tuple[str, str], dict]:
	rows = frappe.get_all(
		"SSP Contest Standing",
		filters={"contest": contest_name, "review_status": ("in", ["Cleared", "Disqualified"])},
		fields=["nomination_key", "user", "review_status", "review_reason", "reviewed_by", "reviewed_on"],
	)
	return {(r.nomination_key, r.user): r for r in rows}


def flag_reason_text(burst_at, outlier) -> str:
	reasons = []
	if burst_at:
		reasons.append(_("burst of requests starting {0}").format(frappe.utils.format_datetime(burst_at)))
	if outlier:
		kind, reference = outlier
		if kind == "peers":
			reasons.append(
				_("far above the other participants (95th percentile {0})").format(f"{reference:g}")
			)
		else:
			reasons.append(_("far above their own previous period ({0})").format(f"{reference:g}"))
	return "; ".join(reasons)


class RowTexts:
	"""A nomination's sort keys and result texts ('Rank 2 · 33 %', 'Not ranked · 0', what the Desk list
	of standings shows). Tens of thousands of standings share a few hundred distinct scores: each
	score is formatted once, the contest's date once."""

	def __init__(self, contest, nomination, score_text):
		# Desk lists standings by the sort key, descending: newest contest first, then its nominations
		# in order, each by rank, the unranked last.
		self.prefix = f"{get_datetime(contest.starts_on):%Y%m%d%H%M}-{99 - min(nomination.idx or 0, 99):02d}-"
		self.rank_label, self.not_ranked = _("Rank {0}"), _("Not ranked")
		self.score_text = score_text
		self.texts: dict[float, str] = {}

	def sort_key(self, rank: int) -> str:
		return f"{self.prefix}{99999 - min(rank, 99998) if rank else 0:05d}"

	def result(self, rank: int, score) -> str:
		text = self.texts.get(score)
		if text is None:
			text = self.texts[score] = self.score_text(score)
		return f"{self.rank_label.format(rank) if rank else self.not_ranked} · {text}"


def full_names(users: set[str]) -> dict[str, str]:
	"""Names for the Desk list of standings, in one query."""
	if not users:
		return {}
	return dict(
		frappe.db.sql(
			"SELECT name, full_name FROM `tabUser` WHERE name IN %(users)s", {"users": tuple(users)}
		)
	)


def metric_scores(metric, ctx: Context | None) -> list:
	"""A metric's scores for a period, computed once per judging run: a combined nomination reuses
	what a single-metric nomination (or another combined one) of the same contest computed."""
	if ctx is None:
		return []
	key = ("scores", metric.key)
	if key not in ctx.memo:
		ctx.memo[key] = metric.scores(ctx)
	return ctx.memo[key]


def metric_outliers(contest, metric, ctx: Context, history_ctx: Context | None) -> dict:
	history = {s.user: s.score for s in metric_scores(metric, history_ctx)}
	scores = {s.user: s.score for s in metric_scores(metric, ctx)}
	return fair_play.outliers(scores, history, contest.outlier_factor or 0)


def standing_row(contest, nomination, r, values: dict, flags: tuple, review, now) -> dict:
	"""One SSP Contest Standing row: ``r`` is the ranking result, ``values`` the nomination-specific
	columns (result, sort key, score, base, achieved_on, counted and excluded records, breakdown)."""
	burst_at, outlier = flags
	flagged = bool(r.is_eligible and (burst_at or outlier))
	return {
		"name": frappe.generate_hash(length=12),
		"contest": contest.name,
		"nomination_key": nomination.nomination_key,
		"nomination_title": nomination.nomination_title,
		"user": r.user,
		"participant_name": None,  # filled for the whole contest in one query (judge)
		"rank": r.rank,
		"place": r.place,
		"is_eligible": int(r.is_eligible),
		"is_flagged": int(flagged),
		"flag_reasons": flag_reason_text(burst_at, outlier) if flagged else None,
		"review_status": review.review_status if review else ("Pending" if flagged else "Not Needed"),
		"review_reason": review.review_reason if review else None,
		"reviewed_by": review.reviewed_by if review else None,
		"reviewed_on": review.reviewed_on if review else None,
		**values,
		"creation": now,
		"modified": now,
		"owner": frappe.session.user,
		"modified_by": frappe.session.user,
		"docstatus": 0,
	}


def judge_nomination(
	contest, nomination, ctx: Context, history_ctx: Context | None, bursts: dict, reviews: dict
) -> list[dict]:
	if nomination.combine_rule:
		return judge_combined(contest, nomination, ctx, history_ctx, bursts, reviews)
	from selfservice_portal.contests.leaderboard import format_score

	metric = get_metric(nomination.metric)
	scores = metric_scores(metric, ctx)
	outliers = metric_outliers(contest, metric, ctx, history_ctx)
	entries = []
	for s in scores:
		review = reviews.get((nomination.nomination_key, s.user))
		entries.append(
			ranking.Entry(
				s.user,
				s.score,
				s.base,
				s.achieved_on,
				bool(review and review.review_status == "Disqualified"),
			)
		)
	ranked = {
		r.user: r
		for r in ranking.rank(
			entries,
			nomination.direction,
			nomination.eligibility_floor or 0,
			nomination.places or 3,
			nomination.tie_rule,
		)
	}
	now = now_datetime()
	texts = RowTexts(contest, nomination, lambda score: format_score(score, metric.unit))
	rows = []
	for s in scores:
		r = ranked[s.user]
		values = {
			"result": texts.result(r.rank, s.score),
			"sort_key": texts.sort_key(r.rank),
			"score": s.score,
			"base": s.base,
			"achieved_on": s.achieved_on,
			"counted_records": s.counted,
			"excluded_records": sum(s.not_counted.values()),
			"breakdown": json.dumps({"counted": s.counted, "not_counted": s.not_counted}),
		}
		flags = (bursts.get(s.user), outliers.get(s.user))
		rows.append(
			standing_row(
				contest, nomination, r, values, flags, reviews.get((nomination.nomination_key, s.user)), now
			)
		)
	return rows


def judge_combined(
	contest, nomination, ctx: Context, history_ctx: Context | None, bursts: dict, reviews: dict
) -> list[dict]:
	"""A nomination over several metrics: each metric's scores (shared with the run's other
	nominations), combined by the nomination's rule; the breakdown keeps each metric's part."""
	from selfservice_portal.contests.leaderboard import nomination_score_text

	parts = lifecycle.parts_of(contest, nomination)
	metrics = {p.metric: get_metric(p.metric) for p in parts}
	scores = {key: {s.user: s for s in metric_scores(m, ctx)} for key, m in metrics.items()}
	outliers: dict = {}
	for m in metrics.values():
		for user, reason in metric_outliers(contest, m, ctx, history_ctx).items():
			outliers.setdefault(user, reason)
	disqualified = {
		user
		for (key, user), review in reviews.items()
		if key == nomination.nomination_key and review.review_status == "Disqualified"
	}
	ranked = ranking.rank_combined(
		{
			key: [ranking.Entry(s.user, s.score, s.base, s.achieved_on) for s in by_user.values()]
			for key, by_user in scores.items()
		},
		[
			ranking.Part(p.metric, p.direction or ranking.HIGHEST, p.eligibility_floor or 0, p.weight or 1)
			for p in parts
		],
		nomination.combine_rule,
		nomination.places or 3,
		nomination.tie_rule,
		disqualified,
	)
	now = now_datetime()
	texts = RowTexts(contest, nomination, lambda score: nomination_score_text(nomination, None, score))
	rows = []
	for r in ranked:
		own = {part.key: scores[part.key].get(r.user) for part in r.parts}
		not_counted: dict[str, int] = {}
		for s in own.values():
			for reason, n in (s.not_counted if s else {}).items():
				not_counted[reason] = not_counted.get(reason, 0) + n
		achieved = [s.achieved_on if s else None for s in own.values()]
		counted = sum(s.counted for s in own.values() if s)
		breakdown = {
			"rule": nomination.combine_rule,
			"worst_rank": r.worst_rank,
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
				for part in r.parts
			],
			"counted": counted,
			"not_counted": not_counted,
		}
		values = {
			"result": texts.result(r.rank, r.score),
			"sort_key": texts.sort_key(r.rank),
			"score": r.score,
			"base": 0,
			"achieved_on": None if None in achieved else max(achieved),
			"counted_records": counted,
			"excluded_records": sum(not_counted.values()),
			"breakdown": json.dumps(breakdown, separators=(",", ":")),
		}
		flags = (bursts.get(r.user), outliers.get(r.user))
		rows.append(
			standing_row(
				contest, nomination, r, values, flags, reviews.get((nomination.nomination_key, r.user)), now
			)
		)
	return rows


def judge(contest_name: str, user: str | None = None) -> int:
	"""(Re)compute all standings of a contest; reviews already made survive re-judging.

	A running contest gets interim standings (its live leaderboard); only a closed one (Judging) gets
	final standings and ``judged_on``, which awarding requires.
	"""
	contest = frappe.get_doc("SSP Contest", contest_name)
	if contest.status not in ("Running", "Judging"):
		frappe.throw(
			_("Only a running or finished contest can be judged (this one is {0})").format(_(contest.status))
		)
	ctx = context_for(contest)
	# The previous period of the same length: only needed to spot outliers against one's own history.
	history_ctx = context_for(contest, *previous_period(contest)) if contest.outlier_factor else None
	bursts = burst_flags(contest, ctx)
	reviews = previous_reviews(contest.name)
	rows: list[dict] = []
	total = len(contest.nominations)
	for i, nomination in enumerate(contest.nominations, start=1):
		rows.extend(judge_nomination(contest, nomination, ctx, history_ctx, bursts, reviews))
		publish_progress(contest.name, i, total, user)
	names = full_names({r["user"] for r in rows})
	for row in rows:
		row["participant_name"] = names.get(row["user"]) or row["user"]
	if status_unchanged(contest):
		write_standings(contest.name, rows)
		if contest.status == "Judging":
			frappe.db.set_value("SSP Contest", contest.name, "judged_on", now_datetime())
	else:
		rows = []  # closed or awarded meanwhile: the table belongs to the judging that follows
	publish_progress(contest.name, total, total, user, finished=True)
	return len(rows)


def status_unchanged(contest) -> bool:
	"""Lock the contest for the write (judgings of one contest write one after the other) and compare
	its committed status with the one this run computed for: an interim run of a contest closed in the
	meantime must not overwrite the final standings."""
	current = frappe.db.sql("SELECT status FROM `tabSSP Contest` WHERE name = %s FOR UPDATE", contest.name)
	return bool(current) and current[0][0] == contest.status


STANDINGS_CHUNK = 2000
INSERT_STANDINGS = "INSERT INTO `tabSSP Contest Standing` ({columns}) VALUES {rows}"
# The same for every standing of a nomination: written once into its row template, not escaped per row.
NOMINATION_CONSTANTS = (
	"contest",
	"nomination_key",
	"nomination_title",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
)


def write_standings(contest_name: str, rows: list[dict]) -> None:
	"""Replace a contest's standings: one multi-row INSERT per chunk of a nomination's rows, its values
	passed as parameters (``db.bulk_insert`` renders every value through the query builder, which
	costs more than the insert itself at tens of thousands of rows); the values every row of the
	nomination shares are escaped once, into the row template."""
	frappe.db.delete("SSP Contest Standing", {"contest": contest_name})
	columns = ", ".join(f"`{f}`" for f in STANDING_FIELDS)
	varying = [f for f in STANDING_FIELDS if f not in NOMINATION_CONSTANTS]
	for _key, group in itertools.groupby(rows, key=lambda r: r["nomination_key"]):
		group = list(group)
		template = row_template(group[0])
		for start in range(0, len(group), STANDINGS_CHUNK):
			chunk = group[start : start + STANDINGS_CHUNK]
			frappe.db.sql(
				INSERT_STANDINGS.format(columns=columns, rows=", ".join([template] * len(chunk))),
				[r[f] for r in chunk for f in varying],
			)


def row_template(first: dict) -> str:
	"""'(%s, 'SSP-CON-0001', …)': the nomination's shared values as SQL literals (a % doubled, as the
	parameters are substituted after), a placeholder for every other column."""
	return (
		"("
		+ ", ".join(
			frappe.db.escape(str(first[f])) if f in NOMINATION_CONSTANTS else "%s" for f in STANDING_FIELDS
		)
		+ ")"
	)


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


def publish_progress(contest: str, done: int, total: int, user: str | None, finished: bool = False) -> None:
	"""Live progress to the manager who started judging; the final event waits for the commit, so the
	form that reloads on it sees the new standings."""
	if user:
		frappe.publish_realtime(
			PROGRESS_EVENT,
			{"contest": contest, "done": done, "total": total, "finished": finished},
			user=user,
			after_commit=finished,
		)


def enqueue_judging(contest_name: str) -> str:
	job_id = f"ssp-judge-{contest_name}"
	frappe.enqueue(
		"selfservice_portal.contests.judging.judge",
		queue="long",
		job_id=job_id,
		deduplicate=True,
		contest_name=contest_name,
		user=frappe.session.user,
	)
	frappe.db.set_value("SSP Contest", contest_name, "judging_job", job_id)
	return job_id
