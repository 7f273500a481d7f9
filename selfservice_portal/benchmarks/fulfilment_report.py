"""Benchmark: the Fulfilment report over a year of 100k catalog requests (and their plan tasks), which
reads the daily roll-up, vs the raw GROUP BY over the tickets it replaces; and the roll-up itself.

	bench --site SITE execute selfservice_portal.benchmarks.fulfilment_report.run --kwargs "{'requests': 100000}"

Target: report ≤ 0.01x the raw GROUP BY. The raw query only counts (requests, fulfilled, within the
promise) per service and department; the report also reads medians, 90th percentiles and the slowest
task, which a raw query would need window functions for, so the comparison favours the raw side.
SCRATCH DATA in 2023 (prefixed, deleted at the end).
"""

import time

import frappe
from frappe.utils import add_days

from selfservice_portal.benchmarks.deflection_reports import best_of
from selfservice_portal.benchmarks.harness import print_table
from selfservice_portal.service_catalog.fulfilment_rollup import DOCTYPE, rollup_range

PREFIX = "sspfb"
START, END = "2023-01-01", "2023-12-31"
SERVICES, DEPARTMENTS = 20, 5
RAW_SQL = """
SELECT t.ssp_service, t.ssp_department, COUNT(*) AS requests,
	SUM(t.status_category = 'Resolved' AND IFNULL(t.ssp_approval_status, '') NOT IN ('Rejected', 'Cancelled')) AS fulfilled,
	SUM(t.status_category = 'Resolved' AND s.fulfilment_hours > 0
		AND TIMESTAMPDIFF(SECOND, t.creation, COALESCE(t.resolution_date, t.modified)) <= s.fulfilment_hours * 3600)
		AS within_promise,
	AVG(TIMESTAMPDIFF(SECOND, t.creation, COALESCE(t.resolution_date, t.modified))) AS mean_seconds
FROM `tabHD Ticket` t
LEFT JOIN `tabSSP Service` s ON s.name = t.ssp_service
WHERE t.creation >= %(start)s AND t.creation < %(end)s
	AND IFNULL(t.ssp_request, '') != '' AND IFNULL(t.ssp_service, '') != ''
GROUP BY t.ssp_service, t.ssp_department
"""

# The same figures the report shows, medians and 90th percentiles included, straight from the tickets.
RAW_PERCENTILE_SQL = """
SELECT ssp_service, ssp_department, MAX(p50) AS median_seconds, MAX(p90) AS p90_seconds, COUNT(*) AS fulfilled
FROM (
	SELECT t.ssp_service, t.ssp_department,
		PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY TIMESTAMPDIFF(SECOND, t.creation, t.resolution_date))
			OVER (PARTITION BY t.ssp_service, t.ssp_department) AS p50,
		PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY TIMESTAMPDIFF(SECOND, t.creation, t.resolution_date))
			OVER (PARTITION BY t.ssp_service, t.ssp_department) AS p90
	FROM `tabHD Ticket` t
	WHERE t.creation >= %(start)s AND t.creation < %(end)s AND t.status_category = 'Resolved'
		AND IFNULL(t.ssp_request, '') != '' AND IFNULL(t.ssp_service, '') != ''
) fulfilled
GROUP BY ssp_service, ssp_department
"""


def seed(requests: int) -> None:
	"""Services with promises of 0-72 h; requests spread over the year, fulfilled in minutes to weeks
	(one in ten still open, one in twenty rejected); every fifth request has three plan tasks."""
	span = 365 * 86400
	frappe.db.sql(
		f"""INSERT INTO `tabSSP Service` (name, title, department, fulfilment_hours, is_enabled, creation,
			modified, owner, modified_by)
		SELECT CONCAT('{PREFIX}-s', seq), CONCAT('Bench service ', seq), CONCAT('{PREFIX}-d', seq MOD {DEPARTMENTS}),
			(seq MOD 4) * 24, 1, NOW(), NOW(), 'Administrator', 'Administrator'
		FROM seq_1_to_{SERVICES}"""
	)
	opened = f"TIMESTAMP(%(start)s) + INTERVAL (seq * {span} DIV {requests} + seq * 157 MOD 3600) MOD {span} SECOND"
	frappe.db.sql(
		f"""INSERT INTO `tabHD Ticket` (name, subject, raised_by, owner, modified_by, creation, modified,
			opening_date, status, status_category, resolution_date, ssp_service, ssp_department, ssp_request,
			ssp_approval_status)
		SELECT CONCAT('{PREFIX}-t', seq), 'Bench request', 'bench@example.com', 'Administrator', 'Administrator',
			{opened}, {opened}, DATE({opened}),
			IF(seq MOD 10 = 0, 'Open', 'Resolved'), IF(seq MOD 10 = 0, 'Open', 'Resolved'),
			IF(seq MOD 10 = 0, NULL, {opened} + INTERVAL 60 + (seq * 7919) MOD (21 * 86400) SECOND),
			CONCAT('{PREFIX}-s', 1 + seq MOD {SERVICES}), CONCAT('{PREFIX}-d', (1 + seq MOD {SERVICES}) MOD {DEPARTMENTS}),
			CONCAT('{PREFIX}-r', seq), IF(seq MOD 20 = 7, 'Rejected', 'Approved')
		FROM seq_1_to_{requests}""",
		{"start": START},
	)
	task_start = f"TIMESTAMP(%(start)s) + INTERVAL (r.seq * {span} DIV {requests} + 3600) MOD {span} SECOND"
	frappe.db.sql(
		f"""INSERT INTO `tabSSP Request Task` (name, creation, modified, owner, modified_by, request,
			request_ticket, task_id, task_label, status, started_on, resolved_on)
		SELECT CONCAT('{PREFIX}-k', r.seq, '-', k.seq), NOW(), NOW(), 'Administrator', 'Administrator',
			CONCAT('{PREFIX}-r', r.seq), CONCAT('{PREFIX}-t', r.seq), CONCAT('task', k.seq),
			ELT(k.seq, 'Contract', 'IT account', 'Building pass'), 'Resolved',
			{task_start}, {task_start} + INTERVAL 60 + (r.seq * k.seq * 104729) MOD (7 * 86400) SECOND
		FROM seq_1_to_{requests} r JOIN seq_1_to_3 k
		WHERE r.seq MOD 5 = 0""",
		{"start": START},
	)
	frappe.db.commit()  # nosemgrep: benchmark scratch data


def cleanup() -> None:
	frappe.db.sql(f"DELETE FROM `tabSSP Request Task` WHERE name LIKE '{PREFIX}-k%%'")
	frappe.db.sql(f"DELETE FROM `tabHD Ticket` WHERE name LIKE '{PREFIX}-t%%'")
	frappe.db.sql(f"DELETE FROM `tabSSP Service` WHERE name LIKE '{PREFIX}-s%%'")
	frappe.db.delete(DOCTYPE, {"stat_date": ("between", [START, END])})
	frappe.db.commit()  # nosemgrep: benchmark clean-up


def run(requests: int = 100_000) -> dict:
	from frappe.desk.query_report import run as run_report

	from selfservice_portal.service_catalog.report.ssp_fulfilment.ssp_fulfilment import execute

	requests = int(requests)
	cleanup()
	try:
		started = time.perf_counter()
		seed(requests)
		seeded = time.perf_counter() - started
		started = time.perf_counter()
		stored = rollup_range(START, END)
		year = time.perf_counter() - started
		filters = {"from_date": START, "to_date": END}
		raw = best_of(lambda: frappe.db.sql(RAW_SQL, {"start": START, "end": str(add_days(END, 1))}), 5)
		bounds = {"start": START, "end": str(add_days(END, 1))}
		raw_percentiles = best_of(lambda: frappe.db.sql(RAW_PERCENTILE_SQL, bounds), 3)
		report = best_of(lambda: run_report("SSP Fulfilment", filters=filters), 5)
		compute = best_of(lambda: execute(frappe._dict(filters)), 5)
		empty = best_of(
			lambda: run_report(
				"SSP Fulfilment", filters={"from_date": "2022-01-01", "to_date": "2022-01-01"}
			),
			5,
		)
		rows = run_report("SSP Fulfilment", filters=filters)["result"]
	finally:
		cleanup()
	table = [("what", "seconds", "x raw GROUP BY")]
	table.append(("raw GROUP BY over the request tickets (counts only)", f"{raw:.4f}", "1.000"))
	table.append(
		(
			"raw medians and 90th percentiles (window functions)",
			f"{raw_percentiles:.4f}",
			f"{raw_percentiles / raw:.3f}",
		)
	)
	table.append(("report SSP Fulfilment (roll-up)", f"{report:.4f}", f"{report / raw:.4f}"))
	table.append(("  of which the report's own execute()", f"{compute:.4f}", f"{compute / raw:.4f}"))
	table.append(("  Frappe's report runner on an empty range (floor)", f"{empty:.4f}", f"{empty / raw:.4f}"))
	table.append((f"roll-up of the whole year (365 days, {stored} rows)", f"{year:.1f}", ""))
	print_table(
		f"Fulfilment report over 12 months: {requests} requests, {SERVICES} services (seeded in {seeded:.1f}s)",
		table,
	)
	print(f"report / raw GROUP BY: {report / raw:.4f}x (target ≤ 0.01x); {len(rows)} report rows")
	print(f"report / raw percentiles: {report / raw_percentiles:.4f}x")
	return {
		"raw_s": raw,
		"report_s": report,
		"execute_s": compute,
		"empty_s": empty,
		"year_s": year,
		"ratio": report / raw,
		"rows": stored,
	}
