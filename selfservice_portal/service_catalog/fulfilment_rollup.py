"""The daily roll-up behind the Fulfilment report (SSP Fulfilment Stat), so the report never scans
tickets however many requests there are.

For a day D, the catalog requests submitted on D (their tickets opened on D) are grouped per service
and department: how many, how many were fulfilled, how many within the service's promise, and the
histogram of their times to fulfil; and, per plan task label, the histogram of the times their
resolved tasks took. Medians and percentiles over any range are read from the summed histograms
(``durations.py``: within 4.4 %); counts and within-promise figures are exact.

- *Time to fulfil*: from the opening of the request's ticket (the submission; the request is made in
  the same call) to its resolution — Helpdesk's ``resolution_date`` (set by its SLA engine when the
  ticket enters a Resolved-category status, cleared when it is reopened), or the ticket's last change
  when no SLA applied. Wall-clock time: the approval wait counts, working hours do not matter.
- *Fulfilled*: the ticket is resolved or closed and the request was neither rejected nor cancelled.
- *Within the promise*: fulfilled within the service's ``fulfilment_hours`` as it was when the day
  was rolled up (0: no promise, the request is not counted in ``promised``).
- *A task's time*: from its start (its ticket made, once the tasks it waits for are done) to its
  resolution, so a task kind is not blamed for the wait before it.

A month row (period *Month*, dated the 1st) holds the sum of the month's day rows, so a report over
whole months reads one row per month and service; the days at either end come from day rows.

Each run replaces D's rows and its month's, so any range can be rebuilt (``rollup_range``). The nightly job rolls up
yesterday and the days of every request whose ticket or task changed since its last run (a request
submitted weeks ago and fulfilled last night moves its own day's figures).
"""

import json
from collections import defaultdict
from datetime import date, datetime

import frappe
from frappe.utils import add_days, get_datetime, get_first_day, get_last_day, getdate, now_datetime

from selfservice_portal.deflection.rollup_jobs import (
	day_bounds,
	days_between,
	enqueue_rebuild,
	get_last_run,
	insert_stat_rows,
	set_last_run,
)
from selfservice_portal.service_catalog import durations

DOCTYPE = "SSP Fulfilment Stat"
LAST_RUN_KEY = "ssp_fulfilment_rollup_last_run"
NOT_FULFILLED = ("Rejected", "Cancelled")  # the request's outcome, mirrored on its ticket
COUNTS = ("requests", "fulfilled", "promised", "within_promise")
STORED = (*COUNTS, "fulfil_seconds", "fulfil_histogram", "task_histograms")
DAY, MONTH = "Day", "Month"

# A request ticket: one that a catalog request made (task tickets have no service).
IS_REQUEST = "IFNULL(ticket.ssp_request, '') != '' AND IFNULL(ticket.ssp_service, '') != ''"

REQUEST_SQL = f"""
SELECT ticket.ssp_service AS service, ticket.ssp_department AS department,
	(ticket.status_category = 'Resolved'
		AND IFNULL(ticket.ssp_approval_status, '') NOT IN %(not_fulfilled)s) AS fulfilled,
	TIMESTAMPDIFF(SECOND, ticket.creation, COALESCE(ticket.resolution_date, ticket.modified)) AS seconds,
	IFNULL(service.fulfilment_hours, 0) AS promise_hours
FROM `tabHD Ticket` ticket
LEFT JOIN `tabSSP Service` service ON service.name = ticket.ssp_service
WHERE ticket.creation >= %(day_from)s AND ticket.creation < %(day_to)s AND {IS_REQUEST}
"""

TASK_SQL = f"""
SELECT ticket.ssp_service AS service, ticket.ssp_department AS department, task.task_label AS label,
	TIMESTAMPDIFF(SECOND, task.started_on, task.resolved_on) AS seconds
FROM `tabSSP Request Task` task
JOIN `tabHD Ticket` ticket ON ticket.name = task.request_ticket
WHERE ticket.creation >= %(day_from)s AND ticket.creation < %(day_to)s AND {IS_REQUEST}
	AND task.status = 'Resolved' AND task.started_on IS NOT NULL AND task.resolved_on IS NOT NULL
"""

CHANGED_SQL = f"""
SELECT DATE(ticket.creation) FROM `tabHD Ticket` ticket WHERE ticket.modified >= %(since)s AND {IS_REQUEST}
UNION
SELECT DATE(ticket.creation) FROM `tabSSP Request Task` task
JOIN `tabHD Ticket` ticket ON ticket.name = task.request_ticket
WHERE task.modified >= %(since)s
"""


def day_stats(day: date) -> list[dict]:
	"""SSP Fulfilment Stat rows for ``day``: one per (service, department) with a request (two
	queries: the day's requests, and their resolved tasks)."""
	day_from, day_to = day_bounds(day)
	params = {"day_from": day_from, "day_to": day_to, "not_fulfilled": NOT_FULFILLED}
	counts: dict[tuple, dict] = {}
	spent: dict[tuple, list[float]] = defaultdict(list)
	for request in frappe.db.sql(REQUEST_SQL, params, as_dict=True):
		key = (request.service, request.department)
		totals = counts.setdefault(key, {**dict.fromkeys(COUNTS, 0), "fulfil_seconds": 0.0})
		totals["requests"] += 1
		if not request.fulfilled:
			continue
		seconds = max(float(request.seconds or 0), 0.0)
		totals["fulfilled"] += 1
		totals["fulfil_seconds"] += seconds
		spent[key].append(seconds)
		if request.promise_hours and request.promise_hours > 0:
			totals["promised"] += 1
			totals["within_promise"] += int(seconds <= request.promise_hours * 3600)
	tasks: dict[tuple, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
	for task in frappe.db.sql(TASK_SQL, params, as_dict=True):
		if (task.service, task.department) in counts and task.label:
			tasks[(task.service, task.department)][task.label].append(max(float(task.seconds or 0), 0.0))
	return [
		{
			"stat_date": getdate(day),
			"service": service,
			"department": department,
			**totals,
			"fulfil_histogram": durations.dumps(durations.histogram(spent[(service, department)])),
			"task_histograms": task_histograms_json(
				{label: durations.histogram(times) for label, times in tasks[(service, department)].items()}
			),
		}
		for (service, department), totals in counts.items()
	]


def task_histograms_json(histograms: dict[str, dict]) -> str:
	"""The per-task histograms as stored: compact JSON, labels sorted."""
	return json.dumps(
		{label: durations.as_json(histogram) for label, histogram in sorted(histograms.items())},
		separators=(",", ":"),
	)


def rollup_day(day: date, month: bool = True) -> int:
	"""Replace ``day``'s rows with what the tickets say now, and its month's total (unless the
	caller rebuilds the month once after several days)."""
	stats = day_stats(day)
	write_rows(DAY, day, stats)
	if month:
		rollup_month(day)
	return len(stats)


def rollup_month(day: date) -> int:
	"""Replace the month row of ``day``'s month with the sum of its day rows (one query)."""
	first = getdate(get_first_day(day))
	stat = frappe.qb.DocType(DOCTYPE)
	day_rows = (
		frappe.qb.from_(stat)
		.select(stat.service, stat.department, *[stat[column] for column in STORED])
		.where((stat.period == DAY) & stat.stat_date[first : getdate(get_last_day(day))])
		.run(as_dict=True)
	)
	stats = [
		{
			**group,
			"fulfil_histogram": durations.dumps(group["histogram"]),
			"task_histograms": task_histograms_json(group["tasks"]),
		}
		for group in grouped(day_rows)
	]
	write_rows(MONTH, first, stats)
	return len(stats)


def write_rows(period: str, stat_date: date, stats: list[dict]) -> None:
	frappe.db.delete(DOCTYPE, {"period": period, "stat_date": getdate(stat_date)})
	insert_stat_rows(
		DOCTYPE,
		["period", "stat_date", "service", "department", *STORED],
		[
			[
				period,
				getdate(stat_date),
				stat["service"],
				stat["department"],
				*[stat[column] for column in STORED],
			]
			for stat in stats
		],
	)


def rollup_range(from_date: str | date, to_date: str | date) -> int:
	"""Rebuild every day of the range and the months they fall in (e.g. after a service's promise
	changed, or on a new site with history): ``bench --site SITE execute
	selfservice_portal.service_catalog.fulfilment_rollup.rollup_range --kwargs "{'from_date':
	'2026-01-01', 'to_date': '2026-12-31'}"``, or ``enqueue_rollup``. Commits per day."""
	return rollup_days(days_between(from_date, to_date))


def rollup_last_year() -> int:
	"""The demo's last step: its back-dated requests show in the report at once."""
	today = getdate()
	return rollup_range(add_days(today, -366), add_days(today, -1))


def rollup_days(days: list[date]) -> int:
	rows, months = 0, {}
	for day in days:
		rows += rollup_day(day, month=False)
		months.setdefault(str(day)[:7], day)
		frappe.db.commit()  # nosemgrep: long job, each day is independent and idempotent
	for day in months.values():
		rollup_month(day)
		frappe.db.commit()  # nosemgrep: as above, each month is rebuilt from its committed days
	return rows


def nightly_rollup() -> None:
	"""Scheduler (daily_long): yesterday, and the days of the requests changed since the last run
	(the first run looks back two days; older history is rebuilt with ``rollup_range``)."""
	started = now_datetime()
	today = getdate(started)
	since = get_last_run(LAST_RUN_KEY) or get_datetime(add_days(today, -2))
	rollup_days(days_to_recompute(since, today))
	set_last_run(started, LAST_RUN_KEY)


def days_to_recompute(since: datetime, today: date) -> list[date]:
	"""Yesterday and the days changed since ``since``; never today, rolled up once it is over."""
	changed = {getdate(day) for (day,) in frappe.db.sql(CHANGED_SQL, {"since": since}) if day}
	return sorted(day for day in changed | {getdate(add_days(today, -1))} if day < today)


def enqueue_rollup(from_date: str, to_date: str) -> str:
	"""Rebuild the range in the background (the deflection roll-up's job shows the progress)."""
	return enqueue_rebuild(
		"selfservice_portal.service_catalog.fulfilment_rollup.rollup_range",
		"ssp-fulfilment-rollup",
		from_date,
		to_date,
	)


# --------------------------------------------------------------------------- what the report reads


def summed(filters: dict) -> list[dict]:
	"""Per (service, department) over the report's dates: the counts summed and the histograms
	merged (one query over the roll-up). Whole months inside the dates are read from their month
	rows, the days before and after them from day rows: a year is 12 rows per service."""
	stat = frappe.qb.DocType(DOCTYPE)
	months, days = split_range(getdate(filters.from_date), getdate(filters.to_date))
	where = None
	for first, last in days:
		part = (stat.period == DAY) & stat.stat_date[first:last]
		where = part if where is None else where | part
	if months:
		part = (stat.period == MONTH) & stat.stat_date.isin(months)
		where = part if where is None else where | part
	query = (
		frappe.qb.from_(stat)
		.select(stat.service, stat.department, *[stat[column] for column in STORED])
		.where(where)
	)
	for field in ("service", "department"):
		if filters.get(field):
			query = query.where(stat[field] == filters.get(field))
	return grouped(query.run(as_dict=True))


def split_range(from_date: date, to_date: date) -> tuple[list[date], list[tuple[date, date]]]:
	"""(first days of the months wholly inside the range, (first, last) day spans of the rest)."""
	months, days = [], []
	first = getdate(get_first_day(from_date))
	if first < from_date:  # the range starts within a month
		first = getdate(add_days(get_last_day(from_date), 1))
		days.append((from_date, min(to_date, getdate(add_days(first, -1)))))
	while first <= to_date:
		last = getdate(get_last_day(first))
		if last <= to_date:
			months.append(first)
		else:
			days.append((first, to_date))
		first = getdate(add_days(last, 1))
	return months, days


def grouped(rows: list[dict]) -> list[dict]:
	"""Roll-up rows summed per (service, department), their histograms merged."""
	groups: dict[tuple, dict] = {}
	for row in rows:
		group = groups.get((row.service, row.department))
		if group is None:
			group = groups[(row.service, row.department)] = {
				"service": row.service,
				"department": row.department,
				**dict.fromkeys(COUNTS, 0),
				"fulfil_seconds": 0.0,
				"histogram": {},
				"tasks": {},
			}
		for count in COUNTS:
			group[count] += row[count] or 0
		group["fulfil_seconds"] += row.fulfil_seconds or 0
		durations.add(group["histogram"], row.fulfil_histogram)
		if row.task_histograms and row.task_histograms != "{}":
			for label, histogram in json.loads(row.task_histograms).items():
				durations.add(group["tasks"].setdefault(label, {}), histogram)
	return list(groups.values())
