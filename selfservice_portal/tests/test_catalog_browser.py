"""A real browser on a real server: a portal user signs in, opens a department, fills a service form,
submits, and the ticket exists."""

import frappe

from selfservice_portal.tests.browser import BrowserTestCase, set_password
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_department,
	make_portal_user,
	make_service,
	make_team,
)


class TestCatalogInABrowser(BrowserTestCase):
	@classmethod
	def make_fixtures(cls):
		cls.user = set_password(make_portal_user(first_name="Browser"))
		cls.team = make_team(agents=(make_agent(),))
		cls.department = make_department(team=cls.team, name=f"Browser Dept {frappe.generate_hash(length=4)}")
		cls.service = make_service(
			cls.department,
			title="Ergonomic chair",
			fields=[
				{"label": "Model", "fieldtype": "Select", "options": "Standard\nErgonomic", "is_required": 1},
				{"label": "Room", "fieldtype": "Data", "is_required": 1},
				{"label": "Needed from", "fieldtype": "Date"},
			],
		)

	def test_portal_user_requests_a_service(self):
		with self.signed_in(self.user, "/service-catalog") as page:
			page.wait_for_selector("a.ssp-department-link")
			page.click(f"a.ssp-department-link[href*='{frappe.utils.quote(self.department)}']")
			page.wait_for_selector(".ssp-service")
			page.click("text=Ergonomic chair")
			page.wait_for_selector(".ssp-request-form")
			page.select_option("#ssp-model", "Ergonomic")
			page.fill("#ssp-room", "3.14")
			page.fill("#ssp-needed_from", "2026-12-01")
			page.click(".ssp-submit")
			page.wait_for_url("**/helpdesk/my-tickets/**", timeout=30_000)
			ticket_id = page.url.rstrip("/").split("/")[-1]
		frappe.db.rollback()  # see what the server committed
		ticket = frappe.db.get_value(
			"HD Ticket", ticket_id, ["raised_by", "ssp_service", "agent_group", "subject"], as_dict=True
		)
		self.assertEqual(
			(ticket.raised_by, ticket.ssp_service, ticket.agent_group), (self.user, self.service, self.team)
		)
		self.assertEqual(ticket.subject, "Ergonomic chair: Ergonomic")
