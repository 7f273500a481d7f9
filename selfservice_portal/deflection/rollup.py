"""Daily roll-ups (SSP Daily Stat) that the reports read, so they stay fast as events grow.

For a day D, journeys that *started* on D are grouped and classified in one set-based query over the
event table (window functions: an event more than the inactivity gap after the previous one of the
same user starts a new journey), with the same rules as ``journeys.py``. Tickets and logged contacts
of D are counted per department and channel. Each run replaces D's rows, so any range can be
recomputed; the nightly job re-does the days whose deflection window may still have been open and
the days of the tickets and contacts changed since its last run (a ticket closed, rated, reclassified
or moved to another channel weeks after it was raised is counted on the day it was raised).
"""

from datetime import date, datetime, timedelta

import frappe
from frappe.utils import add_days, get_datetime, getdate, now_datetime

from selfservice_portal.deflection.article_feedback import record_missed_feedback
from selfservice_portal.deflection.events import flush_events, not_agent_sql
from selfservice_portal.deflection.queries import has_call_log_tables
from selfservice_portal.deflection.rollup_jobs import (
	day_bounds,
	days_between,
	enqueue_rebuild,
	get_last_run,
	insert_stat_rows,
	publish_day_done,
	set_last_run,
)
from selfservice_portal.deflection.settings import DeflectionRules, get_rules

PORTAL = "Portal"
METRICS = (
	"tickets",
	"contacts",
	"kb_journeys",
	"confirmed_deflections",
	"inferred_deflections",
	"tickets_after_kb",
	"tickets_after_reading",
	"pending_journeys",
	"closed_tickets",
	"rated_tickets",
	"reclassified_tickets",
)
LAST_RUN_KEY = "ssp_rollup_last_run"

JOURNEY_SQL = f"""
WITH step AS (
	SELECT portal_event.creation, COALESCE(portal_event.`user`, portal_event.session_id) AS person,
		portal_event.event_type, portal_event.department,
		(portal_event.event_type IN ('Article View', 'Article Helpful', 'Article Not Helpful')
			OR (portal_event.event_type IN ('KB Search', 'Articles Suggested')
				AND IFNULL(portal_event.result_count, 0) > 0)) AS engaged
	FROM `tabSSP Portal Event` portal_event
	WHERE portal_event.creation >= %(events_from)s AND portal_event.creation < %(events_to)s
		AND COALESCE(portal_event.`user`, portal_event.session_id) IS NOT NULL
		AND COALESCE(portal_event.`user`, portal_event.session_id) != 'Guest'
		AND {not_agent_sql()}
),
marked AS (
	SELECT step.*,
		CASE WHEN LAG(creation) OVER by_person IS NULL
			OR TIMESTAMPDIFF(SECOND, LAG(creation) OVER by_person, creation) > %(gap)s THEN 1 ELSE 0
		END AS is_start
	FROM step WINDOW by_person AS (PARTITION BY person ORDER BY creation)
),
numbered AS (
	SELECT marked.*,
		SUM(is_start) OVER (PARTITION BY person ORDER BY creation ROWS UNBOUNDED PRECEDING) AS journey_no
	FROM marked
),
journeys AS (
	SELECT person, journey_no, MIN(creation) AS started, MAX(creation) AS ended, MAX(engaged) AS engaged,
		MAX(event_type = 'Article Helpful') AS helpful, MAX(event_type = 'Ticket Submitted') AS submitted,
		SUBSTRING_INDEX(GROUP_CONCAT(department ORDER BY creation DESC SEPARATOR '\\n'), '\\n', 1) AS department
	FROM numbered GROUP BY person, journey_no
),
settled AS (
	SELECT journey.*,
		(journey.submitted OR EXISTS (
			SELECT 1 FROM `tabHD Ticket` ticket
			WHERE ticket.raised_by = journey.person
				AND ticket.creation BETWEEN journey.started AND journey.ended + INTERVAL %(window)s SECOND
		)) AS ticketed,
		journey.ended + INTERVAL %(window)s SECOND > %(now)s AS window_open
	FROM journeys journey
	WHERE journey.started >= %(day_from)s AND journey.started < %(day_to)s
)
SELECT department,
	COUNT(*) AS journeys,
	SUM(engaged) AS kb_journeys,
	SUM(NOT ticketed AND NOT window_open AND engaged AND helpful) AS confirmed_deflections,
	SUM(NOT ticketed AND NOT window_open AND engaged AND NOT helpful) AS inferred_deflections,
	SUM(ticketed AND engaged) AS tickets_after_kb,
	SUM(NOT ticketed AND window_open) AS pending_journeys
FROM settled
GROUP BY department
"""

TICKET_SQL = """
SELECT ssp_department AS department, ssp_channel AS channel,
	COUNT(*) AS tickets,
	SUM(status_category = 'Resolved') AS closed_tickets,
	SUM(status_category = 'Resolved' AND (IFNULL(feedback_rating, 0) > 0 OR feedback IS NOT NULL)) AS rated_tickets,
	SUM(IFNULL(ssp_reclassified, 0)) AS reclassified_tickets
FROM `tabHD Ticket`
WHERE creation >= %(day_from)s AND creation < %(day_to)s
GROUP BY ssp_department, ssp_channel
"""

# Distinct tickets, counted on the day they were raised (as "tickets"), whose requester engaged with the
# knowledge base in the deflection window before: a part of "tickets" by construction. (A journey
# followed by a ticket is a journey: several journeys may precede one ticket.)
TICKETS_AFTER_READING_SQL = """
SELECT ticket.ssp_department AS department, ticket.ssp_channel AS channel, COUNT(*) AS tickets_after_reading
FROM `tabHD Ticket` ticket
WHERE ticket.creation >= %(day_from)s AND ticket.creation < %(day_to)s
	AND EXISTS (
		SELECT 1 FROM `tabSSP Portal Event` portal_event
		WHERE portal_event.`user` = ticket.raised_by
			AND portal_event.creation >= ticket.creation - INTERVAL %(window)s SECOND
			AND portal_event.creation <= ticket.creation
			AND (portal_event.event_type IN ('Article View', 'Article Helpful', 'Article Not Helpful')
				OR (portal_event.event_type IN ('KB Search', 'Articles Suggested')
					AND IFNULL(portal_event.result_count, 0) > 0))
	)
GROUP BY ticket.ssp_department, ticket.ssp_channel
"""

CONTACT_SQL = """
SELECT department, channel, COUNT(*) AS contacts
FROM `tabSSP Contact Log`
WHERE contact_on >= %(day_from)s AND contact_on < %(day_to)s AND IFNULL(hd_ticket, '') = ''
GROUP BY department, channel
"""


def journey_rows(day: date, rules: DeflectionRules, now: datetime | None = None) -> list[dict]:
	"""Journey outcomes of the journeys that started on ``day``, per department (one query)."""
	day_from, day_to = day_bounds(day)
	return frappe.db.sql(
		JOURNEY_SQL,
		{
			# the day before, so a journey that began before midnight is not cut in two
			"events_from": day_from - timedelta(days=1),
			"events_to": day_to + timedelta(days=1),
			"day_from": day_from,
			"day_to": day_to,
			"gap": int(rules.gap.total_seconds()),
			"window": int(rules.window.total_seconds()),
			"now": now or now_datetime(),
		},
		as_dict=True,
	)


TICKET_METRICS = ("tickets", "closed_tickets", "rated_tickets", "reclassified_tickets")
JOURNEY_METRICS = (
	"kb_journeys",
	"confirmed_deflections",
	"inferred_deflections",
	"tickets_after_kb",
	"pending_journeys",
)


def day_stats(day: date, rules: DeflectionRules, now: datetime | None = None) -> list[dict]:
	"""SSP Daily Stat rows for ``day``: one per (department, channel) with any figure."""
	day_from, day_to = day_bounds(day)
	params = {"day_from": day_from, "day_to": day_to}
	stats: dict[tuple, dict] = {}

	def add(found: dict, channel: str | None, metrics: tuple[str, ...]) -> None:
		target = stats.setdefault((found["department"], channel), dict.fromkeys(METRICS, 0))
		for metric in metrics:
			target[metric] += int(found[metric] or 0)

	for found in frappe.db.sql(TICKET_SQL, params, as_dict=True):
		add(found, found.channel, TICKET_METRICS)
	reading = {**params, "window": int(rules.window.total_seconds())}
	for found in frappe.db.sql(TICKETS_AFTER_READING_SQL, reading, as_dict=True):
		add(found, found.channel, ("tickets_after_reading",))
	if frappe.db.table_exists("SSP Contact Log"):
		for found in frappe.db.sql(CONTACT_SQL, params, as_dict=True):
			add(found, found.channel, ("contacts",))
	for found in journey_rows(day, rules, now):
		add(found, PORTAL, JOURNEY_METRICS)
	return [
		{"stat_date": getdate(day), "department": department, "channel": channel, **values}
		for (department, channel), values in stats.items()
		if any(values.values())
	]


def rollup_day(day: date, rules: DeflectionRules | None = None, now: datetime | None = None) -> int:
	stats = day_stats(day, rules or get_rules(), now)
	frappe.db.delete("SSP Daily Stat", {"stat_date": getdate(day)})
	insert_stat_rows(
		"SSP Daily Stat",
		["stat_date", "department", "channel", *METRICS],
		[
			[stat["stat_date"], stat["department"], stat["channel"], *[stat[metric] for metric in METRICS]]
			for stat in stats
		],
	)
	return len(stats)


def rollup_range(from_date: str | date, to_date: str | date, show_progress: bool = False) -> int:
	"""Rebuild every day of the range; commits per day. Counts the events flushed by then, so it
	flushes the write-behind buffer first."""
	flush_events()
	return rollup_days(days_between(from_date, to_date), show_progress)


def rollup_days(days: list[date], show_progress: bool = False) -> int:
	"""Rebuild the given days; commits per day (and says so on the settings form when asked)."""
	rules = get_rules()
	rows = 0
	for done, day in enumerate(days, start=1):
		rows += rollup_day(day, rules)
		frappe.db.commit()  # nosemgrep: long job, each day is independent and idempotent
		if show_progress:
			publish_day_done(done, len(days), day)
	return rows


def nightly_rollup() -> None:
	"""Scheduler (daily_long): the days whose journeys may have settled since the last run, and the
	days of the tickets and contacts changed since then. The event buffer is flushed first: an event
	logged at 23:59:59 and still in Redis when yesterday is rolled up would otherwise be missed (the
	last few days are rolled up again every night, so a later flush of a recent event is counted too)."""
	flush_events()
	started = now_datetime()
	today = getdate(started)
	since = get_last_run(LAST_RUN_KEY) or get_datetime(add_days(today, -lookback_days(get_rules())))
	record_missed_feedback(since)
	rollup_days(days_to_recompute(since, today))
	set_last_run(started, LAST_RUN_KEY)


def lookback_days(rules: DeflectionRules) -> int:
	return int(rules.window.total_seconds() // 86400) + 2


def days_to_recompute(since: datetime, today: date) -> list[date]:
	"""The last few days (deflection windows closing) and the days changed since ``since``; not today,
	which is rolled up once it is over."""
	lookback = lookback_days(get_rules())
	days = {getdate(add_days(today, -offset)) for offset in range(1, lookback + 1)} | changed_days(since)
	return sorted(day for day in days if day < getdate(today))


def changed_days(since: datetime) -> set[date]:
	"""The days whose ticket and contact figures changed since ``since``: a ticket is counted on the
	day it was raised, a contact on the day it happened (one query)."""
	parts = ["SELECT DATE(creation) AS day FROM `tabHD Ticket` WHERE modified >= %(since)s"]
	if frappe.db.table_exists("SSP Contact Log"):
		parts.append("SELECT DATE(contact_on) FROM `tabSSP Contact Log` WHERE modified >= %(since)s")
	if has_call_log_tables():
		# Linking a call re-channels its ticket without touching the ticket's modified stamp.
		parts.append(
			"""SELECT DATE(ticket.creation) FROM `tabTP Call Log` call_log
			JOIN `tabDynamic Link` link ON link.parenttype = 'TP Call Log' AND link.parent = call_log.name
				AND link.link_doctype = 'HD Ticket'
			JOIN `tabHD Ticket` ticket ON ticket.name = link.link_name
			WHERE call_log.modified >= %(since)s"""
		)
	found = frappe.db.sql(" UNION ".join(parts), {"since": since})
	return {getdate(day) for (day,) in found if day}


def enqueue_rollup(from_date: str, to_date: str) -> str:
	"""Rebuild the range in the background, with progress on the settings form."""
	return enqueue_rebuild(
		"selfservice_portal.deflection.rollup.rollup_range",
		"ssp-rollup",
		from_date,
		to_date,
		show_progress=True,
	)
