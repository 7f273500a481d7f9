"""Every deflection report on known roll-up rows and on constructed journeys (hand-computed figures),
the drill-down agreeing with the figures it explains, and who may run the reports."""

import html
import json
import re
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

import frappe
from frappe.desk.query_report import run

from selfservice_portal.deflection.events import SEARCH_FAILED
from selfservice_portal.deflection.rollup import rollup_day
from selfservice_portal.deflection.settings import get_rules
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_article,
	make_department,
	make_portal_user,
	make_ticket,
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


def stat(day, department, channel, **metrics):
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

	def report(self, name, **filters):
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


DAY = datetime(2024, 5, 14)
MAY_FROM, MAY_TO = "2024-05-01", "2024-05-31"


def at(hours: float) -> datetime:
	return DAY + timedelta(hours=hours)


def event(when: datetime, user: str, kind: str, **values) -> None:
	doc = frappe.get_doc({"doctype": "SSP Portal Event", "event_type": kind, "user": user, **values})
	doc.insert(ignore_permissions=True, ignore_links=True)
	frappe.db.set_value("SSP Portal Event", doc.name, "creation", when, update_modified=False)


def raw_event(when: datetime, user: str, kind: str, **values) -> None:
	"""As earlier versions wrote events: straight to the table, markup and all."""
	frappe.get_doc(
		{
			"doctype": "SSP Portal Event",
			"name": frappe.generate_hash(length=12),
			"event_type": kind,
			"user": user,
			"creation": when,
			"modified": when,
			**values,
		}
	).db_insert()


def ticket(user: str, when: datetime, department: str) -> str:
	name = make_ticket(user, subject=f"Report test {frappe.generate_hash(length=6)}", channel="Portal")
	frappe.db.set_value(
		"HD Ticket",
		name,
		{
			"creation": when,
			"opening_date": when.date(),
			"ssp_department": department,
			"ssp_channel": "Portal",
		},
		update_modified=False,
	)
	return name


class TestJourneyReports(IntegrationTestCase):
	"""Five people on one day, rolled up; the Deflection figures, the journeys behind them and the
	knowledge gaps, each counted by hand:

	- ann: offered articles for a service, reads A1, says it helped -> confirmed
	- bob: searches "zz printer jam" (3 results), reads A2 -> inferred
	- cat: searches "zz vpn token" (no result), reads A2, "did not help", ticket 30 min later -> ticket after KB
	- dan: searches "zz vpn token" (no result), ticket the next day -> ticket, not a KB journey
	- eve: reads A2; her ticket 80 h later is outside the 72 h window -> inferred

	Stored before the fixes and still left out: an agent's own reading, searching and "did not help"
	(not a portal journey), bob's failed search (not a search without results), and eve's search typed
	with markup (shown escaped).
	"""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.db.delete(
			"SSP Portal Event", {"creation": ("between", [DAY - timedelta(days=2), DAY + timedelta(days=5)])}
		)
		settings = frappe.get_single("SSP Deflection Settings")
		settings.journey_gap_minutes, settings.deflection_window_hours = 30, 72
		settings.save()
		cls.dept = d = make_department()
		cls.a1, cls.a2 = make_article(), make_article()
		u = {k: make_portal_user(first_name=k.title()) for k in ("ann", "bob", "cat", "dan", "eve")}
		event(at(9), u["ann"], "Service Viewed", department=d)
		event(at(9.02), u["ann"], "Articles Suggested", department=d, result_count=2)
		event(at(9.05), u["ann"], "Article View", hd_article=cls.a1)
		event(at(9.1), u["ann"], "Article Helpful", hd_article=cls.a1)
		event(at(10), u["bob"], "Service Viewed", department=d)
		event(at(10.02), u["bob"], "KB Search", query="ZZ printer jam ", result_count=3)
		event(at(10.05), u["bob"], "Article View", hd_article=cls.a2)
		event(at(11), u["cat"], "Service Viewed", department=d)
		event(at(11.02), u["cat"], "KB Search", query="zz vpn token", result_count=0)
		event(at(11.05), u["cat"], "Article View", hd_article=cls.a2)
		event(at(11.1), u["cat"], "Article Not Helpful", hd_article=cls.a2)
		cls.cat_ticket = ticket(u["cat"], at(11.5), d)
		event(at(12), u["dan"], "Service Viewed", department=d)
		event(at(12.02), u["dan"], "KB Search", query="zz vpn token", result_count=0)
		cls.dan_ticket = ticket(u["dan"], at(36), d)
		event(at(13), u["eve"], "Service Viewed", department=d)
		event(at(13.05), u["eve"], "Article View", hd_article=cls.a2)
		ticket(u["eve"], at(13.05 + 80), d)
		agent = make_agent()
		event(at(14), agent, "KB Search", query="zz agent search", result_count=0)
		event(at(14.02), agent, "Article View", hd_article=cls.a1)
		event(at(14.05), agent, "Article Not Helpful", hd_article=cls.a1)
		event(at(10.03), u["bob"], "KB Search", query="zz search failed", result_count=SEARCH_FAILED)
		raw_event(at(13.02), u["eve"], "KB Search", query=XSS_QUERY, result_count=0)
		rules = get_rules()
		for offset in range(5):
			rollup_day((DAY + timedelta(days=offset)).date(), rules)

	def tearDown(self):
		frappe.set_user("Administrator")

	def report(self, name, **filters):
		return run(name, filters={"from_date": MAY_FROM, "to_date": MAY_TO, **filters})

	def test_deflection_row(self):
		out = self.report("SSP Deflection", department=self.dept)
		(row,) = out["result"]
		self.assertEqual(
			(
				row["kb_journeys"],
				row["confirmed"],
				row["inferred"],
				row["journeys_then_ticket"],
				row["tickets"],
			),
			(4, 1, 2, 1, 3),
		)
		# distinct tickets: cat's (30 min after reading); not dan's (his search found nothing) nor eve's
		# (80 h after reading, outside the 72 h window)
		self.assertEqual(row["tickets_after_reading"], 1)
		self.assertEqual(row["deflection_rate"], 75.0)  # 3 / (3 + 1)
		self.assertEqual(row["self_service_score"], 1.33)  # 4 KB journeys / 3 tickets

	def test_ticket_figures_link_to_exactly_the_tickets_behind_them(self):
		(row,) = self.report("SSP Deflection", department=self.dept)["result"]
		self.assertEqual(linked_count(row["ticket_list"]), row["tickets"])  # 3
		(mix,) = [r for r in self.report("SSP Channel Mix", department=self.dept)["result"] if r["total"]]
		self.assertEqual(linked_count(mix["ticket_list"]), 3)
		self.assertEqual(linked_count(mix["contact_list"]), 0)

	def test_drill_down_lists_the_journeys_behind_the_row(self):
		every = self.report("SSP Journeys", department=self.dept)
		self.assertEqual(len(every["result"]), 5)
		outcomes = sorted(r["outcome"] for r in every["result"])
		self.assertEqual(
			outcomes,
			[
				"Confirmed deflection",
				"Followed by a ticket",
				"Followed by a ticket",
				"Inferred deflection",
				"Inferred deflection",
			],
		)
		# the Deflection row links with kb_only=1: the drill-down then counts what the row counts
		kb = self.report("SSP Journeys", department=self.dept, kb_only=1)
		summary = {s["label"]: s["value"] for s in kb["report_summary"]}
		row = self.report("SSP Deflection", department=self.dept)["result"][0]
		self.assertEqual(
			(
				summary["KB Journeys"],
				summary["Confirmed"],
				summary["Inferred"],
				summary["KB Journeys Then a Ticket"],
			),
			(row["kb_journeys"], row["confirmed"], row["inferred"], row["journeys_then_ticket"]),
		)
		(cat,) = self.report("SSP Journeys", department=self.dept, outcome="ticket", kb_only=1)["result"]
		self.assertEqual((cat["ticket"], cat["articles_read"]), (self.cat_ticket, self.a2))

	def gaps(self, view):
		return {r["item"]: r for r in self.report("SSP Knowledge Gaps", view=view)["result"]}

	def test_knowledge_gaps(self):
		no_result = self.gaps("Searches Without Results")["zz vpn token"]
		self.assertEqual((no_result["times"], no_result["people"]), (2, 2))  # cat, dan
		self.assertNotIn("zz printer jam", self.gaps("Searches Without Results"))
		followed = self.gaps("Searches Followed by a Ticket")
		self.assertEqual((followed["zz vpn token"]["times"], followed["zz vpn token"]["people"]), (2, 2))
		self.assertIn(f"/app/hd-ticket/{self.dan_ticket}", followed["zz vpn token"]["tickets"])
		self.assertNotIn("zz printer jam", followed)  # bob raised no ticket
		read = self.gaps("Articles Read Before a Ticket")
		self.assertEqual(read[self.a2]["times"], 1)  # cat; eve's ticket came after the window
		self.assertNotIn(self.a1, read)
		self.assertTrue(read[self.a2]["title"])
		not_helpful = self.gaps("Articles Marked Not Helpful")
		self.assertEqual(not_helpful[self.a2]["times"], 1)
		self.assertNotIn(self.a1, not_helpful)  # the agent's

	def test_knowledge_gaps_leave_out_agents_and_failed_searches(self):
		no_result = self.gaps("Searches Without Results")
		self.assertNotIn("zz agent search", no_result)
		self.assertNotIn("zz search failed", no_result)

	def test_typed_text_is_escaped_in_the_report(self):
		no_result = self.gaps("Searches Without Results")
		self.assertNotIn(XSS_QUERY.lower(), no_result)
		self.assertIn("&lt;img src=x onerror=alert(1)&gt;zz xss", no_result)
		self.assertFalse(any("<" in (r["title"] or "") for r in no_result.values()))
