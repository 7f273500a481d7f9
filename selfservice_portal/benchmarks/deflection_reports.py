"""Benchmark: deflection reports over 12 months of 1M events and 200k tickets, which read the daily
roll-ups, vs the equivalent raw GROUP BY over the event table; and the roll-up of one day.

	bench --site SITE execute selfservice_portal.benchmarks.deflection_reports.run --kwargs "{'events': 1000000, 'tickets': 200000}"

Target: reports ≤ 0.1x the raw GROUP BY. SCRATCH DATA in 2023 (prefixed, deleted at the end).
"""

import time
from collections.abc import Callable

import frappe
from frappe.utils import add_days, getdate

from selfservice_portal.benchmarks.harness import print_table
from selfservice_portal.deflection.rollup import rollup_day, rollup_range

PREFIX = "sspdb"
START, END = "2023-01-01", "2023-12-31"
RAW_SQL = """
SELECT LEFT(e.creation, 7) AS month, e.department, e.event_type, COUNT(*) AS events, COUNT(DISTINCT e.user) AS people
FROM `tabSSP Portal Event` e
WHERE e.creation >= %(start)s AND e.creation < %(end)s
GROUP BY month, e.department, e.event_type
"""
KINDS = "ELT(1 + seq MOD 6, 'KB Search', 'Article View', 'Article View', 'Article Helpful', 'New Ticket Opened', 'Ticket Submitted')"


def seed(events: int, tickets: int, users: int = 20_000) -> None:
	span = 365 * 86400
	frappe.db.sql(
		f"""INSERT INTO `tabSSP Portal Event` (name, creation, modified, owner, modified_by, event_type, user, session_id, result_count)
		SELECT CONCAT('{PREFIX}-e', seq), TIMESTAMP(%(start)s) + INTERVAL (seq * 31) MOD {span} SECOND,
			TIMESTAMP(%(start)s) + INTERVAL (seq * 31) MOD {span} SECOND, 'Administrator', 'Administrator',
			{KINDS}, CONCAT('{PREFIX}', 1 + seq MOD {users}, '@bench.example'), NULL, seq MOD 4
		FROM seq_1_to_{events}""",
		{"start": START},
	)
	frappe.db.sql(
		f"""INSERT INTO `tabHD Ticket` (name, subject, raised_by, owner, modified_by, creation, modified, opening_date, status,
			status_category, ssp_channel)
		SELECT CONCAT('{PREFIX}-t', seq), 'Bench ticket', CONCAT('{PREFIX}', 1 + (seq * 7) MOD {users}, '@bench.example'),
			'Administrator', 'Administrator', TIMESTAMP(%(start)s) + INTERVAL (seq * 157) MOD {span} SECOND,
			TIMESTAMP(%(start)s) + INTERVAL (seq * 157) MOD {span} SECOND, DATE(TIMESTAMP(%(start)s) + INTERVAL (seq * 157) MOD {span} SECOND),
			'Closed', 'Resolved', ELT(1 + seq MOD 4, 'Portal', 'Email', 'Phone', 'Portal')
		FROM seq_1_to_{tickets}""",
		{"start": START},
	)
	frappe.db.commit()  # nosemgrep: benchmark scratch data


def cleanup() -> None:
	frappe.db.sql(f"DELETE FROM `tabSSP Portal Event` WHERE name LIKE '{PREFIX}-e%%'")
	frappe.db.sql(f"DELETE FROM `tabHD Ticket` WHERE name LIKE '{PREFIX}-t%%'")
	frappe.db.delete("SSP Daily Stat", {"stat_date": ("between", [START, END])})
	frappe.db.commit()  # nosemgrep: benchmark clean-up


def best_of(fn: Callable[[], object], times: int = 3) -> float:
	best = None
	for _ in range(times):
		started = time.perf_counter()
		fn()
		elapsed = time.perf_counter() - started
		best = elapsed if best is None else min(best, elapsed)
	return best


def run(events: int = 1_000_000, tickets: int = 200_000) -> dict:
	from frappe.desk.query_report import run as run_report

	cleanup()
	try:
		started = time.perf_counter()
		seed(int(events), int(tickets))
		seeded = time.perf_counter() - started
		one_day = best_of(lambda: rollup_day(getdate("2023-06-15")), 3)
		started = time.perf_counter()
		rollup_range(START, END)
		year = time.perf_counter() - started
		filters = {"from_date": START, "to_date": END}
		raw = best_of(lambda: frappe.db.sql(RAW_SQL, {"start": START, "end": str(add_days(END, 1))}))
		timings = {
			name: best_of(lambda name=name: run_report(name, filters=filters))
			for name in ("SSP Channel Mix", "SSP Deflection", "SSP Savings")
		}
	finally:
		cleanup()
	rows = [("what", "seconds", "x raw GROUP BY")]
	rows.append(("raw GROUP BY over the event table", f"{raw:.3f}", "1.00"))
	rows += [(f"report {name}", f"{t:.3f}", f"{t / raw:.3f}") for name, t in timings.items()]
	rows.append(("roll-up of one day (one set-based journey query)", f"{one_day:.3f}", ""))
	rows.append(("roll-up of the whole year (365 days)", f"{year:.1f}", ""))
	print_table(
		f"Deflection reports over 12 months: {events} events, {tickets} tickets (seeded in {seeded:.1f}s)",
		rows,
	)
	worst = max(timings.values()) / raw
	print(f"slowest report / raw GROUP BY: {worst:.3f}x (target ≤ 0.1x)")
	return {"raw_s": raw, "reports_s": timings, "one_day_s": one_day, "year_s": year, "worst_ratio": worst}
