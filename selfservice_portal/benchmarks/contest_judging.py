"""Benchmark: judging a contest (6 nominations and one combined nomination) vs the bare SQL GROUP BY
that computes the same scores without fair play (the floor) and vs a naive per-user loop.

The combined nomination (requests through the portal and ratings given, by the sum of ranks) reuses
the scores its metrics computed for the single-metric nominations in the same run: it adds ranking
and standings, no query, so the floor stays the six GROUP BYs.

	bench --site SITE execute selfservice_portal.benchmarks.contest_judging.run --kwargs "{'tickets': 200000, 'users': 20000}"
	bench --site SITE execute selfservice_portal.benchmarks.contest_judging.run --kwargs "{'sizes': [50000, 200000, 800000]}"

With ``sizes``, one row per size: seconds, the ratio, seconds per 10k tickets (linear growth shows as a
constant) and the peak resident memory of the process while it judged (VmHWM, reset before).
Target: judging ≤ 1.5x the floor at every size (issue 14; it was ≤ 2x). SCRATCH DATA (users, contacts, tickets, votes) is generated in SQL
from MariaDB's sequence tables, marked with a prefix, and deleted at the end. Dev sites only.
"""

import time

import frappe

from selfservice_portal.benchmarks.harness import print_table
from selfservice_portal.contests import judging
from selfservice_portal.contests.record_metrics import RATING_CHANGE
from selfservice_portal.contests.ticket_events import backfill_text_lengths

PREFIX = "sspjb"
CUSTOMER = "SSP Judging Bench"
START, END = "2024-01-01 00:00:00", "2024-07-01 00:00:00"
NOMINATIONS = (
	("Requests through the portal", "portal_tickets", 0),
	("Most independent user", "independence", 5),
	("Rated requests", "tickets_rated", 0),
	("Ratings given", "ratings_given", 0),
	("This helped", "helpful_votes", 0),
	("Catalog requests", "catalog_requests", 0),
)
COMBINED = ("Requests and ratings", "Sum of ranks", (("portal_tickets", 2), ("ratings_given", 1)))
FLOOR_SQL = (
	"SELECT raised_by, COUNT(*), SUM(IFNULL(ssp_channel, '') = 'Portal') FROM `tabHD Ticket` "
	"WHERE creation >= %(start)s AND creation < %(end)s AND raised_by IN {audience} GROUP BY raised_by",
	"SELECT raised_by, SUM(IFNULL(ssp_channel, '') = 'Portal') / COUNT(*) FROM `tabHD Ticket` "
	"WHERE creation >= %(start)s AND creation < %(end)s AND raised_by IN {audience} GROUP BY raised_by",
	"SELECT raised_by, SUM(IFNULL(feedback_rating, 0) > 0) FROM `tabHD Ticket` "
	"WHERE creation >= %(start)s AND creation < %(end)s AND raised_by IN {audience} GROUP BY raised_by",
	# ratings given: a ticket's rating is dated by the first Version that recorded it (as the metric does)
	"SELECT tk.raised_by, COUNT(*) FROM `tabHD Ticket` tk JOIN (SELECT docname, MIN(creation) AS rated_on "
	"FROM `tabVersion` WHERE ref_doctype = 'HD Ticket' AND data LIKE %(rating_change)s GROUP BY docname) v "
	"ON v.docname = tk.name WHERE IFNULL(tk.feedback_rating, 0) > 0 AND v.rated_on >= %(start)s "
	"AND v.rated_on < %(end)s AND tk.raised_by IN {audience} GROUP BY tk.raised_by",
	"SELECT `user`, COUNT(*) FROM `tabHD Article Feedback` WHERE feedback = '1' "
	"AND creation >= %(start)s AND creation < %(end)s AND `user` IN {audience} GROUP BY `user`",
	"SELECT requester, COUNT(*) FROM `tabSSP Request` WHERE creation >= %(start)s AND creation < %(end)s "
	"AND requester IN {audience} GROUP BY requester",
)
AUDIENCE = (
	"(SELECT c.user FROM `tabContact` c JOIN `tabDynamic Link` dl ON dl.parent = c.name "
	"AND dl.parenttype = 'Contact' AND dl.link_doctype = 'HD Customer' WHERE dl.link_name = %(customer)s)"
)


def seed(users: int, tickets: int) -> None:
	if not frappe.db.exists("HD Customer", CUSTOMER):
		frappe.get_doc({"doctype": "HD Customer", "customer_name": CUSTOMER}).insert(ignore_permissions=True)
	now = frappe.utils.now()
	frappe.db.sql(
		f"""INSERT IGNORE INTO `tabUser` (name, email, first_name, enabled, user_type, creation, modified, owner, modified_by)
		SELECT CONCAT('{PREFIX}', seq, '@bench.example'), CONCAT('{PREFIX}', seq, '@bench.example'),
			CONCAT('Bench ', seq), 1, 'Website User', %(now)s, %(now)s, 'Administrator', 'Administrator'
		FROM seq_1_to_{users}""",
		{"now": now},
	)
	frappe.db.sql(
		f"""INSERT IGNORE INTO `tabContact` (name, first_name, user, email_id, creation, modified, owner, modified_by)
		SELECT CONCAT('{PREFIX}-c', seq), CONCAT('Bench ', seq), CONCAT('{PREFIX}', seq, '@bench.example'),
			CONCAT('{PREFIX}', seq, '@bench.example'), %(now)s, %(now)s, 'Administrator', 'Administrator'
		FROM seq_1_to_{users}""",
		{"now": now},
	)
	frappe.db.sql(
		f"""INSERT IGNORE INTO `tabDynamic Link` (name, parent, parenttype, parentfield, link_doctype, link_name, idx,
			creation, modified, owner, modified_by)
		SELECT CONCAT('{PREFIX}-l', seq), CONCAT('{PREFIX}-c', seq), 'Contact', 'links', 'HD Customer', %(customer)s, 1,
			%(now)s, %(now)s, 'Administrator', 'Administrator'
		FROM seq_1_to_{users}""",
		{"now": now, "customer": CUSTOMER},
	)
	# Tickets over the half-year; every 7th user is a heavy user; 55% portal, 20% rated, 2% excluded.
	frappe.db.sql(
		f"""INSERT IGNORE INTO `tabHD Ticket` (name, subject, description, raised_by, owner, modified_by, creation,
			modified, opening_date, status, ssp_channel, via_customer_portal, feedback_rating, ssp_exclude_from_contests)
		SELECT CONCAT('{PREFIX}-t', seq), CONCAT('Bench request number ', seq), '<p>Something does not work as expected</p>',
			CONCAT('{PREFIX}', 1 + (seq * 7919) MOD {users}, '@bench.example'), 'Administrator', 'Administrator',
			TIMESTAMP(%(start)s) + INTERVAL (seq * 77) MOD (181 * 86400) SECOND,
			TIMESTAMP(%(start)s) + INTERVAL (seq * 77) MOD (181 * 86400) SECOND,
			DATE(TIMESTAMP(%(start)s) + INTERVAL (seq * 77) MOD (181 * 86400) SECOND), 'Closed',
			IF(seq MOD 20 < 11, 'Portal', 'Email'), IF(seq MOD 20 < 11, 1, 0),
			IF(seq MOD 5 = 0, 0.8, 0), IF(seq MOD 50 = 0, 1, 0)
		FROM seq_1_to_{tickets}""",
		{"start": START},
	)
	# The text length every save stores (tickets inserted in SQL get it as a site's upgrade does).
	backfill_text_lengths()
	# Each rating as Helpdesk records it: the ticket's Version with the feedback_rating change, a day later.
	frappe.db.sql(
		f"""INSERT IGNORE INTO `tabVersion` (name, ref_doctype, docname, data, owner, modified_by, creation, modified)
		SELECT CONCAT('{PREFIX}-v', t.name), 'HD Ticket', t.name,
			'{{"changed": [["feedback_rating", 0, 0.8]], "added": [], "removed": [], "row_changed": []}}',
			t.raised_by, t.raised_by, t.creation + INTERVAL 1 DAY, t.creation + INTERVAL 1 DAY
		FROM `tabHD Ticket` t WHERE t.name LIKE '{PREFIX}-t%%' AND t.feedback_rating > 0"""
	)
	frappe.db.commit()  # nosemgrep: benchmark scratch data


def cleanup() -> None:
	frappe.db.sql(f"DELETE FROM `tabVersion` WHERE name LIKE '{PREFIX}-v%%'")
	frappe.db.sql(f"DELETE FROM `tabHD Ticket` WHERE name LIKE '{PREFIX}-t%%'")
	frappe.db.sql(f"DELETE FROM `tabDynamic Link` WHERE name LIKE '{PREFIX}-l%%'")
	frappe.db.sql(f"DELETE FROM `tabContact` WHERE name LIKE '{PREFIX}-c%%'")
	frappe.db.sql(f"DELETE FROM `tabUser` WHERE name LIKE '{PREFIX}%%'")
	for name in frappe.get_all("SSP Contest", {"title": ("like", "Judging benchmark%")}, pluck="name"):
		frappe.db.delete("SSP Contest Standing", {"contest": name})
		# only a draft or cancelled contest may be deleted (the frozen rules' guard)
		frappe.db.set_value("SSP Contest", name, "status", "Cancelled")
		frappe.delete_doc("SSP Contest", name, force=True, ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: benchmark clean-up


def make_contest() -> str:
	contest = frappe.get_doc(
		{
			"doctype": "SSP Contest",
			"title": "Judging benchmark",
			"starts_on": frappe.utils.add_days(frappe.utils.now_datetime(), 1),
			"ends_on": frappe.utils.add_days(frappe.utils.now_datetime(), 2),
			"audience_type": "Selected Customers and Contacts",
			"audience": [{"audience_doctype": "HD Customer", "audience_name": CUSTOMER}],
			"burst_tickets": 4,
			"burst_minutes": 10,
			"nominations": [
				*(
					{"nomination_title": title, "metric": metric, "eligibility_floor": floor}
					for title, metric, floor in NOMINATIONS
				),
				{"nomination_title": COMBINED[0], "combine_rule": COMBINED[1]},
			],
			"nomination_metrics": [
				{"nomination": COMBINED[0], "metric": metric, "eligibility_floor": floor}
				for metric, floor in COMBINED[2]
			],
		}
	).insert(ignore_permissions=True)
	contest.announce()
	frappe.db.set_value("SSP Contest", contest.name, {"starts_on": START, "ends_on": END})
	frappe.db.set_value("SSP Contest", contest.name, "status", "Judging")
	frappe.db.commit()  # nosemgrep: benchmark scratch data
	return contest.name


def time_floor() -> float:
	audience = AUDIENCE
	started = time.perf_counter()
	for sql in FLOOR_SQL:
		frappe.db.sql(
			sql.format(audience=audience),
			{"start": START, "end": END, "customer": CUSTOMER, "rating_change": RATING_CHANGE},
		)
	return time.perf_counter() - started


def time_naive(sample: int, users: int) -> float:
	"""Per-user queries for a sample of users, extrapolated to all of them."""
	members = [f"{PREFIX}{i}@bench.example" for i in range(1, sample + 1)]
	started = time.perf_counter()
	for user in members:
		for metric_filter in ({}, {"ssp_channel": "Portal"}, {"feedback_rating": (">", 0)}):
			frappe.db.count(
				"HD Ticket", {"raised_by": user, "creation": ("between", [START, END]), **metric_filter}
			)
		frappe.db.count("HD Article Feedback", {"user": user, "feedback": "1"})
		frappe.db.count("SSP Request", {"requester": user})
		frappe.db.count("HD Ticket", {"raised_by": user, "feedback_rating": (">", 0)})
	return (time.perf_counter() - started) * users / sample


def reset_peak_rss() -> None:
	"""Linux: writing 5 to clear_refs resets the process's peak resident set (VmHWM)."""
	with open("/proc/self/clear_refs", "w") as f:
		f.write("5")


def peak_rss_mb() -> float:
	with open("/proc/self/status") as f:
		line = next(line for line in f if line.startswith("VmHWM:"))
	return int(line.split()[1]) / 1024


def table_mb(table: str) -> float:
	"""Data and indexes of ``table`` (InnoDB's estimate, refreshed first)."""
	frappe.db.sql(f"ANALYZE TABLE `{table}`")
	return frappe.db.sql(
		"SELECT (data_length + index_length) / 1048576 FROM information_schema.tables "
		"WHERE table_schema = DATABASE() AND table_name = %s",
		table,
	)[0][0]


def buffer_pool_mb() -> float:
	return frappe.db.sql("SELECT @@innodb_buffer_pool_size / 1048576")[0][0]


def measure(tickets: int, users: int, naive_sample: int) -> dict:
	"""One size: seed, the floor (best of three), one judging with its peak RSS, the naive loop."""
	cleanup()
	try:
		started = time.perf_counter()
		seed(users, tickets)
		seeded = time.perf_counter() - started
		tickets_mb = table_mb("tabHD Ticket")
		name = make_contest()
		floor = min(time_floor() for _ in range(3))
		reset_peak_rss()
		before = peak_rss_mb()
		started = time.perf_counter()
		standings = judging.judge(name)
		judged = time.perf_counter() - started
		peak = peak_rss_mb()
		frappe.db.commit()  # nosemgrep: benchmark
		naive = time_naive(min(naive_sample, users), users) if naive_sample else 0.0
	finally:
		cleanup()
	return {
		"tickets": tickets,
		"users": users,
		"seeded_s": seeded,
		"floor_s": floor,
		"judging_s": judged,
		"naive_s": naive,
		"ratio": judged / floor,
		"per_10k_s": judged * 10_000 / tickets,
		"rss_before_mb": before,
		"rss_peak_mb": peak,
		"standings": standings,
		"tickets_mb": tickets_mb,
	}


def run(
	tickets: int = 200_000,
	users: int = 20_000,
	naive_sample: int = 500,
	sizes: list | None = None,
	fixed_users: int = 0,
) -> dict | list[dict]:
	"""One size (``tickets``, ``users``), or ``sizes``: ticket counts, users scaled alike (one user per
	ten tickets) or, with ``fixed_users``, the same users throughout (then the standings stay the same
	and only the tickets grow: what memory does with the tickets alone). One row per size, so that the
	growth with the work shows."""
	if sizes:
		results = [measure(int(n), int(fixed_users) or int(n) // 10, 0) for n in sizes]
		print(
			f"MariaDB innodb_buffer_pool_size {buffer_pool_mb():.0f} MB; `tabHD Ticket` (data and indexes) "
			+ ", ".join(f"{r['tickets_mb']:.0f} MB at {r['tickets']}" for r in results)
			+ " — a table larger than the buffer pool is read from disk, by the floor and the judging alike"
		)
		users_text = f"{fixed_users} users" if fixed_users else "users = tickets / 10"
		print_table(
			f"Judging 6 nominations and 1 combined, by size ({users_text}; floor: the bare GROUP BYs, best of 3)",
			[
				(
					"tickets",
					"users",
					"floor s",
					"judging s",
					"x floor",
					"judging s per 10k tickets",
					"RSS before MB",
					"peak RSS MB",
					"standings",
				),
				*(
					(
						r["tickets"],
						r["users"],
						f"{r['floor_s']:.2f}",
						f"{r['judging_s']:.2f}",
						f"{r['ratio']:.2f}",
						f"{r['per_10k_s']:.3f}",
						f"{r['rss_before_mb']:.0f}",
						f"{r['rss_peak_mb']:.0f}",
						r["standings"],
					)
					for r in results
				),
			],
		)
		print("target: judging ≤ 1.5x the floor at every size (±0.2 between sizes)")
		return results
	result = measure(int(tickets), int(users), int(naive_sample))
	print_table(
		f"Judging 6 nominations and 1 combined over {tickets} tickets and {users} users "
		f"(seeded in {result['seeded_s']:.1f}s)",
		[
			("approach", "seconds", "x floor"),
			("bare SQL GROUP BY (floor)", f"{result['floor_s']:.2f}", "1.00"),
			(
				"judging (scores, fair play, ranks, stored)",
				f"{result['judging_s']:.2f}",
				f"{result['ratio']:.2f}",
			),
			(
				f"naive per-user loop (extrapolated from {naive_sample})",
				f"{result['naive_s']:.1f}",
				f"{result['naive_s'] / result['floor_s']:.1f}",
			),
		],
	)
	print(
		f"standings written: {result['standings']}; peak RSS while judging {result['rss_peak_mb']:.0f} MB "
		f"(before: {result['rss_before_mb']:.0f} MB); target: judging ≤ 1.5x the floor"
	)
	return result
