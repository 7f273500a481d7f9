"""Ticket-based metrics: one scan of the period's tickets (fair play applied: agent exclusions,
trivial tickets, the daily cap) serves every one of them in a judging run."""

from collections.abc import Callable

import frappe

from selfservice_portal.contests.metric_model import (
	EXCLUDED,
	NOT_PORTAL,
	NOT_RATED,
	OVER_CAP,
	TRIVIAL,
	Context,
	Score,
)

# A ticket's text without HTML tags, in characters (fair_play.text_length, in SQL). Stripping the
# HTML of every ticket while judging costs seconds per 100,000 e-mail tickets: the length is stored at
# every save (ssp_text_length) and computed here only for a ticket written without a save (-1).
TEXT_LENGTH = """CHAR_LENGTH(TRIM(CONCAT(IFNULL(subject, ''), ' ',
	REGEXP_REPLACE(IFNULL(description, ''), '<[^>]*>', ''))))"""

# What the fair-play rules need to know about a ticket (selected from `tabHD Ticket`).
TICKET_COLUMNS = f"""name, raised_by AS user, creation,
		IFNULL(ssp_channel, '') = 'Portal' AS is_portal,
		IFNULL(ssp_exclude_from_contests, 0) = 1 AS excluded,
		IF(ssp_text_length >= 0, ssp_text_length, {TEXT_LENGTH}) < %(min_length)s AS trivial,
		IFNULL(feedback_rating, 0) > 0 AS rated"""

# From ``day_tickets`` (every ticket of a user's day, so the daily cap is counted right) to
# ``checked_tickets``: each ticket with ``valid`` — not excluded, not trivial, within the daily cap.
# ``nth`` numbers a user's countable tickets of a day (a running count, so that an excluded or trivial
# ticket takes no place); ``{windows}`` adds window columns of the same order: one sort serves them all.
DAY_ORDER = "PARTITION BY user, DATE(creation) ORDER BY creation, name"
VALIDITY_CTES = """
numbered_tickets AS (
	SELECT day_tickets.*, SUM(NOT (excluded OR trivial)) OVER (
		{day_order} ROWS UNBOUNDED PRECEDING) AS nth{windows}
	FROM day_tickets
),
checked_tickets AS (
	SELECT numbered_tickets.*, NOT excluded AND NOT trivial AND nth <= %(cap)s AS valid
	FROM numbered_tickets
)
"""


def validity_ctes(windows: str = "") -> str:
	return VALIDITY_CTES.format(day_order=DAY_ORDER, windows=windows)


# The period's tickets; with each, the ticket ``burst_offset`` places later by the same user (the rule of
# fair_play.burst_users, set-based: if that one is within ``burst_minutes``, a burst begins here). The
# one scan that scores the ticket metrics also finds the bursts, in the daily cap's order (the day
# first: the same order as by time alone, and MariaDB sorts once for both windows).
TICKETS_CTE = f"""
WITH day_tickets AS (
	SELECT {TICKET_COLUMNS}
	FROM `tabHD Ticket`
	WHERE creation >= %(start)s AND creation < %(end)s AND {{audience}}
),""" + validity_ctes(
	""",
		LEAD(creation, %(burst_offset)s) OVER (
			PARTITION BY user ORDER BY DATE(creation), creation, name) AS burst_end"""
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
	MAX(CASE WHEN valid AND rated THEN creation END) AS last_rated,
	MIN(CASE WHEN burst_end <= creation + INTERVAL %(burst_minutes)s MINUTE THEN creation END) AS burst_at
FROM checked_tickets GROUP BY user
"""
)

TICKET_RECORDS = TICKETS_CTE + (
	"SELECT * FROM checked_tickets WHERE user = %(participant)s ORDER BY creation"
)


def ticket_rows(ctx: Context) -> list[dict]:
	"""One scan of the period's tickets serves every ticket-based metric of a judging run."""
	if "tickets" not in ctx.memo:
		ctx.memo["tickets"] = frappe.db.sql(
			TICKET_SCORES.format(audience=ctx.audience("raised_by")), ctx.params(), as_dict=True
		)
	return ctx.memo["tickets"]


def fair_play_losses(row: dict) -> dict[str, int]:
	losses = {
		EXCLUDED: int(row.excluded or 0),
		TRIVIAL: int(row.trivial or 0),
		OVER_CAP: int(row.over_cap or 0),
	}
	return {reason: count for reason, count in losses.items() if count}


def subset_scores(count: str, last: str, missing_reason: str) -> Callable[[Context], list[Score]]:
	"""Score = the valid tickets that also meet a condition (through the portal, rated…)."""

	def scores(ctx: Context) -> list[Score]:
		out = []
		for row in ticket_rows(ctx):
			valid, hits = int(row.valid or 0), int(row[count] or 0)
			losses = {**fair_play_losses(row), **({missing_reason: valid - hits} if valid != hits else {})}
			out.append(Score(row.user, float(hits), float(valid), row[last], hits, losses))
		return out

	return scores


portal_ticket_scores = subset_scores("valid_portal", "last_portal", NOT_PORTAL)
tickets_rated_scores = subset_scores("valid_rated", "last_rated", NOT_RATED)


def independence_scores(ctx: Context) -> list[Score]:
	return [
		Score(
			row.user,
			round(float(row.valid_portal or 0) / float(row.valid), 4) if row.valid else 0.0,
			float(row.valid or 0),
			row.last_valid,
			int(row.valid or 0),
			fair_play_losses(row),
		)
		for row in ticket_rows(ctx)
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
		for row in rows:
			reason = (
				EXCLUDED
				if row.excluded
				else TRIVIAL
				if row.trivial
				else OVER_CAP
				if row.nth > ctx.params()["cap"]
				else counts(row)
			)
			out.append(
				{
					"doctype": "HD Ticket",
					"name": row.name,
					"on": row.creation,
					"counted": reason is None,
					"reason": reason,
				}
			)
		return out

	return records
