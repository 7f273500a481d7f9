"""Benchmark: the batched channel backfill against one SQL UPDATE doing the same work.

	bench --site SITE execute selfservice_portal.benchmarks.channel_backfill.run --kwargs "{'tickets': 200000}"

SCRATCH DATA: synthetic tickets are bulk-inserted with raw multi-row INSERTs straight into
`tabHD Ticket` (no controllers, no hooks: this measures the UPDATE, not ticket creation), marked by a
name prefix and a subject, and deleted at the end even when a step fails. Run it on a dev site only;
it commits, because timing a rolled-back UPDATE of 200k rows would measure the undo log.
"""

import time

import frappe

from selfservice_portal.deflection import ticket_channels

SCRATCH_PREFIX = "SSPBENCH-"
SCRATCH_SUBJECT = "ssp channel backfill benchmark"
INSERT_CHUNK = 5_000


def run(tickets: int = 200_000, batch_size: int = ticket_channels.BACKFILL_BATCH) -> dict:
	tickets = int(tickets)
	if frappe.db.count("HD Ticket", {"ssp_channel": ("is", "not set")}):
		# Both variants must update exactly the scratch rows.
		ticket_channels.backfill_ticket_channels()
		frappe.db.commit()  # nosemgrep: benchmark, CLI only
	try:
		started = time.perf_counter()
		insert_scratch_tickets(tickets)
		insert_seconds = time.perf_counter() - started

		single = time_single_update()
		reset_scratch_channels()
		batched, updated = time_batched_backfill(batch_size)
		check_same_result(tickets)
	finally:
		delete_scratch_tickets()

	result = {
		"tickets": tickets,
		"batch_size": batch_size,
		"insert_seconds": round(insert_seconds, 2),
		"single_update_seconds": round(single, 2),
		"batched_backfill_seconds": round(batched, 2),
		"rows_updated_by_backfill": updated,
		"ratio": round(batched / single, 2) if single else None,
		"target_ratio": 3.0,
	}
	print(
		"channel backfill of {tickets} tickets: batched {batched_backfill_seconds}s in batches of "
		"{batch_size}, single UPDATE {single_update_seconds}s, ratio {ratio}x (target <= {target_ratio}x); "
		"scratch insert took {insert_seconds}s".format(**result)
	)
	return result


def insert_scratch_tickets(count: int) -> None:
	"""Raw multi-row INSERTs of a believable mix: 40% portal customers, 30% e-mail, 10% typed by the
	Administrator on Helpdesk's new-ticket page (flagged via_customer_portal), 20% plain."""
	status = frappe.db.get_value("HD Ticket Status", {"category": "Open"}, "name") or "Open"
	now = frappe.utils.now()
	columns = (
		"name, subject, raised_by, owner, modified_by, creation, modified, opening_date, status, "
		"via_customer_portal, email_account, ssp_channel"
	)
	for start in range(0, count, INSERT_CHUNK):
		rows, values = [], []
		for i in range(start, min(start + INSERT_CHUNK, count)):
			kind = i % 10
			via_portal = 1 if kind < 4 or kind == 9 else 0
			owner = "Administrator" if kind == 9 else f"bench{i % 500}@ssp-bench.example"
			email_account = "SSP Bench Inbox" if 4 <= kind < 7 else None
			rows.append("(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, NULL)")
			values += [
				f"{SCRATCH_PREFIX}{i:09d}",
				SCRATCH_SUBJECT,
				owner,
				owner,
				owner,
				now,
				now,
				now[:10],
				status,
				via_portal,
				email_account,
			]
		frappe.db.sql(
			f"INSERT INTO `tabHD Ticket` ({columns}) VALUES {', '.join(rows)}",  # nosemgrep: fixed shape
			values,
		)
		frappe.db.commit()  # nosemgrep: benchmark, CLI only; keeps each insert transaction small


def time_single_update() -> float:
	sql = ticket_channels.backfill_sql(ticket_channels.has_call_log_tables(), bounded=False)
	started = time.perf_counter()
	frappe.db.sql(sql, ticket_channels.backfill_params())
	frappe.db.commit()  # nosemgrep: benchmark, CLI only
	return time.perf_counter() - started


def reset_scratch_channels() -> None:
	frappe.db.sql(
		"UPDATE `tabHD Ticket` SET ssp_channel = NULL, ssp_channel_source = NULL WHERE name LIKE %s",
		(f"{SCRATCH_PREFIX}%",),
	)
	frappe.db.commit()  # nosemgrep: benchmark, CLI only


def time_batched_backfill(batch_size: int) -> tuple[float, int]:
	started = time.perf_counter()
	updated = ticket_channels.backfill_ticket_channels(batch_size=batch_size)
	frappe.db.commit()  # nosemgrep: benchmark, CLI only
	return time.perf_counter() - started, updated


def check_same_result(count: int) -> None:
	missing = frappe.db.sql(
		"SELECT COUNT(*) FROM `tabHD Ticket` WHERE name LIKE %s AND ssp_channel IS NULL",
		(f"{SCRATCH_PREFIX}%",),
	)[0][0]
	if missing:
		frappe.throw(f"{missing} of {count} scratch tickets were left without a channel")


def delete_scratch_tickets() -> None:
	frappe.db.sql(
		"DELETE FROM `tabHD Ticket` WHERE name LIKE %s AND subject = %s",
		(f"{SCRATCH_PREFIX}%", SCRATCH_SUBJECT),
	)
	frappe.db.commit()  # nosemgrep: benchmark, CLI only
