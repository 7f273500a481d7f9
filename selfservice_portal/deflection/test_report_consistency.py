"""The deflection reports on the demo data cannot contradict each other (issue 11): in every report each
part is at most its whole, the figures two reports show for the same month agree, one month's figures
equal what is counted straight from the tickets, contacts and events, and every report says up to when
its figures are complete (the current month included, computed up to now)."""

from datetime import timedelta

import frappe
from frappe.desk.query_report import run
from frappe.utils import add_days, add_months, get_first_day, get_last_day, getdate, today

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.journeys import CONFIRMED, INFERRED, TICKET, Event, is_engagement
from selfservice_portal.deflection.report.ssp_journeys.ssp_journeys import journeys_in_range
from selfservice_portal.demo.seed import run_demo
from selfservice_portal.tests import IntegrationTestCase

MONTHLY_REPORTS = ("SSP Channel Mix", "SSP Deflection", "SSP Savings", "SSP Classification Accuracy")


def by_month(rows: list[dict], key: str) -> dict[str, int]:
	out: dict[str, int] = {}
	for r in rows:
		out[r["month"]] = out.get(r["month"], 0) + (r.get(key) or 0)
	return out


class TestReportConsistencyOnTheDemo(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		run_demo(log=lambda _: None)  # seeds a year and rolls it up to yesterday
		cls.today = getdate(today())
		cls.from_date = getdate(get_first_day(add_months(cls.today, -11)))
		cls.filters = {"from_date": str(cls.from_date), "to_date": str(cls.today)}
		cls.out = {name: run(name, filters=cls.filters) for name in (*MONTHLY_REPORTS, "SSP Rating Rate")}
		cls.month = str(add_months(cls.today, -1))[:7]  # the last whole month
		cls.current = str(cls.today)[:7]

	def rows(self, report: str) -> list[dict]:
		return self.out[report]["result"]

	def summary(self, report: str) -> dict:
		return {s["label"]: s["value"] for s in self.out[report]["report_summary"]}

	# ------------------------------------------------------------------ parts <= wholes

	def test_deflection_parts_are_within_their_wholes(self):
		rows = self.rows("SSP Deflection")
		self.assertTrue(rows)
		for r in rows:
			with self.subTest(month=r["month"], department=r["department"]):
				self.assertEqual(r["confirmed"] + r["inferred"], r["deflections"])
				self.assertLessEqual(r["deflections"] + r["journeys_then_ticket"], r["kb_journeys"])
				self.assertLessEqual(r["tickets_after_reading"], r["tickets"])
				self.assertTrue(0 <= r["deflection_rate"] <= 100)
		s = self.summary("SSP Deflection")
		self.assertLessEqual(s["Deflections"], s["KB Journeys"])
		self.assertLessEqual(s["KB Journeys Then a Ticket"], s["KB Journeys"])
		self.assertLessEqual(s["Tickets After Reading"], s["Tickets"])
		labels = {c["fieldname"]: c["label"] for c in self.out["SSP Deflection"]["columns"]}
		self.assertEqual(labels["tickets_after_reading"], "Tickets After Reading")  # distinct tickets
		self.assertEqual(labels["journeys_then_ticket"], "KB Journeys Then a Ticket")  # journeys

	def test_channel_mix_columns_add_up_to_the_total(self):
		channels = [c["fieldname"] for c in self.out["SSP Channel Mix"]["columns"]][1:]
		channels = channels[: channels.index("total")]
		for r in self.rows("SSP Channel Mix"):
			with self.subTest(month=r["month"]):
				self.assertEqual(sum(r.get(c, 0) for c in channels), r["total"])
				self.assertLessEqual(r.get("portal", 0), r["total"])
				self.assertTrue(0 <= r["portal_share"] <= 100)

	def test_savings_classification_and_rating_parts(self):
		totals = {r["month"]: r["total"] for r in self.rows("SSP Channel Mix")}
		for r in self.rows("SSP Savings"):
			with self.subTest(report="Savings", month=r["month"]):
				self.assertLessEqual(r["portal_requests"], totals[r["month"]])
				self.assertAlmostEqual(
					r["total_savings"], r["deflection_savings"] + r["channel_shift_savings"], places=2
				)
				self.assertGreaterEqual(r["total_savings"], 0)
		for r in self.rows("SSP Classification Accuracy"):
			with self.subTest(report="Classification", month=r["month"]):
				self.assertLessEqual(r["reclassified"], r["portal_tickets"])
				self.assertTrue(0 <= r["accuracy"] <= 100)
		for r in self.rows("SSP Rating Rate"):
			with self.subTest(report="Rating", channel=r["channel"]):
				self.assertLessEqual(r["rated"], r["closed"])
				self.assertTrue(0 <= r["rating_rate"] <= 100)

	# ------------------------------------------------------------------ the same month, two reports

	def test_reports_agree_on_each_month(self):
		mix = {r["month"]: r for r in self.rows("SSP Channel Mix")}
		savings = {r["month"]: r for r in self.rows("SSP Savings")}
		tickets = by_month(self.rows("SSP Deflection"), "tickets")
		deflections = by_month(self.rows("SSP Deflection"), "deflections")
		portal_tickets = by_month(self.rows("SSP Classification Accuracy"), "portal_tickets")
		contacts = self.contacts_by_month()
		for month, row in mix.items():
			with self.subTest(month=month):
				# the Deflection report drops department-months with no journeys and no tickets only
				self.assertEqual(tickets.get(month, 0), row["total"] - contacts.get(month, 0))
				self.assertEqual(savings[month]["portal_requests"], row.get("portal", 0))
				self.assertEqual(savings[month]["portal_share"], row["portal_share"])
				self.assertEqual(savings[month]["deflections"], deflections.get(month, 0))
				self.assertEqual(portal_tickets.get(month, 0), row.get("portal", 0))  # no portal contacts
				self.assertEqual(savings[month]["covers"], row["covers"])

	def contacts_by_month(self) -> dict[str, int]:
		rows = frappe.db.sql(
			"""SELECT LEFT(contact_on, 7), COUNT(*) FROM `tabSSP Contact Log`
			WHERE contact_on >= %s AND IFNULL(hd_ticket, '') = '' GROUP BY LEFT(contact_on, 7)""",
			self.from_date,
		)
		return {m: int(n) for m, n in rows}

	# ------------------------------------------------------------------ one month by hand

	def test_last_whole_month_by_hand(self):
		first = getdate(f"{self.month}-01")
		after = add_days(getdate(get_last_day(first)), 1)
		tickets = frappe.get_all(
			"HD Ticket",
			filters=[["creation", ">=", first], ["creation", "<", after]],
			fields=["name", "creation", "ssp_channel", "raised_by"],
		)
		portal = sum(t.ssp_channel == "Portal" for t in tickets)
		contacts = frappe.db.count(
			"SSP Contact Log",
			{"contact_on": ["between", [first, add_days(after, -1)]], "hd_ticket": ["is", "not set"]},
		)
		journeys = journeys_in_range(first, add_days(after, -1))[0]
		kb = [j for j in journeys if any(is_engagement(e) for e in j.events)]
		deflected = sum(j.outcome in (CONFIRMED, INFERRED) for j in journeys)
		then_ticket = sum(j.outcome == TICKET for j in kb)
		window = timedelta(
			hours=frappe.db.get_single_value("SSP Deflection Settings", "deflection_window_hours") or 72
		)
		after_reading = sum(self.read_before(t, window) for t in tickets)

		mix = {r["month"]: r for r in self.rows("SSP Channel Mix")}[self.month]
		self.assertEqual(mix["total"], len(tickets) + contacts)
		self.assertEqual(mix.get("portal", 0), portal)
		self.assertEqual(mix["portal_share"], round(100.0 * portal / (len(tickets) + contacts), 1))
		self.assertEqual(mix["covers"], "Whole month")
		rows = [r for r in self.rows("SSP Deflection") if r["month"] == self.month]
		self.assertEqual(sum(r["tickets"] for r in rows), len(tickets))
		self.assertEqual(sum(r["kb_journeys"] for r in rows), len(kb))
		self.assertEqual(sum(r["deflections"] for r in rows), deflected)
		self.assertEqual(sum(r["journeys_then_ticket"] for r in rows), then_ticket)
		self.assertEqual(sum(r["tickets_after_reading"] for r in rows), after_reading)
		settings = frappe.get_single("SSP Deflection Settings")
		saving = {r["month"]: r for r in self.rows("SSP Savings")}[self.month]
		self.assertAlmostEqual(
			saving["deflection_savings"],
			deflected * (settings.first_line_cost - settings.self_service_cost),
			2,
		)

	def read_before(self, ticket: frappe._dict, window: timedelta) -> bool:
		events = frappe.get_all(
			"SSP Portal Event",
			filters={
				"user": ticket.raised_by,
				"creation": ["between", [ticket.creation - window, ticket.creation]],
			},
			fields=["event_type", "result_count", "creation"],
		)
		return any(
			is_engagement(Event(e.creation, ticket.raised_by, e.event_type, result_count=e.result_count))
			for e in events
		)

	# ------------------------------------------------------------------ up to when

	def test_every_report_says_up_to_when_and_the_current_month_is_counted_so_far(self):
		for name, out in self.out.items():
			with self.subTest(report=name):
				self.assertIn("Figures up to", out["message"])
		tickets_now = frappe.db.count("HD Ticket", {"creation": [">=", get_first_day(self.today)]})
		mix = {r["month"]: r for r in self.rows("SSP Channel Mix")}
		if tickets_now:
			current = mix[self.current]
			self.assertIn("(so far)", current["covers"])
			self.assertEqual(by_month(self.rows("SSP Deflection"), "tickets")[self.current], tickets_now)
		through, live = report_data.coverage(frappe._dict(self.filters))
		self.assertIn(self.today, live)
		self.assertLess(through, self.today)
