"""The demo seeder on a real site: believable data, and a second run adds nothing."""

import frappe
from frappe.desk.query_report import run as run_report
from frappe.utils import add_days, getdate

from selfservice_portal.demo import catalog_plan, fulfilment_plan, plan
from selfservice_portal.demo.seed import run_demo
from selfservice_portal.tests import IntegrationTestCase


def demo_counts() -> dict:
	return {
		"tickets": frappe.db.count("HD Ticket", {"raised_by": ("like", f"%@{plan.DEMO_DOMAIN}")}),
		"contacts": frappe.db.count("Contact", {"email_id": ("in", [p.email for p in plan.PORTAL_USERS])}),
		"agents": frappe.db.count("HD Agent", {"user": ("like", f"%@{plan.DEMO_DOMAIN}")}),
		"articles": frappe.db.count("HD Article", {"title": ("in", [a.title for a in plan.ARTICLES])}),
		"teams": frappe.db.count("HD Team", {"name": ("in", [d.team for d in plan.DEPARTMENTS])}),
		"services": frappe.db.count(
			"SSP Service", {"department": ("in", [d.team for d in plan.DEPARTMENTS])}
		),
		"requests": frappe.db.count("SSP Request", {"requester": ("like", f"%@{plan.DEMO_DOMAIN}")}),
		"events": frappe.db.count("SSP Portal Event", {"name": ("like", "demoev-%")}),
		"badges": frappe.db.count("SSP Badge Award", {"contest_title": ("like", "Portal Champions%")}),
	}


class TestDemo(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		run_demo(log=lambda _: None)
		cls.first = demo_counts()

	def test_second_run_duplicates_nothing(self):
		run_demo(log=lambda _: None)
		self.assertEqual(demo_counts(), self.first)

	def test_seeds_departments_people_articles_and_tickets(self):
		self.assertEqual(self.first["teams"], len(plan.DEPARTMENTS))
		self.assertEqual(self.first["articles"], len(plan.ARTICLES))
		self.assertEqual(self.first["contacts"], len(plan.PORTAL_USERS))
		self.assertEqual(self.first["agents"], sum(len(d.agent_emails) for d in plan.DEPARTMENTS))
		self.assertGreaterEqual(self.first["tickets"], len(plan.plan_tickets(getdate())))

	def test_tickets_span_channels_and_a_year(self):
		rows = frappe.get_all(
			"HD Ticket",
			filters={"raised_by": ("like", f"%@{plan.DEMO_DOMAIN}")},
			fields=["ssp_channel", "opening_date", "agent_group", "customer", "status"],
		)
		self.assertGreaterEqual(len({r.ssp_channel for r in rows}), 5)
		self.assertTrue(all(r.ssp_channel for r in rows))
		self.assertGreater((max(r.opening_date for r in rows) - min(r.opening_date for r in rows)).days, 300)
		self.assertEqual({r.customer for r in rows}, {plan.CUSTOMER_NAME})
		self.assertIn("Closed", {r.status for r in rows})

	def test_portal_users_can_sign_in_to_the_portal(self):
		person = plan.PORTAL_USERS[0]
		self.assertEqual(frappe.db.get_value("User", person.email, "user_type"), "Website User")
		self.assertEqual(frappe.db.get_value("Contact", {"email_id": person.email}, "user"), person.email)


class TestDemoCapabilities(IntegrationTestCase):
	"""The demo shows every capability: a catalog, a year of journeys rolled up, a past contest."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		run_demo(log=lambda _: None)

	def test_catalog_and_sample_requests(self):
		self.assertGreaterEqual(
			frappe.db.count("SSP Service", {"department": ("in", [d.team for d in plan.DEPARTMENTS])}), 25
		)
		statuses = set(
			frappe.get_all("SSP Request", {"requester": ("like", f"%@{plan.DEMO_DOMAIN}")}, pluck="status")
		)
		self.assertTrue({"Pending Approval", "Approved", "Rejected", "Submitted"} <= statuses)

	def test_a_year_of_roll_ups_and_a_contest_with_badges(self):
		months = frappe.db.sql(
			"SELECT COUNT(DISTINCT LEFT(stat_date, 7)) FROM `tabSSP Daily Stat` WHERE kb_journeys > 0"
		)[0][0]
		self.assertGreaterEqual(months, 12)
		contest = frappe.get_value(
			"SSP Contest", {"title": ("like", "Portal Champions%")}, ["name", "status"], as_dict=True
		)
		self.assertEqual(contest.status, "Awarded")
		self.assertTrue(frappe.db.exists("SSP Badge Award", {"contest": contest.name, "tier": "Gold"}))

	def test_onboarding_and_leaving_services_with_their_plans(self):
		for (department, title), tasks in fulfilment_plan.PLANS.items():
			service = frappe.get_doc("SSP Service", {"department": department, "title": title})
			self.assertEqual([t.task_label for t in service.plan_tasks], [t["task_label"] for t in tasks])
			self.assertEqual({t.department for t in service.plan_tasks}, {"HR", "IT", "Facilities"})
			self.assertTrue(all(t.task_id for t in service.plan_tasks))
			dated = [t for t in service.plan_tasks if t.date_field]
			self.assertTrue(dated and all(t.date_field in {"start_date", "leaving_date"} for t in dated))
		onboarding = frappe.get_doc("SSP Service", {"title": fulfilment_plan.ONBOARDING})
		self.assertTrue(onboarding.approval_steps)

	def test_a_year_of_fulfilment_history_that_adds_up(self):
		services = frappe.get_all(
			"SSP Service", filters={"title": ("in", fulfilment_plan.SERVICE_TITLES)}, pluck="name"
		)
		requests = frappe.get_all(
			"SSP Request",
			filters={"service": ("in", services)},
			fields=["name", "hd_ticket", "status", "plan_status", "creation"],
		)
		self.assertGreaterEqual(len(requests), 30)
		days = [getdate(r.creation) for r in requests]
		self.assertLessEqual(min(days), add_days(getdate(), -300))
		self.assertGreaterEqual(len({d.strftime("%Y-%m") for d in days}), 12)
		self.assertIn("Approved", {r.status for r in requests})
		self.assertIn("Completed", {r.plan_status for r in requests})
		for r in requests:
			ticket = frappe.db.get_value(
				"HD Ticket",
				r.hd_ticket,
				["status_category", "resolution_date", "creation", "opening_date"],
				as_dict=True,
			)
			self.assertEqual(ticket.creation, r.creation)
			self.assertEqual(ticket.opening_date, getdate(r.creation))
			tasks = frappe.get_all(
				"SSP Request Task",
				filters={"request": r.name},
				fields=["status", "hd_ticket", "started_on", "resolved_on"],
			)
			if r.plan_status == "Completed":
				self.assertEqual(ticket.status_category, "Resolved")
				self.assertEqual({t.status for t in tasks}, {"Resolved"})
				self.assertEqual(ticket.resolution_date, max(t.resolved_on for t in tasks))
			for t in tasks:
				if t.status == "Waiting":
					self.assertFalse(t.hd_ticket)
					continue
				task_ticket = frappe.db.get_value(
					"HD Ticket", t.hd_ticket, ["creation", "status_category", "resolution_date"], as_dict=True
				)
				self.assertEqual(task_ticket.creation, t.started_on)
				for assigned_on in frappe.get_all(
					"ToDo", {"reference_type": "HD Ticket", "reference_name": t.hd_ticket}, pluck="creation"
				):
					self.assertEqual(assigned_on, t.started_on)
				self.assertGreaterEqual(t.started_on, r.creation)
				if t.status == "Resolved":
					self.assertEqual(task_ticket.status_category, "Resolved")
					self.assertEqual(task_ticket.resolution_date, t.resolved_on)
					self.assertGreaterEqual(t.resolved_on, t.started_on)

	def test_fulfilment_report_shows_both_services(self):
		frappe.set_user("Administrator")
		result = run_report(
			"SSP Fulfilment",
			filters={"from_date": str(add_days(getdate(), -366)), "to_date": str(getdate())},
		)
		titles = dict(frappe.get_all("SSP Service", fields=["name", "title"], as_list=True))
		rows = {titles.get(row["service"]): row for row in result["result"] if isinstance(row, dict)}
		for title in fulfilment_plan.SERVICE_TITLES:
			self.assertIn(title, rows)
			self.assertGreater(rows[title]["requests"], 0)
			self.assertGreater(rows[title]["fulfilled"], 0)
			self.assertLessEqual(rows[title]["fulfilled"], rows[title]["requests"])
		self.assertTrue(rows[fulfilment_plan.ONBOARDING]["slowest_task"])
