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

from selfservice_portal.deflection.rollup import day_bounds, get_last_run, set_last_run
from selfservice_portal.service_catalog import durations

DOCTYPE = "SSP Fulfilment Stat"
LAST_RUN_KEY = "ssp_fulfilment_rollup_last_run"
NOT_FULFILLED = ("Rejected", "Cancelled")  # the request's outcome, mirrored on its ticket
COUNTS = ("requests", "fulfilled", "promised", "within_promise")
STORED = (*COUNTS, "fulfil_seconds", "fulfil_histogram", "task_histograms")
DAY, MONTH = "Day", "Month"

# A request ticket: one that a catalog request made (task tickets have no service).
IS_REQUEST = "IFNULL(t.ssp_request, '') != '' AND IFNULL(t.ssp_service, '') != ''"

REQUEST_SQL = f"""
SELECT t.ssp_service AS service, t.ssp_department AS department,
	(t.status_category = 'Resolved'
		AND IFNULL(t.ssp_approval_status, '') NOT IN %(not_fulfilled)s) AS fulfilled,
	TIMESTAMPDIFF(SECOND, t.creation, COALESCE(t.resolution_date, t.modified)) AS seconds,
	IFNULL(s.fulfilment_hours, 0) AS promise_hours
FROM `tabHD Ticket` t
LEFT JOIN `tabSSP Service` s ON s.name = t.ssp_service
WHERE t.creation >= %(day_from)s AND t.creation < %(day_to)s AND {IS_REQUEST}
"""

TASK_SQL = f"""
SELECT t.ssp_service AS service, t.ssp_department AS department, rt.task_label AS label,
	TIMESTAMPDIFF(SECOND, rt.started_on, rt.resolved_on) AS seconds
FROM `tabSSP Request Task` rt
JOIN `tabHD Ticket` t ON t.name = rt.request_ticket
WHERE t.creation >= %(day_from)s AND t.creation < %(day_to)s AND {IS_REQUEST}
	AND rt.status = 'Resolved' AND rt.started_on IS NOT NULL AND rt.resolved_on IS NOT NULL
"""

CHANGED_SQL = f"""
SELECT DATE(t.creation) FROM `tabHD Ticket` t WHERE t.modified >= %(since)s AND {IS_REQUEST}
UNION
SELECT DATE(t.creation) FROM `tabSSP Request Task` rt JOIN `tabHD Ticket` t ON t.name = rt.request_ticket
WHERE rt.modified >= %(since)s
"""


def day_stats(day: date) -> list[dict]:
	"""SSP Fulfilment Stat rows for ``day``: one per (service, department) with a request (two
	queries: the day's requests, and their resolved tasks)."""
	day_from, day_to = day_bounds(day)
	params = {"day_from": day_from, "day_to": day_to, "not_fulfilled": NOT_FULFILLED}
	rows: dict[tuple, dict] = {}
	spent: dict[tuple, list[float]] = defaultdict(list)
	for r in frappe.db.sql(REQUEST_SQL, params, as_dict=True):
		key = (r.service, r.department)
		row = rows.setdefault(key, {**dict.fromkeys(COUNTS, 0), "fulfil_seconds": 0.0})
		row["requests"] += 1
		if not r.fulfilled:
			continue
		seconds = max(float(r.seconds or 0), 0.0)
		row["fulfilled"] += 1
		row["fulfil_seconds"] += seconds
		spent[key].append(seconds)
		if r.promise_hours and r.promise_hours > 0:
			row["promised"] += 1
			row["within_promise"] += int(seconds <= r.promise_hours * 3600)
	tasks: dict[tuple, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
	for r in frappe.db.sql(TASK_SQL, params, as_dict=True):
		if (r.service, r.department) in rows and r.label:
			tasks[(r.service, r.department)][r.label].append(max(float(r.seconds or 0), 0.0))
	return [
		{
			"stat_date": getdate(day),
			"service": service,
			"department": department,
			**values,
			"fulfil_histogram": durations.dumps(durations.histogram(spent[(service, department)])),
			"task_histograms": json.dumps(
				{
					label: durations.as_json(durations.histogram(times))
					for label, times in sorted(tasks[(service, department)].items())
				},
				separators=(",", ":"),
			),
		}
		for (service, department), values in rows.items()
	]


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
		.select(stat.service, stat.department, *[stat[c] for c in STORED])
		.where((stat.period == DAY) & stat.stat_date[first : getdate(get_last_day(day))])
		.run(as_dict=True)
	)
	stats = [
		{
			**g,
			"fulfil_histogram": durations.dumps(g["histogram"]),
			"task_histograms": json.dumps(
				{label: durations.as_json(h) for label, h in sorted(g["tasks"].items())},
				separators=(",", ":"),
			),
		}
		for g in grouped(day_rows)
	]
	write_rows(MONTH, first, stats)
	return len(stats)


def write_rows(period: str, stat_date: date, stats: list[dict]) -> None:
	frappe.db.delete(DOCTYPE, {"period": period, "stat_date": getdate(stat_date)})
	if not stats:
		return
	stamp = now_datetime()
	frappe.db.bulk_insert(
		DOCTYPE,
		[
			"name",
			"period",
			"stat_date",
			"service",
			"department",
			*STORED,
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		[
			[frappe.generate_hash(length=12), period, getdate(stat_date), s["service"], s["department"]]
			+ [s[c] for c in STORED]
			+ [stamp, stamp, "Administrator", "Administrator"]
			for s in stats
		],
	)


def rollup_range(from_date: str | date, to_date: str | date) -> int:
	"""Rebuild every day of the range and the months they fall in (e.g. after a service's promise
	changed, or on a new site with history): ``bench --site SITE execute
	selfservice_portal.service_catalog.fulfilment_rollup.rollup_range --kwargs "{'from_date':
	'2026-01-01', 'to_date': '2026-12-31'}"``, or ``enqueue_rollup``. Commits per day."""
	start, end = getdate(from_date), getdate(to_date)
	return rollup_days([getdate(add_days(start, i)) for i in range((end - start).days + 1)])


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
	return sorted(d for d in changed | {getdate(add_days(today, -1))} if d < today)


def enqueue_rollup(from_date: str, to_date: str) -> str:
	job_id = f"ssp-fulfilment-rollup-{from_date}-{to_date}"
	frappe.enqueue(
		"selfservice_portal.service_catalog.fulfilment_rollup.rollup_range",
		queue="long",
		job_id=job_id,
		deduplicate=True,
		from_date=from_date,
		to_date=to_date,
	)
	return job_id


# --------------------------------------------------------------------------- what the report reads


def summed(filters) -> list[dict]:
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
		frappe.qb.from_(stat).select(stat.service, stat.department, *[stat[c] for c in STORED]).where(where)
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
	for r in rows:
		g = groups.get((r.service, r.department))
		if g is None:
			g = groups[(r.service, r.department)] = {
				"service": r.service,
				"department": r.department,
				**dict.fromkeys(COUNTS, 0),
				"fulfil_seconds": 0.0,
				"histogram": {},
				"tasks": {},
			}
		for c in COUNTS:
			g[c] += r[c] or 0
		g["fulfil_seconds"] += r.fulfil_seconds or 0
		durations.add(g["histogram"], r.fulfil_histogram)
		if r.task_histograms and r.task_histograms != "{}":
			for label, hist in json.loads(r.task_histograms).items():
				durations.add(g["tasks"].setdefault(label, {}), hist)
	return list(groups.values())
