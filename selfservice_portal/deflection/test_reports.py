"""Every deflection report on known roll-up rows and on constructed journeys (hand-computed figures),
the drill-down agreeing with the figures it explains, and who may run the reports."""

import html
import json
import re
from urllib.parse import parse_qsl

import frappe
from frappe.desk.query_report import run

from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_department,
	make_portal_user,
)

MONTH_FROM, MONTH_TO = "2024-02-01", "2024-02-29"
XSS_QUERY = "<img src=x onerror=alert(1)>zz XSS"
REPORTS = (
	"SSP Channel Mix",
	"SSP Deflection",
	"SSP Journeys",
	"SSP Knowledge Gaps",
	"SSP Savings",
	"SSP Classification Accuracy",
	"SSP Rating Rate",
)
MANAGERS_ONLY = "SSP Journeys"


def stat(day: str, department: str | None, channel: str | None, **metrics: int) -> None:
	frappe.get_doc(
		{
			"doctype": "SSP Daily Stat",
			"name": frappe.generate_hash(length=12),
			"stat_date": day,
			"department": department,
			"channel": channel,
			**metrics,
		}
	).db_insert()


def linked_count(link: str) -> int:
	"""How many records the Desk list behind a drill-down link shows (its URL filters, applied)."""
	href = re.search(r'href="([^"]+)"', html.unescape(link)).group(1)
	path, query = href.split("?", 1)
	doctype = {"/app/hd-ticket": "HD Ticket", "/app/ssp-contact-log": "SSP Contact Log"}[path]
	filters = []
	for field, value in parse_qsl(query):
		value = json.loads(value) if value.startswith("[") else value
		filters.append([field, *value] if isinstance(value, list) else [field, "=", value])
	# As the Desk list counts (frappe.get_list): a date ending a Between on a Datetime is the whole day.
	return len(frappe.get_all(doctype, filters=filters, pluck="name"))


class TestReports(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.db.delete("SSP Daily Stat", {"stat_date": ("between", [MONTH_FROM, MONTH_TO])})
		cls.dept = make_department()
		d = cls.dept
		stat(
			"2024-02-05",
			d,
			"Portal",
			tickets=30,
			kb_journeys=40,
			confirmed_deflections=6,
			inferred_deflections=14,
			tickets_after_kb=10,
			closed_tickets=20,
			rated_tickets=10,
			reclassified_tickets=3,
		)
		stat("2024-02-06", d, "Email", tickets=20, contacts=0, closed_tickets=10, rated_tickets=2)
		stat("2024-02-07", d, "Phone", tickets=10, contacts=5, closed_tickets=5, rated_tickets=0)
		settings = frappe.get_single("SSP Deflection Settings")
		settings.first_line_cost, settings.self_service_cost = 25, 2.5
		settings.target_monthly_savings = 1000
		settings.target_portal_share = 40
		settings.channel_costs = []
		for channel, cost in (("Portal", 2.5), ("Email", 8), ("Phone", 12)):
			settings.append("channel_costs", {"channel": channel, "cost_per_contact": cost})
		settings.milestones = []
		settings.append(
			"milestones", {"milestone_date": "2024-02-10", "label": "Portal launch", "kind": "Portal Launch"}
		)
		settings.save()

	def report(self, name: str, **filters: str | int) -> dict:
		return run(
			name, filters={"from_date": MONTH_FROM, "to_date": MONTH_TO, "department": self.dept, **filters}
		)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_channel_mix_counts_tickets_and_contacts_and_marks_milestones(self):
		out = self.report("SSP Channel Mix")
		row = out["result"][0]
		self.assertEqual((row["portal"], row["email"], row["phone"], row["total"]), (30, 20, 15, 65))
		self.assertEqual(row["portal_share"], 46.2)  # 30 / 65
		self.assertEqual(row["milestones"], "Portal launch")
		self.assertTrue(out["chart"]["data"]["labels"][0].endswith("◆"))
		self.assertEqual(out["chart"]["barOptions"]["stacked"], 1)
		channels = frappe.get_all("SSP Channel", order_by="sort_order asc, name asc", pluck="name")
		self.assertEqual([c["label"] for c in out["columns"][1 : 1 + len(channels)]], channels)
		self.assertIn("Portal launch", out["message"])

	def test_milestone_labels_are_escaped(self):
		settings = frappe.get_single("SSP Deflection Settings")
		settings.milestones[0].label = "<b>Launch</b> day"
		settings.save()
		try:
			out = self.report("SSP Channel Mix")
		finally:
			settings.milestones[0].label = "Portal launch"
			settings.save()
		self.assertEqual(out["result"][0]["milestones"], "&lt;b&gt;Launch&lt;/b&gt; day")
		self.assertNotIn("<b>", out["message"])

	def test_deflection_figures(self):
		out = self.report("SSP Deflection")
		row = out["result"][0]
		self.assertEqual((row["deflections"], row["deflection_rate"]), (20, 66.7))  # 20 / (20 + 10)
		self.assertEqual(row["self_service_score"], 0.67)  # 40 KB journeys / 60 tickets
		self.assertIn("SSP%20Journeys", row["journeys"])
		self.assertIn("kb_only=1", row["journeys"])
		summary = {s["label"]: s["value"] for s in out["report_summary"]}
		self.assertEqual(
			(
				summary["KB Journeys"],
				summary["Deflections"],
				summary["Tickets"],
				summary["Deflection Rate %"],
			),
			(40, 20, 60, 66.7),
		)

	def test_savings(self):
		row = self.report("SSP Savings")["result"][0]
		# 20 deflections x (25 - 2.5) = 450; assisted cost (8*20 + 12*15) / 35 = 9.71; 30 x (9.71 - 2.5) = 216.43
		self.assertEqual(row["deflection_savings"], 450.0)
		self.assertEqual(row["assisted_cost"], 9.71)
		self.assertAlmostEqual(row["channel_shift_savings"], 216.43, places=2)
		self.assertAlmostEqual(row["savings_vs_target"], 66.6, places=1)
		summary = {s["label"]: s for s in self.report("SSP Savings")["report_summary"]}
		self.assertEqual(summary["Saved"]["value"], 666.43)
		self.assertEqual(summary["Savings, % of Target"]["value"], 66.6)
		self.assertEqual(summary["Savings, % of Target"]["indicator"], "Red")
		self.assertEqual(summary["Portal Share %"]["value"], 46.2)  # 30 of 65 contacts
		self.assertEqual(summary["Portal Share %"]["indicator"], "Green")  # target 40 %

	def test_savings_follow_the_costs_in_settings(self):
		settings = frappe.get_single("SSP Deflection Settings")
		settings.first_line_cost = 30
		settings.channel_costs[1].cost_per_contact = 15  # Email
		settings.save()
		try:
			row = self.report("SSP Savings")["result"][0]
		finally:
			settings.first_line_cost = 25
			settings.channel_costs[1].cost_per_contact = 8
			settings.save()
		# 20 x (30 - 2.5) = 550; assisted (15*20 + 12*15) / 35 = 13.71; 30 x (13.71 - 2.5) = 336.43
		self.assertEqual(row["deflection_savings"], 550.0)
		self.assertEqual(row["assisted_cost"], 13.71)
		self.assertAlmostEqual(row["channel_shift_savings"], 336.43, places=2)

	def test_classification_accuracy_and_rating_rate(self):
		row = self.report("SSP Classification Accuracy")["result"][0]
		self.assertEqual((row["portal_tickets"], row["reclassified"], row["accuracy"]), (30, 3, 90.0))
		rates = {r["channel"]: r["rating_rate"] for r in self.report("SSP Rating Rate")["result"]}
		self.assertEqual((rates["Portal"], rates["Email"], rates["Phone"]), (50.0, 20.0, 0.0))
		summary = {s["label"]: s["value"] for s in self.report("SSP Rating Rate")["report_summary"]}
		self.assertEqual(summary["Rating Rate %"], 34.3)  # 12 rated / 35 closed
		summary = {
			s["label"]: s["value"] for s in self.report("SSP Classification Accuracy")["report_summary"]
		}
		self.assertEqual(summary["Accuracy %"], 90.0)

	def test_agents_read_reports_portal_users_do_not(self):
		frappe.set_user(make_agent())
		for name in REPORTS:
			if name == MANAGERS_ONLY:
				with self.assertRaises(frappe.PermissionError):
					self.report(name)  # every user's trail is not every agent's to read
			else:
				self.report(name)
		frappe.set_user("Administrator")
		frappe.set_user(make_agent(is_manager=True))
		self.report(MANAGERS_ONLY)
		frappe.set_user(make_portal_user())
		for name in REPORTS:
			with self.assertRaises(frappe.PermissionError):
				self.report(name)

	def test_number_cards(self):
		from selfservice_portal.api.deflection import get_number_card

		frappe.set_user(make_agent())
		for metric, fieldtype in (
			("deflections", "Int"),
			("portal_share", "Percent"),
			("self_service_score", "Float"),
		):
			self.assertEqual(get_number_card({"metric": metric})["fieldtype"], fieldtype)
		with self.assertRaises(frappe.ValidationError):
			get_number_card({"metric": "nope"})
		frappe.set_user(make_portal_user())
		with self.assertRaises(frappe.PermissionError):
			get_number_card({"metric": "deflections"})

	def test_agents_see_the_workspace_cards_and_chart(self):
		frappe.set_user(make_agent())
		for card in ("SSP Deflections This Month", "SSP Portal Share This Month", "SSP Self-Service Score"):
			self.assertTrue(frappe.has_permission("Number Card", doc=card), card)
		self.assertTrue(frappe.has_permission("Dashboard Chart", doc="SSP Channel Mix"))
		frappe.set_user(make_portal_user())
		self.assertFalse(frappe.has_permission("Number Card", doc="SSP Deflections This Month"))
