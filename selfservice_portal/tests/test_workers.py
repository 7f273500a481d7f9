"""Two real RQ worker processes judge two contests at once, and both contests' standings are right.

Judging runs on the ``long`` queue (``contests.judging.enqueue_judging``). The test starts two
``bench worker --queue long`` processes (Frappe's own command, ``frappe.utils.bench_helper frappe
worker``) and enqueues both contests' judging the way *Judge* does; each worker takes one job, and the
standings each wrote are compared with hand-computed ranks and scores.

The workers must not take other jobs waiting on this bench's queues (other sites' and other test runs'
jobs): they run from a private sites directory whose ``common_site_config.json`` is the bench's with a
``bench_id`` of its own — Frappe names its queues ``<bench_id>:<queue>`` — and links to the test site,
and the test enqueues with the same ``bench_id``. Both workers are stopped and the directory deleted at
the end.
"""

import time
from datetime import datetime, timedelta

import frappe
from frappe.utils.background_jobs import get_job

from selfservice_portal.contests import judging
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import TEST_CUSTOMER, make_portal_user, make_ticket
from selfservice_portal.tests.workers import PrivateQueues

LONG_TEXT = "<p>The laptop does not start after the update this morning</p>"
# One period per contest. Each contest's audience is its own fresh users' contacts, so only the tickets
# made here count, whatever else the site holds.
PERIOD_A = (datetime(2022, 1, 1), datetime(2022, 3, 31, 23, 59, 59))
PERIOD_B = (datetime(2022, 4, 1), datetime(2022, 6, 30, 23, 59, 59))
TICKETS_A = {"Ada": 4, "Bea": 3, "Cy": 2}
TICKETS_B = {"Dee": 2, "Eve": 5, "Fay": 1}


def portal_ticket(user: str, when: datetime) -> str:
	name = make_ticket(
		user,
		subject=f"Workers test {frappe.generate_hash(length=4)}",
		channel="Portal",
		description=LONG_TEXT,
	)
	frappe.db.set_value(
		"HD Ticket",
		name,
		{"creation": when, "modified": when, "via_customer_portal": 1},
		update_modified=False,
	)
	return name


def judging_contest(users: dict[str, str], period: tuple[datetime, datetime]) -> str:
	"""A contest of these users' contacts over ``period``, ended and waiting to be judged."""
	start = frappe.utils.add_days(frappe.utils.now_datetime(), 1)
	doc = frappe.get_doc(
		{
			"doctype": "SSP Contest",
			"title": f"Workers {frappe.generate_hash(length=5)}",
			"starts_on": start,
			"ends_on": frappe.utils.add_days(start, 30),
			"audience_type": "Selected Customers and Contacts",
			"audience": [
				{
					"audience_doctype": "Contact",
					"audience_name": frappe.db.get_value("Contact", {"user": u}),
				}
				for u in users.values()
			],
			"burst_tickets": 0,
			"outlier_factor": 0,
			"nominations": [
				{"nomination_title": "Most portal requests", "metric": "portal_tickets", "places": 3}
			],
		}
	).insert(ignore_permissions=True)
	# Straight to Judging: the hourly job that closes a contest would also enqueue its judging, on the
	# bench's shared queue, and the test's own enqueue would then be skipped as a duplicate.
	frappe.db.set_value(
		"SSP Contest", doc.name, {"status": "Judging", "starts_on": period[0], "ends_on": period[1]}
	)
	return doc.name


class TestTwoWorkersJudgeTwoContests(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = {
			n: make_portal_user(first_name=n, customer=TEST_CUSTOMER) for n in (*TICKETS_A, *TICKETS_B)
		}
		for tickets, period in ((TICKETS_A, PERIOD_A), (TICKETS_B, PERIOD_B)):
			for first_name, count in tickets.items():
				for day in range(count):
					portal_ticket(cls.users[first_name], period[0] + timedelta(days=3 + day, hours=9))
		cls.contest_a = judging_contest({n: cls.users[n] for n in TICKETS_A}, PERIOD_A)
		cls.contest_b = judging_contest({n: cls.users[n] for n in TICKETS_B}, PERIOD_B)
		frappe.db.commit()  # nosemgrep: the worker processes read the contests and tickets

	def test_two_workers_judge_two_contests_at_once(self):
		queues = PrivateQueues(frappe.local.site)
		try:
			queues.start_worker()
			queues.start_worker()
			deadline = time.monotonic() + 120
			while len(queues.listening()) < 2 and time.monotonic() < deadline:
				time.sleep(0.5)
			self.assertEqual(len(queues.listening()), 2, "two workers should listen on the long queue")
			with queues.enqueuing():
				job_ids = [judging.enqueue_judging(c) for c in (self.contest_a, self.contest_b)]
				frappe.db.commit()  # nosemgrep: judging_job is recorded; the workers update the same rows
				jobs = [get_job(j) for j in job_ids]
			deadline = time.monotonic() + 180
			while time.monotonic() < deadline:
				for job in jobs:
					job.refresh()
				if all(job.get_status() in ("finished", "failed") for job in jobs):
					break
				time.sleep(0.5)
			statuses = [job.get_status() for job in jobs]
			self.assertEqual(statuses, ["finished", "finished"], [job.exc_info for job in jobs])
			workers = {job.worker_name for job in jobs}
			overlap = min(j.ended_at for j in jobs) > max(j.started_at for j in jobs)
			print(
				f"workers: two contests judged by {len(workers)} worker processes; jobs ran "
				+ ", ".join(f"{j.started_at:%H:%M:%S.%f} to {j.ended_at:%H:%M:%S.%f}" for j in jobs)
				+ (" (overlapping)" if overlap else " (one after the other)")
			)
			self.assertEqual(len(workers), 2, "each worker should have judged one contest")
			self.assertTrue(overlap, "the two contests should have been judged at the same time")
		finally:
			queues.close()

		frappe.db.rollback()  # a fresh snapshot: see what the workers committed
		for contest, tickets in ((self.contest_a, TICKETS_A), (self.contest_b, TICKETS_B)):
			expected = {
				self.users[n]: (rank, count)
				for rank, (n, count) in enumerate(sorted(tickets.items(), key=lambda t: -t[1]), start=1)
			}
			rows = frappe.get_all(
				"SSP Contest Standing", filters={"contest": contest}, fields=["user", "rank", "score"]
			)
			self.assertEqual({r.user: (r.rank, int(r.score)) for r in rows}, expected, contest)
			self.assertTrue(frappe.db.get_value("SSP Contest", contest, "judged_on"), contest)
