"""Contest metrics: a registry other apps extend through the ``ssp_contest_metrics`` hook.

Each metric computes every participant's score for a period in one set-based query and can list,
for one participant, which records counted and which did not and why. Ticket-based metrics share the
fair-play rules: tickets an agent excluded, trivial tickets (too little text) and tickets beyond the
daily cap never count.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import frappe
from frappe import _

# Reasons a record did not count (stable keys; translated when shown).
EXCLUDED, TRIVIAL, OVER_CAP, NOT_PORTAL, NOT_RATED, TICKET_FOLLOWED, REJECTED = (
	"excluded by an agent",
	"trivial content",
	"over the daily cap",
	"not through the portal",
	"not rated",
	"a ticket followed",
	"request rejected",
)


@dataclass
class Context:
	start: datetime
	end: datetime
	audience_sql: str  # condition on a column named {user}
	audience_params: dict
	daily_cap: int = 5
	min_length: int = 20
	deflection_window_hours: int = 72
	# Results shared by metrics within one judging run (several metrics read the same ticket scan).
	memo: dict = field(default_factory=dict)

	def audience(self, column: str) -> str:
		return self.audience_sql.format(user=column)

	def params(self, **extra) -> dict:
		return {
			"start": self.start,
			"end": self.end,
			"cap": self.daily_cap or 1_000_000,
			"min_length": self.min_length,
			"window": self.deflection_window_hours * 3600,
			**self.audience_params,
			**extra,
		}


@dataclass
class Score:
	user: str
	score: float
	base: float
	achieved_on: datetime | None
	counted: int
	not_counted: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Metric:
	key: str
	label: str
	description: str
	scores: Callable[[Context], list[Score]]
	records: Callable[[Context, str], list[dict]]
	unit: str = ""


# ---------------------------------------------------------------- tickets

TICKETS_CTE = """
WITH t AS (
	SELECT name, raised_by AS user, creation,
		(IFNULL(ssp_channel, '') = 'Portal' OR via_customer_portal = 1) AS is_portal,
		IFNULL(ssp_exclude_from_contests, 0) = 1 AS excluded,
		CHAR_LENGTH(TRIM(CONCAT(IFNULL(subject, ''), ' ',
			REGEXP_REPLACE(IFNULL(description, ''), '<[^>]*>', '')))) < %(min_length)s AS trivial,
		IFNULL(feedback_rating, 0) > 0 AS rated
	FROM `tabHD Ticket`
	WHERE creation >= %(start)s AND creation < %(end)s AND {audience}
),
v AS (
	SELECT t.*, ROW_NUMBER() OVER (
		PARTITION BY user, DATE(creation), (excluded OR trivial) ORDER BY creation, name) AS nth
	FROM t
),
c AS (
	SELECT v.*, NOT excluded AND NOT trivial AND nth <= %(cap)s AS valid FROM v
)
"""

TICKET_SCORES = (
	TICKETS_CTE
	+ """
SELECT user,
	SUM(valid) AS valid, SUM(valid AND is_portal) AS valid_portal, SUM(valid AND rated) AS valid_rated,
	SUM(excluded) AS excluded, SUM(NOT excluded AND trivial) AS trivial,
	SUM(NOT excluded AND NOT trivial AND nth > %(cap)s) AS over_cap,
	MAX(CASE WHEN valid THEN creation END) AS last_valid,
	MAX(CASE WHEN valid AND is_portal THEN creation END) AS last_portal,
	MAX(CASE WHEN valid AND rated THEN creation END) AS last_rated
FROM c GROUP BY user
"""
)

TICKET_RECORDS = TICKETS_CTE + "SELECT * FROM c WHERE user = %(participant)s ORDER BY creation"


def ticket_rows(ctx: Context) -> list[dict]:
	"""One scan of the period's tickets serves every ticket-based metric of a judging run."""
	if "tickets" not in ctx.memo:
		ctx.memo["tickets"] = frappe.db.sql(
			TICKET_SCORES.format(audience=ctx.audience("raised_by")), ctx.params(), as_dict=True
		)
	return ctx.memo["tickets"]


def fair_play_losses(row) -> dict[str, int]:
	losses = {
		EXCLUDED: int(row.excluded or 0),
		TRIVIAL: int(row.trivial or 0),
		OVER_CAP: int(row.over_cap or 0),
	}
	return {k: v for k, v in losses.items() if v}


def subset_scores(count: str, last: str, missing_reason: str) -> Callable[[Context], list[Score]]:
	"""Score = the valid tickets that also meet a condition (through the portal, rated…)."""

	def scores(ctx: Context) -> list[Score]:
		out = []
		for r in ticket_rows(ctx):
			valid, hits = int(r.valid or 0), int(r[count] or 0)
			losses = {**fair_play_losses(r), **({missing_reason: valid - hits} if valid != hits else {})}
			out.append(Score(r.user, float(hits), float(valid), r[last], hits, losses))
		return out

	return scores


portal_ticket_scores = subset_scores("valid_portal", "last_portal", NOT_PORTAL)
tickets_rated_scores = subset_scores("valid_rated", "last_rated", NOT_RATED)


def independence_scores(ctx: Context) -> list[Score]:
	return [
		Score(
			r.user,
			round(float(r.valid_portal or 0) / float(r.valid), 4) if r.valid else 0.0,
			float(r.valid or 0),
			r.last_valid,
			int(r.valid or 0),
			fair_play_losses(r),
		)
		for r in ticket_rows(ctx)
	]


def ticket_records(counts: Callable[[dict], str | None]) -> Callable[[Context, str], list[dict]]:
	"""Per-ticket breakdown for one participant; ``counts`` names why a valid ticket still did not count."""

	def records(ctx: Context, user: str) -> list[dict]:
		rows = frappe.db.sql(
			TICKET_RECORDS.format(audience=ctx.audience("raised_by")),
			ctx.params(participant=user),
			as_dict=True,
		)
		out = []
		for r in rows:
			reason = (
				EXCLUDED
				if r.excluded
				else TRIVIAL
				if r.trivial
				else OVER_CAP
				if r.nth > ctx.params()["cap"]
				else counts(r)
			)
			out.append(
				{
					"doctype": "HD Ticket",
					"name": r.name,
					"on": r.creation,
					"counted": reason is None,
					"reason": reason,
				}
			)
		return out

	return records


# ---------------------------------------------------------------- ratings, votes, deflections, requests

RATINGS_GIVEN = """
SELECT user, COUNT(*) AS n, MAX(creation) AS last_on FROM (
	SELECT raised_by AS user, name, modified AS creation FROM `tabHD Ticket`
	WHERE IFNULL(feedback_rating, 0) > 0 AND modified >= %(start)s AND modified < %(end)s AND {ticket_audience}
	UNION ALL
	SELECT `user`, name, creation FROM `tabHD Article Feedback`
	WHERE feedback IN ('1', '2') AND creation >= %(start)s AND creation < %(end)s AND {feedback_audience}
) given GROUP BY user
"""

HELPFUL_VOTES = """
SELECT `user`, COUNT(*) AS n, MAX(creation) AS last_on FROM `tabHD Article Feedback`
WHERE feedback = '1' AND creation >= %(start)s AND creation < %(end)s AND {audience}
GROUP BY `user`
"""

CONFIRMED_DEFLECTIONS = """
SELECT e.user, COUNT(DISTINCT e.hd_article) AS n, MAX(e.creation) AS last_on FROM `tabSSP Portal Event` e
WHERE e.event_type = 'Article Helpful' AND e.creation >= %(start)s AND e.creation < %(end)s AND {audience}
	AND NOT EXISTS (
		SELECT 1 FROM `tabHD Ticket` t WHERE t.raised_by = e.user
		AND t.creation BETWEEN e.creation AND e.creation + INTERVAL %(window)s SECOND)
GROUP BY e.user
"""

CATALOG_REQUESTS = """
SELECT r.requester AS user, COUNT(*) AS n, MAX(r.creation) AS last_on,
	SUM(r.status = 'Rejected') AS rejected, SUM(IFNULL(t.ssp_exclude_from_contests, 0)) AS excluded
FROM `tabSSP Request` r LEFT JOIN `tabHD Ticket` t ON t.name = r.hd_ticket
WHERE r.creation >= %(start)s AND r.creation < %(end)s AND {audience}
GROUP BY r.requester
"""


def count_scores(sql: str, **columns: str) -> Callable[[Context], list[Score]]:
	def scores(ctx: Context) -> list[Score]:
		rows = frappe.db.sql(
			sql.format(**{k: ctx.audience(v) for k, v in columns.items()}), ctx.params(), as_dict=True
		)
		return [Score(r.user, float(r.n), float(r.n), r.last_on, int(r.n)) for r in rows]

	return scores


def catalog_request_scores(ctx: Context) -> list[Score]:
	rows = frappe.db.sql(
		CATALOG_REQUESTS.format(audience=ctx.audience("r.requester")), ctx.params(), as_dict=True
	)
	scores = []
	for r in rows:
		lost = {REJECTED: int(r.rejected or 0), EXCLUDED: int(r.excluded or 0)}
		valid = int(r.n) - sum(lost.values())
		scores.append(
			Score(r.user, float(valid), float(r.n), r.last_on, valid, {k: v for k, v in lost.items() if v})
		)
	return scores


def simple_records(
	doctype: str, user_field: str, date_field: str, filters: dict
) -> Callable[[Context, str], list[dict]]:
	def records(ctx: Context, user: str) -> list[dict]:
		rows = frappe.get_all(
			doctype,
			filters={user_field: user, date_field: ("between", [ctx.start, ctx.end]), **filters},
			fields=["name", f"{date_field} as on_date"],
			order_by=f"{date_field} asc",
		)
		return [
			{"doctype": doctype, "name": r.name, "on": r.on_date, "counted": True, "reason": None}
			for r in rows
		]

	return records


def catalog_request_records(ctx: Context, user: str) -> list[dict]:
	rows = frappe.db.sql(
		"""SELECT r.name, r.creation, r.status, IFNULL(t.ssp_exclude_from_contests, 0) AS excluded
		FROM `tabSSP Request` r LEFT JOIN `tabHD Ticket` t ON t.name = r.hd_ticket
		WHERE r.requester = %(user)s AND r.creation >= %(start)s AND r.creation < %(end)s ORDER BY r.creation""",
		{"user": user, "start": ctx.start, "end": ctx.end},
		as_dict=True,
	)
	out = []
	for r in rows:
		reason = REJECTED if r.status == "Rejected" else EXCLUDED if r.excluded else None
		out.append(
			{
				"doctype": "SSP Request",
				"name": r.name,
				"on": r.creation,
				"counted": reason is None,
				"reason": reason,
			}
		)
	return out


def builtin_metrics() -> list[Metric]:
	return [
		Metric(
			"portal_tickets",
			_("Requests through the portal"),
			_(
				"Requests you raised through the self-service portal or the service catalog during the contest. "
				"Requests an agent marked as spam, duplicate or invalid, requests with almost no text and more "
				"than the daily cap of requests per day do not count."
			),
			portal_ticket_scores,
			ticket_records(lambda r: None if r.is_portal else NOT_PORTAL),
			_("requests"),
		),
		Metric(
			"independence",
			_("Independence"),
			_(
				"The share of your valid requests that you raised through the portal rather than by e-mail, "
				"phone or in person. Only users with at least the nomination's minimum number of valid "
				"requests are ranked."
			),
			independence_scores,
			ticket_records(lambda r: None),
			"%",
		),
		Metric(
			"ratings_given",
			_("Ratings given"),
			_(
				"Ratings you gave to your resolved requests and to knowledge-base articles during the contest."
			),
			count_scores(RATINGS_GIVEN, ticket_audience="raised_by", feedback_audience="`user`"),
			simple_records("HD Article Feedback", "user", "creation", {"feedback": ("in", ["1", "2"])}),
			_("ratings"),
		),
		Metric(
			"tickets_rated",
			_("Rated requests"),
			_("Your valid requests of the contest period that you rated once they were resolved."),
			tickets_rated_scores,
			ticket_records(lambda r: None if r.rated else NOT_RATED),
			_("requests"),
		),
		Metric(
			"helpful_votes",
			_("'This helped' votes"),
			_("Knowledge-base articles you marked as helpful during the contest."),
			count_scores(HELPFUL_VOTES, audience="`user`"),
			simple_records("HD Article Feedback", "user", "creation", {"feedback": "1"}),
			_("votes"),
		),
		Metric(
			"confirmed_deflections",
			_("Problems solved with the knowledge base"),
			_(
				"Articles you marked as helpful and after which you did not need to raise a request within "
				"the deflection window."
			),
			count_scores(CONFIRMED_DEFLECTIONS, audience="e.user"),
			simple_records("SSP Portal Event", "user", "creation", {"event_type": "Article Helpful"}),
			_("problems"),
		),
		Metric(
			"catalog_requests",
			_("Catalog requests"),
			_(
				"Services you requested through the service catalog; rejected or excluded requests do not count."
			),
			catalog_request_scores,
			catalog_request_records,
			_("requests"),
		),
	]


def get_metrics() -> dict[str, Metric]:
	"""Built-in metrics plus those other apps register: ``ssp_contest_metrics = ["app.module.factory"]``
	in their hooks, each factory returning a Metric or a list of them."""
	metrics = {m.key: m for m in builtin_metrics()}
	for path in frappe.get_hooks("ssp_contest_metrics"):
		produced = frappe.get_attr(path)()
		for metric in produced if isinstance(produced, list | tuple) else [produced]:
			metrics[metric.key] = metric
	return metrics


def get_metric(key: str) -> Metric:
	metrics = get_metrics()
	if key not in metrics:
		frappe.throw(
			_("Unknown contest metric {0}. Known metrics: {1}").format(key, ", ".join(sorted(metrics)))
		)
	return metrics[key]
