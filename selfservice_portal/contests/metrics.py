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
EXCLUDED, TRIVIAL, OVER_CAP, NOT_PORTAL, NOT_RATED, TICKET_FOLLOWED, SAME_ARTICLE, REJECTED = (
	"excluded by an agent",
	"trivial content",
	"over the daily cap",
	"not through the portal",
	"not rated",
	"a ticket followed",
	"article counted already",
	"request rejected",
)
CANCELLED = "request withdrawn"


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
	unit: str = ""  # "%" for a share (scores 0 to 1), else what is counted ("requests")
	base_unit: str = ""  # what the eligibility floor counts, when it is not the score's unit

	@property
	def floor_unit(self) -> str:
		return self.base_unit or self.unit


# ---------------------------------------------------------------- tickets

# What the fair-play rules need to know about a ticket (selected from `tabHD Ticket`).
TICKET_COLUMNS = """name, raised_by AS user, creation,
		IFNULL(ssp_channel, '') = 'Portal' AS is_portal,
		IFNULL(ssp_exclude_from_contests, 0) = 1 AS excluded,
		CHAR_LENGTH(TRIM(CONCAT(IFNULL(subject, ''), ' ',
			REGEXP_REPLACE(IFNULL(description, ''), '<[^>]*>', '')))) < %(min_length)s AS trivial,
		IFNULL(feedback_rating, 0) > 0 AS rated"""

# From the tickets ``t`` (every ticket of a user's day, so the daily cap is counted right) to ``c``:
# each ticket with ``valid`` — not excluded, not trivial, within the daily cap.
VALIDITY_CTES = """
v AS (
	SELECT t.*, ROW_NUMBER() OVER (
		PARTITION BY user, DATE(creation), (excluded OR trivial) ORDER BY creation, name) AS nth
	FROM t
),
c AS (
	SELECT v.*, NOT excluded AND NOT trivial AND nth <= %(cap)s AS valid FROM v
)
"""

TICKETS_CTE = (
	f"""
WITH t AS (
	SELECT {TICKET_COLUMNS}
	FROM `tabHD Ticket`
	WHERE creation >= %(start)s AND creation < %(end)s AND {{audience}}
),"""
	+ VALIDITY_CTES
)

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
#
# Each of these metrics is one CTE named ``given``: a row per record (doctype, name, user, on_date and
# reason, a key of REASON_KEYS or NULL when the record counts). Scores aggregate it, breakdowns list
# one participant's rows: both read the very same conditions.

REASON_KEYS = {
	"excluded": EXCLUDED,
	"trivial": TRIVIAL,
	"over_cap": OVER_CAP,
	"followed": TICKET_FOLLOWED,
	"repeat": SAME_ARTICLE,
	"rejected": REJECTED,
	"cancelled": CANCELLED,
}
RATING_CHANGE = '%"feedback_rating",%'  # a Version's "changed" entry: ["feedback_rating",old,new]

GIVEN_SCORES = """
SELECT user, reason, COUNT(*) AS n, MAX(on_date) AS last_on FROM given GROUP BY user, reason
"""
GIVEN_RECORDS = """
SELECT doctype, name, on_date, reason FROM given WHERE user = %(participant)s ORDER BY on_date, name
"""


# Our (raised_by, creation) index on HD Ticket (setup/helpdesk_artefacts.py). Joining a user's day to
# its tickets through it is several times faster than the full scan MariaDB picks for a derived table;
# the hint is left out where the index is missing (an install in progress), never failing the query.
TICKET_DAY_INDEX = "ssp_raised_by_creation"


def ticket_index_hint() -> str:
	if frappe.db.has_index("tabHD Ticket", TICKET_DAY_INDEX):
		return f"FORCE INDEX ({TICKET_DAY_INDEX})"
	return ""


@dataclass(frozen=True)
class GivenQuery:
	cte: str
	audiences: dict[str, str]  # placeholder in ``cte`` → the user column it restricts to the audience
	base_counts_all: bool = False  # the eligibility floor compares every record, not only counted ones

	def sql(self, ctx: Context, final: str, participant: bool = False) -> str:
		only = "{column} = %(participant)s AND " if participant else ""
		return (
			self.cte.format(
				ticket_index=ticket_index_hint(),
				**{
					key: only.format(column=column) + ctx.audience(column)
					for key, column in self.audiences.items()
				},
			)
			+ final
		)

	def scores(self, ctx: Context) -> list[Score]:
		rows = frappe.db.sql(
			self.sql(ctx, GIVEN_SCORES), ctx.params(rating_change=RATING_CHANGE), as_dict=True
		)
		by_user: dict[str, Score] = {}
		for r in rows:
			score = by_user.setdefault(r.user, Score(r.user, 0.0, 0.0, None, 0, {}))
			n = int(r.n)
			if r.reason is None:
				score.score, score.counted, score.achieved_on = float(n), n, r.last_on
			else:
				score.not_counted[REASON_KEYS[r.reason]] = n
			if r.reason is None or self.base_counts_all:
				score.base += n
		return list(by_user.values())

	def records(self, ctx: Context, user: str) -> list[dict]:
		rows = frappe.db.sql(
			self.sql(ctx, GIVEN_RECORDS, participant=True),
			ctx.params(rating_change=RATING_CHANGE, participant=user),
			as_dict=True,
		)
		return [
			{
				"doctype": r.doctype,
				"name": r.name,
				"on": r.on_date,
				"counted": r.reason is None,
				"reason": REASON_KEYS.get(r.reason),
			}
			for r in rows
		]


# A ticket's rating is dated by the first Version that recorded its feedback_rating: Helpdesk saves the
# ticket when a rating is given (portal dialog, e-mail feedback form, agent), and the ticket tracks
# changes; ``modified`` would move with every later edit. The rated ticket must count under the
# fair-play rules, which needs every ticket of its day (the daily cap).
RATINGS_GIVEN = GivenQuery(
	f"""
WITH cand AS (
	SELECT tk.name, tk.raised_by AS user, tk.creation
	FROM `tabHD Ticket` tk
	WHERE IFNULL(tk.feedback_rating, 0) > 0 AND tk.creation < %(end)s AND tk.modified >= %(start)s
		AND {{ticket_audience}}
),
d AS (SELECT DISTINCT user AS day_user, DATE(creation) AS day FROM cand),
t AS (
	SELECT {TICKET_COLUMNS}
	FROM d STRAIGHT_JOIN `tabHD Ticket` {{ticket_index}} ON raised_by = d.day_user
		AND creation >= d.day AND creation < d.day + INTERVAL 1 DAY
),"""
	+ VALIDITY_CTES
	+ """,
r AS (
	SELECT c.name, c.user, (
		SELECT MIN(ver.creation) FROM `tabVersion` ver
		WHERE ver.ref_doctype = 'HD Ticket' AND ver.docname = c.name AND ver.data LIKE %(rating_change)s
	) AS rated_on, CASE WHEN c.excluded THEN 'excluded' WHEN c.trivial THEN 'trivial'
		WHEN c.nth > %(cap)s THEN 'over_cap' END AS reason
	FROM c WHERE c.rated
),
given AS (
	SELECT 'HD Ticket' AS doctype, r.name, r.user, r.rated_on AS on_date, r.reason
	FROM r WHERE r.rated_on >= %(start)s AND r.rated_on < %(end)s
	UNION ALL
	SELECT 'HD Article Feedback', name, `user`, creation,
		CASE WHEN ROW_NUMBER() OVER (PARTITION BY `user`, article ORDER BY creation, name) > 1
			THEN 'repeat' END
	FROM `tabHD Article Feedback`
	WHERE feedback IN ('1', '2') AND creation >= %(start)s AND creation < %(end)s AND {feedback_audience}
)
""",
	{"ticket_audience": "tk.raised_by", "feedback_audience": "`user`"},
)

HELPFUL_VOTES = GivenQuery(
	"""
WITH given AS (
	SELECT 'HD Article Feedback' AS doctype, name, `user`, creation AS on_date,
		CASE WHEN ROW_NUMBER() OVER (PARTITION BY `user`, article ORDER BY creation, name) > 1
			THEN 'repeat' END AS reason
	FROM `tabHD Article Feedback`
	WHERE feedback = '1' AND creation >= %(start)s AND creation < %(end)s AND {audience}
)
""",
	{"audience": "`user`"},
)

# An article counts once, on its first "this helped" that no request of the user followed in the window.
CONFIRMED_DEFLECTIONS = GivenQuery(
	"""
WITH e AS (
	SELECT ev.name, ev.user, ev.hd_article, ev.creation, EXISTS (
		SELECT 1 FROM `tabHD Ticket` t WHERE t.raised_by = ev.user
		AND t.creation BETWEEN ev.creation AND ev.creation + INTERVAL %(window)s SECOND) AS followed
	FROM `tabSSP Portal Event` ev
	WHERE ev.event_type = 'Article Helpful' AND ev.hd_article IS NOT NULL
		AND ev.creation >= %(start)s AND ev.creation < %(end)s AND {audience}
),
n AS (
	SELECT e.*, ROW_NUMBER() OVER (PARTITION BY user, hd_article, followed ORDER BY creation, name) AS nth
	FROM e
),
given AS (
	SELECT 'SSP Portal Event' AS doctype, name, user, creation AS on_date,
		CASE WHEN followed THEN 'followed' WHEN nth > 1 THEN 'repeat' END AS reason
	FROM n
)
""",
	{"audience": "ev.user"},
)

# One condition: a request counts when it is neither rejected, withdrawn (its ticket closed while it
# waited for approval) nor excluded; the first reason that applies is named.
CATALOG_REQUESTS = GivenQuery(
	"""
WITH given AS (
	SELECT 'SSP Request' AS doctype, r.name, r.requester AS user, r.creation AS on_date,
		CASE WHEN r.status = 'Rejected' THEN 'rejected' WHEN r.status = 'Cancelled' THEN 'cancelled'
			WHEN IFNULL(t.ssp_exclude_from_contests, 0) = 1 THEN 'excluded' END AS reason
	FROM `tabSSP Request` r LEFT JOIN `tabHD Ticket` t ON t.name = r.hd_ticket
	WHERE r.creation >= %(start)s AND r.creation < %(end)s AND {audience}
)
""",
	{"audience": "r.requester"},
	base_counts_all=True,
)


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
			_("valid requests"),
		),
		Metric(
			"ratings_given",
			_("Ratings given"),
			_(
				"Ratings you gave to your resolved requests and to knowledge-base articles during the contest. "
				"A request's rating counts when the request itself counts: not excluded by an agent, not "
				"almost empty, and within the daily cap of requests."
			),
			RATINGS_GIVEN.scores,
			RATINGS_GIVEN.records,
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
			HELPFUL_VOTES.scores,
			HELPFUL_VOTES.records,
			_("votes"),
		),
		Metric(
			"confirmed_deflections",
			_("Problems solved with the knowledge base"),
			_(
				"Articles you marked as helpful and after which you did not need to raise a request within "
				"the deflection window."
			),
			CONFIRMED_DEFLECTIONS.scores,
			CONFIRMED_DEFLECTIONS.records,
			_("problems"),
		),
		Metric(
			"catalog_requests",
			_("Catalog requests"),
			_(
				"Services you requested through the service catalog; rejected, withdrawn or excluded requests do "
				"not count."
			),
			CATALOG_REQUESTS.scores,
			CATALOG_REQUESTS.records,
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
