"""Metrics over records other than tickets: ratings, "this helped" votes, deflections, catalog
requests.

Each of these metrics is one CTE named ``given``: a row per record (doctype, name, user, on_date and
reason, a key of REASON_KEYS or NULL when the record counts). Scores aggregate it, breakdowns list
one participant's rows: both read the very same conditions.
"""

from dataclasses import dataclass

import frappe

from selfservice_portal.contests.metric_model import (
	CANCELLED,
	EXCLUDED,
	OVER_CAP,
	REJECTED,
	SAME_ARTICLE,
	TICKET_FOLLOWED,
	TRIVIAL,
	Context,
	Score,
)
from selfservice_portal.contests.ticket_metrics import TICKET_COLUMNS, validity_ctes

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
class RecordQuery:
	"""A ``given`` CTE with the audience columns it restricts: the scores and the breakdown of a metric."""

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
		for row in rows:
			score = by_user.setdefault(row.user, Score(row.user, 0.0, 0.0, None, 0, {}))
			count = int(row.n)
			if row.reason is None:
				score.score, score.counted, score.achieved_on = float(count), count, row.last_on
			else:
				score.not_counted[REASON_KEYS[row.reason]] = count
			if row.reason is None or self.base_counts_all:
				score.base += count
		return list(by_user.values())

	def records(self, ctx: Context, user: str) -> list[dict]:
		rows = frappe.db.sql(
			self.sql(ctx, GIVEN_RECORDS, participant=True),
			ctx.params(rating_change=RATING_CHANGE, participant=user),
			as_dict=True,
		)
		return [
			{
				"doctype": row.doctype,
				"name": row.name,
				"on": row.on_date,
				"counted": row.reason is None,
				"reason": REASON_KEYS.get(row.reason),
			}
			for row in rows
		]


# A ticket's rating is dated by the first Version that recorded its feedback_rating: Helpdesk saves the
# ticket when a rating is given (portal dialog, e-mail feedback form, agent), and the ticket tracks
# changes; ``modified`` would move with every later edit. The rated ticket must count under the
# fair-play rules, which needs every ticket of its day (the daily cap).
RATINGS_GIVEN = RecordQuery(
	f"""
WITH rated_candidates AS (
	SELECT candidate.name, candidate.raised_by AS user, candidate.creation
	FROM `tabHD Ticket` candidate
	WHERE IFNULL(candidate.feedback_rating, 0) > 0 AND candidate.creation < %(end)s
		AND candidate.modified >= %(start)s AND {{ticket_audience}}
),
rated_days AS (SELECT DISTINCT user AS day_user, DATE(creation) AS day FROM rated_candidates),
day_tickets AS (
	SELECT {TICKET_COLUMNS}
	FROM rated_days STRAIGHT_JOIN `tabHD Ticket` {{ticket_index}} ON raised_by = rated_days.day_user
		AND creation >= rated_days.day AND creation < rated_days.day + INTERVAL 1 DAY
),"""
	+ validity_ctes()
	+ """,
rated_tickets AS (
	SELECT checked_tickets.name, checked_tickets.user, (
		SELECT MIN(rating_version.creation) FROM `tabVersion` rating_version
		WHERE rating_version.ref_doctype = 'HD Ticket' AND rating_version.docname = checked_tickets.name
			AND rating_version.data LIKE %(rating_change)s
	) AS rated_on, CASE WHEN checked_tickets.excluded THEN 'excluded'
		WHEN checked_tickets.trivial THEN 'trivial' WHEN checked_tickets.nth > %(cap)s THEN 'over_cap'
		END AS reason
	FROM checked_tickets WHERE checked_tickets.rated
),
given AS (
	SELECT 'HD Ticket' AS doctype, rated_tickets.name, rated_tickets.user, rated_tickets.rated_on AS on_date,
		rated_tickets.reason
	FROM rated_tickets
	WHERE rated_tickets.rated_on >= %(start)s AND rated_tickets.rated_on < %(end)s
	UNION ALL
	SELECT 'HD Article Feedback', name, `user`, creation,
		CASE WHEN ROW_NUMBER() OVER (PARTITION BY `user`, article ORDER BY creation, name) > 1
			THEN 'repeat' END
	FROM `tabHD Article Feedback`
	WHERE feedback IN ('1', '2') AND creation >= %(start)s AND creation < %(end)s AND {feedback_audience}
)
""",
	{"ticket_audience": "candidate.raised_by", "feedback_audience": "`user`"},
)

HELPFUL_VOTES = RecordQuery(
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
CONFIRMED_DEFLECTIONS = RecordQuery(
	"""
WITH helpful_events AS (
	SELECT portal_event.name, portal_event.user, portal_event.hd_article, portal_event.creation, EXISTS (
		SELECT 1 FROM `tabHD Ticket` ticket WHERE ticket.raised_by = portal_event.user
		AND ticket.creation BETWEEN portal_event.creation AND portal_event.creation + INTERVAL %(window)s SECOND
	) AS followed
	FROM `tabSSP Portal Event` portal_event
	WHERE portal_event.event_type = 'Article Helpful' AND portal_event.hd_article IS NOT NULL
		AND portal_event.creation >= %(start)s AND portal_event.creation < %(end)s AND {audience}
),
numbered_events AS (
	SELECT helpful_events.*,
		ROW_NUMBER() OVER (PARTITION BY user, hd_article, followed ORDER BY creation, name) AS nth
	FROM helpful_events
),
given AS (
	SELECT 'SSP Portal Event' AS doctype, name, user, creation AS on_date,
		CASE WHEN followed THEN 'followed' WHEN nth > 1 THEN 'repeat' END AS reason
	FROM numbered_events
)
""",
	{"audience": "portal_event.user"},
)

# One condition: a request counts when it is neither rejected, withdrawn (its ticket closed while it
# waited for approval) nor excluded; the first reason that applies is named.
CATALOG_REQUESTS = RecordQuery(
	"""
WITH given AS (
	SELECT 'SSP Request' AS doctype, request.name, request.requester AS user, request.creation AS on_date,
		CASE WHEN request.status = 'Rejected' THEN 'rejected' WHEN request.status = 'Cancelled' THEN 'cancelled'
			WHEN IFNULL(ticket.ssp_exclude_from_contests, 0) = 1 THEN 'excluded' END AS reason
	FROM `tabSSP Request` request LEFT JOIN `tabHD Ticket` ticket ON ticket.name = request.hd_ticket
	WHERE request.creation >= %(start)s AND request.creation < %(end)s AND {audience}
)
""",
	{"audience": "request.requester"},
	base_counts_all=True,
)
