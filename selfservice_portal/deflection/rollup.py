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
from selfservice_portal.deflection.settings import DeflectionRules, get_rules
from selfservice_portal.deflection.ticket_channels import has_call_log_tables

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
PROGRESS_EVENT = "ssp:rollup_progress"
LAST_RUN_KEY = "ssp_rollup_last_run"

JOURNEY_SQL = f"""
WITH ev AS (
	SELECT e.creation, COALESCE(e.`user`, e.session_id) AS k, e.event_type, e.department,
		(e.event_type IN ('Article View', 'Article Helpful', 'Article Not Helpful')
			OR (e.event_type IN ('KB Search', 'Articles Suggested') AND IFNULL(e.result_count, 0) > 0)) AS engaged
	FROM `tabSSP Portal Event` e
	WHERE e.creation >= %(events_from)s AND e.creation < %(events_to)s
		AND COALESCE(e.`user`, e.session_id) IS NOT NULL AND COALESCE(e.`user`, e.session_id) != 'Guest'
		AND {not_agent_sql()}
),
marked AS (
	SELECT ev.*,
		CASE WHEN LAG(creation) OVER w IS NULL
			OR TIMESTAMPDIFF(SECOND, LAG(creation) OVER w, creation) > %(gap)s THEN 1 ELSE 0 END AS is_start
	FROM ev WINDOW w AS (PARTITION BY k ORDER BY creation)
),
numbered AS (
	SELECT marked.*, SUM(is_start) OVER (PARTITION BY k ORDER BY creation ROWS UNBOUNDED PRECEDING) AS jn
	FROM marked
),
journeys AS (
	SELECT k, jn, MIN(creation) AS started, MAX(creation) AS ended, MAX(engaged) AS engaged,
		MAX(event_type = 'Article Helpful') AS helpful, MAX(event_type = 'Ticket Submitted') AS submitted,
		SUBSTRING_INDEX(GROUP_CONCAT(department ORDER BY creation DESC SEPARATOR '\\n'), '\\n', 1) AS department
	FROM numbered GROUP BY k, jn
),
settled AS (
	SELECT j.*,
		(j.submitted OR EXISTS (
			SELECT 1 FROM `tabHD Ticket` t
			WHERE t.raised_by = j.k AND t.creation BETWEEN j.started AND j.ended + INTERVAL %(window)s SECOND
		)) AS ticketed,
		j.ended + INTERVAL %(window)s SECOND > %(now)s AS window_open
	FROM journeys j
	WHERE j.started >= %(day_from)s AND j.started < %(day_to)s
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
SELECT t.ssp_department AS department, t.ssp_channel AS channel, COUNT(*) AS tickets_after_reading
FROM `tabHD Ticket` t
WHERE t.creation >= %(day_from)s AND t.creation < %(day_to)s
	AND EXISTS (
		SELECT 1 FROM `tabSSP Portal Event` e
		WHERE e.`user` = t.raised_by
			AND e.creation >= t.creation - INTERVAL %(window)s SECOND AND e.creation <= t.creation
			AND (e.event_type IN ('Article View', 'Article Helpful', 'Article Not Helpful')
				OR (e.event_type IN ('KB Search', 'Articles Suggested') AND IFNULL(e.result_count, 0) > 0))
	)
GROUP BY t.ssp_department, t.ssp_channel
"""

CONTACT_SQL = """
SELECT department, channel, COUNT(*) AS contacts
FROM `tabSSP Contact Log`
WHERE contact_on >= %(day_from)s AND contact_on < %(day_to)s AND IFNULL(hd_ticket, '') = ''
GROUP BY department, channel
"""


def day_bounds(day: date) -> tuple[datetime, datetime]:
	start = get_datetime(f"{getdate(day)} 00:00:00")
	return start, start + timedelta(days=1)


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


def day_stats(day: date, rules: DeflectionRules, now: datetime | None = None) -> list[dict]:
	"""SSP Daily Stat rows for ``day``: one per (department, channel) with any figure."""
	day_from, day_to = day_bounds(day)
	params = {"day_from": day_from, "day_to": day_to}
	rows: dict[tuple, dict] = {}

	def row(department, channel) -> dict:
		return rows.setdefault((department, channel), dict.fromkeys(METRICS, 0))

	for r in frappe.db.sql(TICKET_SQL, params, as_dict=True):
		target = row(r.department, r.channel)
		for key in ("tickets", "closed_tickets", "rated_tickets", "reclassified_tickets"):
			target[key] += int(r[key] or 0)
	reading = {**params, "window": int(rules.window.total_seconds())}
	for r in frappe.db.sql(TICKETS_AFTER_READING_SQL, reading, as_dict=True):
		row(r.department, r.channel)["tickets_after_reading"] += int(r.tickets_after_reading or 0)
	if frappe.db.table_exists("SSP Contact Log"):
		for r in frappe.db.sql(CONTACT_SQL, params, as_dict=True):
			row(r.department, r.channel)["contacts"] += int(r.contacts or 0)
	for r in journey_rows(day, rules, now):
		target = row(r.department, PORTAL)
		for key in (
			"kb_journeys",
			"confirmed_deflections",
			"inferred_deflections",
			"tickets_after_kb",
			"pending_journeys",
		):
			target[key] += int(r[key] or 0)
	return [
		{"stat_date": getdate(day), "department": department, "channel": channel, **values}
		for (department, channel), values in rows.items()
		if any(values.values())
	]


def rollup_day(day: date, rules: DeflectionRules | None = None, now: datetime | None = None) -> int:
	rules = rules or get_rules()
	stats = day_stats(day, rules, now)
	frappe.db.delete("SSP Daily Stat", {"stat_date": getdate(day)})
	if stats:
		fields = [
			"name",
			"stat_date",
			"department",
			"channel",
			*METRICS,
			"creation",
			"modified",
			"owner",
			"modified_by",
		]
		stamp = now_datetime()
		frappe.db.bulk_insert(
			"SSP Daily Stat",
			fields,
			[
				[frappe.generate_hash(length=12), s["stat_date"], s["department"], s["channel"]]
				+ [s[m] for m in METRICS]
				+ [stamp, stamp, "Administrator", "Administrator"]
				for s in stats
			],
		)
	return len(stats)


def rollup_range(from_date: str | date, to_date: str | date, user: str | None = None) -> int:
	"""Rebuild every day of the range; commits per day and reports progress to ``user``. Counts the
	events flushed by then, so it flushes the write-behind buffer first."""
	flush_events()
	start, end = getdate(from_date), getdate(to_date)
	return rollup_days([add_days(start, i) for i in range((end - start).days + 1)], user)


def rollup_days(days: list[date], user: str | None = None) -> int:
	"""Rebuild the given days; commits per day and reports progress to ``user``."""
	rules = get_rules()
	rows = 0
	for i, day in enumerate(days):
		rows += rollup_day(day, rules)
		frappe.db.commit()  # nosemgrep: long job, each day is independent and idempotent
		if user:
			frappe.publish_realtime(
				PROGRESS_EVENT,
				{"done": i + 1, "total": len(days), "day": str(day)},
				user=user,
				after_commit=True,
			)
	return rows


def nightly_rollup() -> None:
	"""Scheduler (daily_long): the days whose journeys may have settled since the last run, and the
	days of the tickets and contacts changed since then. The event buffer is flushed first: an event
	logged at 23:59:59 and still in Redis when yesterday is rolled up would otherwise be missed (the
	last few days are rolled up again every night, so a later flush of a recent event is counted too)."""
	flush_events()
	started = now_datetime()
	today = getdate(started)
	since = get_last_run() or get_datetime(add_days(today, -lookback_days(get_rules())))
	record_missed_feedback(since)
	rollup_days(days_to_recompute(since, today))
	set_last_run(started)


def lookback_days(rules: DeflectionRules) -> int:
	return int(rules.window.total_seconds() // 86400) + 2


def days_to_recompute(since: datetime, today: date) -> list[date]:
	"""The last few days (deflection windows closing) and the days changed since ``since``; not today,
	which is rolled up once it is over."""
	lookback = lookback_days(get_rules())
	days = {getdate(add_days(today, -i)) for i in range(1, lookback + 1)} | changed_days(since)
	return sorted(d for d in days if d < getdate(today))


def changed_days(since: datetime) -> set[date]:
	"""The days whose ticket and contact figures changed since ``since``: a ticket is counted on the
	day it was raised, a contact on the day it happened (one query)."""
	parts = ["SELECT DATE(creation) AS day FROM `tabHD Ticket` WHERE modified >= %(since)s"]
	if frappe.db.table_exists("SSP Contact Log"):
		parts.append("SELECT DATE(contact_on) FROM `tabSSP Contact Log` WHERE modified >= %(since)s")
	if has_call_log_tables():
		# Linking a call re-channels its ticket without touching the ticket's modified stamp.
		parts.append(
			"""SELECT DATE(t.creation) FROM `tabTP Call Log` c
			JOIN `tabDynamic Link` dl ON dl.parenttype = 'TP Call Log' AND dl.parent = c.name
				AND dl.link_doctype = 'HD Ticket'
			JOIN `tabHD Ticket` t ON t.name = dl.link_name
			WHERE c.modified >= %(since)s"""
		)
	rows = frappe.db.sql(" UNION ".join(parts), {"since": since})
	return {getdate(day) for (day,) in rows if day}


def get_last_run(key: str = LAST_RUN_KEY) -> datetime | None:
	value = frappe.db.get_default(key)
	return get_datetime(value) if value else None


def set_last_run(started: datetime, key: str = LAST_RUN_KEY) -> None:
	"""When the last nightly run *started*: what changed while it ran is picked up by the next one."""
	frappe.db.set_default(key, str(started))
	frappe.db.commit()  # nosemgrep: scheduler job; the marker must match the days committed above


def enqueue_rollup(from_date: str, to_date: str) -> str:
	job_id = f"ssp-rollup-{from_date}-{to_date}"
	frappe.enqueue(
		"selfservice_portal.deflection.rollup.rollup_range",
		queue="long",
		job_id=job_id,
		deduplicate=True,
		from_date=from_date,
		to_date=to_date,
		user=frappe.session.user,
	)
	return job_id
