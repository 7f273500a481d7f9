"""The Fulfilment report on requests with known submission and resolution times: hand-computed
medians, 90th percentiles, within-promise shares and slowest tasks, read from the daily roll-up; the
drill-down lists counting what the row says; managers only."""

import html
from datetime import datetime, timedelta

import frappe
from frappe.desk.query_report import run
from frappe.utils import getdate

from selfservice_portal.deflection.test_reports import linked_count
from selfservice_portal.service_catalog import durations, fulfilment_rollup
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_department,
	make_portal_user,
	make_role_user,
	make_service,
	make_ticket,
)

DAY_1, DAY_2 = "2024-03-04", "2024-03-05"
FILTERS = {"from_date": "2024-03-01", "to_date": "2024-03-31"}
H = 3600


def close(hours: float | None, exact: float) -> bool:
	return hours is not None and abs(hours - exact) <= durations.PRECISION * exact + 0.05


class TestFulfilmentReport(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		frappe.db.delete(fulfilment_rollup.DOCTYPE, {"stat_date": ("between", [FILTERS["from_date"], DAY_2])})
		cls.dept = make_department()
		cls.promised = make_service(cls.dept, fulfilment_hours=8)
		cls.unpromised = make_service(cls.dept, fulfilment_hours=0)
		cls.requester = make_portal_user()
		p, u = cls.promised, cls.unpromised
		# Promised service (8 h): fulfilled in 1, 2, 10 h (day 1) and 4, 50 h (day 2); one still open,
		# one rejected. Median of 1, 2, 4, 10, 50 = 4 h; 90th percentile (5th of 5) = 50 h; within 8 h:
		# 1, 2, 4 = 3 of 5.
		cls.tickets = {
			"p1": cls.request(p, DAY_1, hours=1),
			"p2": cls.request(p, DAY_1, hours=2),
			"p10": cls.request(p, DAY_1, hours=10),
			"open": cls.request(p, DAY_1, hours=None),
			"rejected": cls.request(p, DAY_1, hours=3, approval="Rejected", status="Closed"),
			"p4": cls.request(p, DAY_2, hours=4),
			"p50": cls.request(p, DAY_2, hours=50),
			# No promise: 3 and 5 h; median (1st of 2) 3 h, 90th percentile (2nd of 2) 5 h.
			"u3": cls.request(u, DAY_1, hours=3),
			"u5": cls.request(u, DAY_2, hours=5),
		}
		# Tasks of the promised service's requests: Laptop 1, 30, 30 h (median 30 h) and IT account
		# 2, 2, 100 h (median 2 h): Laptop is the slowest kind. A waiting task counts for nothing.
		for ticket, label, hours in (
			("p1", "Laptop", 1),
			("p2", "Laptop", 30),
			("p4", "Laptop", 30),
			("p1", "IT account", 2),
			("p2", "IT account", 2),
			("p50", "IT account", 100),
			("open", "Building pass", None),
		):
			cls.task(cls.tickets[ticket], label, hours)
		# A task's own ticket (no service) opened that day is no request.
		task_ticket = make_ticket(cls.requester)
		frappe.db.set_value(
			"HD Ticket",
			task_ticket,
			{
				"ssp_department": cls.dept,
				"ssp_parent_ticket": cls.tickets["p1"],
				"creation": f"{DAY_1} 10:00",
			},
			update_modified=False,
		)
		for day in (DAY_1, DAY_2):
			fulfilment_rollup.rollup_day(getdate(day))

	@classmethod
	def request(
		cls, service: str, day: str, hours: float | None, approval: str = "Approved", status: str = "Resolved"
	) -> str:
		ticket = make_ticket(cls.requester)
		opened = datetime.fromisoformat(f"{day} 09:00:00")
		resolved = hours is not None
		frappe.db.set_value(
			"HD Ticket",
			ticket,
			{
				"ssp_service": service,
				"ssp_department": cls.dept,
				"ssp_request": f"REQ-FAKE-{ticket}",
				"ssp_approval_status": approval,
				"creation": opened,
				"status": status if resolved else "Open",
				"status_category": "Resolved" if resolved else "Open",
				"resolution_date": opened + timedelta(hours=hours) if resolved else None,
			},
			update_modified=False,
		)
		return ticket

	@classmethod
	def task(cls, request_ticket: str, label: str, hours: float | None) -> None:
		started = datetime.fromisoformat(f"{DAY_2} 12:00:00")
		frappe.get_doc(
			{
				"doctype": "SSP Request Task",
				"name": frappe.generate_hash(length=12),
				"request": f"REQ-FAKE-{request_ticket}",
				"request_ticket": request_ticket,
				"task_id": frappe.scrub(label),
				"task_label": label,
				"department": cls.dept,
				"status": "Resolved" if hours is not None else "Waiting",
				"started_on": started if hours is not None else None,
				"resolved_on": started + timedelta(hours=hours) if hours is not None else None,
			}
		).db_insert()

	def tearDown(self):
		frappe.set_user("Administrator")

	def report(self, **filters: str) -> dict:
		return run("SSP Fulfilment", filters={**FILTERS, "department": self.dept, **filters})

	def rows(self) -> dict:
		return {r["service"]: r for r in self.report()["result"]}

	def test_roll_up_stores_counts_and_histograms_per_day(self):
		stats = frappe.get_all(
			fulfilment_rollup.DOCTYPE,
			filters={"service": self.promised, "period": "Day"},
			fields=["stat_date", "requests", "fulfilled", "promised", "within_promise", "fulfil_histogram"],
			order_by="stat_date",
		)
		self.assertEqual(
			[(str(s.stat_date), s.requests, s.fulfilled, s.promised, s.within_promise) for s in stats],
			[(DAY_1, 5, 3, 3, 2), (DAY_2, 2, 2, 2, 1)],
		)
		self.assertEqual(sum(durations.loads(stats[0].fulfil_histogram).values()), 3)
		month = frappe.get_all(
			fulfilment_rollup.DOCTYPE,
			filters={"service": self.promised, "period": "Month"},
			fields=[
				"stat_date",
				"requests",
				"fulfilled",
				"within_promise",
				"fulfil_histogram",
				"task_histograms",
			],
		)
		self.assertEqual(
			[(str(m.stat_date), m.requests, m.fulfilled, m.within_promise) for m in month],
			[("2024-03-01", 7, 5, 3)],
		)
		self.assertEqual(
			durations.loads(month[0].fulfil_histogram),
			durations.merge([stats[0].fulfil_histogram, stats[1].fulfil_histogram]),
		)
		self.assertEqual(set(frappe.parse_json(month[0].task_histograms)), {"Laptop", "IT account"})
		# Rebuilding a day replaces its rows.
		fulfilment_rollup.rollup_day(getdate(DAY_1))
		self.assertEqual(
			frappe.db.count(fulfilment_rollup.DOCTYPE, {"stat_date": DAY_1, "service": self.promised}), 1
		)

	def test_hand_computed_medians_percentiles_and_promise(self):
		rows = self.rows()
		p = rows[self.promised]
		self.assertEqual((p["requests"], p["fulfilled"], p["within_promise"]), (7, 5, 3))
		self.assertTrue(close(p["median_hours"], 4), p["median_hours"])
		self.assertTrue(close(p["p90_hours"], 50), p["p90_hours"])
		self.assertEqual(p["within_share"], 60.0)
		self.assertEqual(p["promise_hours"], 8)
		self.assertEqual(p["slowest_task"], "Laptop")
		self.assertTrue(close(p["slowest_task_hours"], 30), p["slowest_task_hours"])
		u = rows[self.unpromised]
		self.assertEqual((u["requests"], u["fulfilled"]), (2, 2))
		self.assertTrue(close(u["median_hours"], 3) and close(u["p90_hours"], 5))
		self.assertIsNone(u["within_share"])  # no promise: no share
		self.assertIsNone(u["within_promise"])
		self.assertIsNone(u["slowest_task"])
		for r in rows.values():
			self.assertLessEqual(r["within_promise"] or 0, r["fulfilled"])
			self.assertLessEqual(r["fulfilled"], r["requests"])

	def test_summary_merges_every_service(self):
		summary = {s["label"]: s["value"] for s in self.report()["report_summary"]}
		self.assertEqual((summary["Requests"], summary["Fulfilled"]), (9, 7))
		# 1, 2, 3, 4, 5, 10, 50 h: median the 4th (4 h), 90th percentile the 7th (50 h).
		self.assertTrue(close(summary["Median Hours to Fulfil"], 4))
		self.assertTrue(close(summary["90th Percentile Hours"], 50))
		self.assertEqual(summary["Within the Promise %"], 60.0)  # only the promised service's 5

	def test_filters_by_service_and_dates(self):
		result = self.report(service=self.promised, from_date=DAY_2, to_date=DAY_2)["result"]
		self.assertEqual(len(result), 1)
		self.assertEqual(
			(result[0]["requests"], result[0]["fulfilled"], result[0]["within_promise"]), (2, 2, 1)
		)
		self.assertTrue(close(result[0]["median_hours"], 4))  # 1st of 4 h and 50 h
		# Days of February and the whole of March: day rows and the month row, counted once.
		rows = {r["service"]: r for r in self.report(from_date="2024-02-20")["result"]}
		self.assertEqual((rows[self.promised]["requests"], rows[self.unpromised]["requests"]), (7, 2))
		rows = {r["service"]: r for r in self.report(from_date=DAY_1, to_date="2024-04-10")["result"]}
		self.assertEqual((rows[self.promised]["requests"], rows[self.unpromised]["requests"]), (7, 2))
		rows = {r["service"]: r for r in self.report(from_date=DAY_2, to_date="2024-04-10")["result"]}
		self.assertEqual((rows[self.promised]["requests"], rows[self.unpromised]["requests"]), (2, 1))

	def test_drill_down_lists_count_what_the_row_says(self):
		for r in self.rows().values():
			self.assertEqual(linked_count(r["requests_list"]), r["requests"])
			self.assertEqual(linked_count(r["fulfilled_list"]), r["fulfilled"])

	def test_the_report_says_up_to_when_and_links_only_counted_days(self):
		key = fulfilment_rollup.LAST_RUN_KEY
		frappe.db.set_default(key, str(frappe.utils.now_datetime()))
		try:
			result = self.report(to_date=frappe.utils.today())
			yesterday = frappe.utils.add_days(frappe.utils.today(), -1)
			self.assertIn(frappe.utils.formatdate(yesterday), result["message"])
			self.assertIn("rolled up tonight", result["message"])
			link = {r["service"]: r for r in result["result"]}[self.promised]["requests_list"]
			self.assertIn(str(yesterday), html.unescape(link))  # today's tickets are not counted yet
		finally:
			frappe.defaults.clear_default(key)
		self.assertIn("2024", self.report()["message"])  # up to the end of the range (March 2024)

	def test_nightly_job_recomputes_the_days_of_changed_requests(self):
		since = frappe.utils.now_datetime() - timedelta(seconds=5)
		frappe.db.set_value(
			"HD Ticket",
			self.tickets["p50"],
			"priority",
			frappe.db.get_value("HD Ticket", self.tickets["p50"], "priority"),
		)
		days = fulfilment_rollup.days_to_recompute(since, getdate())
		self.assertIn(getdate(DAY_2), days)
		self.assertNotIn(getdate(), days)

	def test_managers_rebuild_it_with_the_other_roll_ups(self):
		from selfservice_portal.api import deflection as api

		self.assertTrue(api.recompute_rollups("2024-03-04", "2024-03-05")["fulfilment_job_id"])

	def test_managers_only(self):
		for user in (make_agent(), make_agent(is_manager=True), make_portal_user()):
			frappe.set_user(user)
			with self.assertRaises(frappe.PermissionError):
				self.report()
			self.assertFalse(frappe.has_permission(fulfilment_rollup.DOCTYPE, "read"))
			frappe.set_user("Administrator")
		frappe.set_user(make_role_user("SSP Manager", "Fulfilment"))
		self.assertEqual(len(self.report()["result"]), 2)
		self.assertTrue(frappe.has_permission(fulfilment_rollup.DOCTYPE, "read"))
		self.assertFalse(frappe.has_permission(fulfilment_rollup.DOCTYPE, "write"))
