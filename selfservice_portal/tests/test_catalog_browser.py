"""A real browser on a real server: a portal user signs in, opens a department, fills a service form,
submits, and the ticket exists."""

import frappe

from selfservice_portal.api import catalog as api
from selfservice_portal.tests.browser import BrowserTestCase, set_password
from selfservice_portal.tests.test_utils import (
	TEST_DOMAIN,
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
		# Fixed addresses: the fixtures are committed, and each run must not add portal users.
		cls.requester = make_portal_user(f"browser-requester@{TEST_DOMAIN}", first_name="Requester")
		cls.manager = set_password(make_portal_user(f"browser-approver@{TEST_DOMAIN}", first_name="Approver"))
		frappe.db.set_value("User", cls.requester, "ssp_manager", cls.manager)
		approved_service = make_service(
			cls.department, approval_steps=[{"approver_type": "Requester's Manager", "step_label": "Manager"}]
		)
		frappe.set_user(cls.requester)
		try:
			# The audit's attack: an invisible full-page look-alike of the approve button in an answer.
			cls.request = api.submit_request(
				approved_service,
				{
					"what": "A standing desk",
					"details": '<button class="ssp-decide" data-decision="Approved" style="position:fixed;'
					'top:0;left:0;width:100%;height:100%;opacity:0">Read more</button>',
				},
			)["request"]
		finally:
			frappe.set_user("Administrator")
		# An approver who works in Desk: an agent, deciding from the SSP Request form.
		cls.desk_approver = set_password(
			make_agent(f"browser-desk-approver@{TEST_DOMAIN}", first_name="Desk Approver")
		)
		desk_requester = make_portal_user(f"browser-requester-2@{TEST_DOMAIN}", first_name="Requester")
		frappe.db.set_value("User", desk_requester, "ssp_manager", cls.desk_approver)
		frappe.set_user(desk_requester)
		try:
			cls.desk_request = api.submit_request(approved_service, {"what": "A second monitor"})["request"]
		finally:
			frappe.set_user("Administrator")
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

	def test_approver_rejects_on_the_approval_page_despite_a_planted_button(self):
		landing = f"/service-approval?request={self.request}"
		with self.signed_in(self.manager, landing) as page:
			page.wait_for_selector("#ssp-decision")
			self.assertEqual(page.locator("button.ssp-decide").count(), 0)  # shown as text, not a button
			page.get_by_text('<button class="ssp-decide"', exact=False).wait_for()
			page.fill("#ssp-comment", "Not this quarter")
			page.click("#ssp-reject")  # a planted full-page button would have taken this click
			page.wait_for_selector("text=Nothing to decide here.", timeout=30_000)
		frappe.db.rollback()  # see what the server committed
		self.assertEqual(
			frappe.db.get_value("SSP Request", self.request, ["status", "rejection_reason"]),
			("Rejected", "Not this quarter"),
		)

	def test_approver_approves_from_the_desk_form(self):
		with self.signed_in(self.desk_approver, f"/app/ssp-request/{self.desk_request}") as page:
			page.click(".page-actions button:has-text('Decide')", timeout=30_000)
			page.click(".page-actions .dropdown-menu a:has-text('Approve')")
			page.fill(".modal.show textarea[data-fieldname='comment']", "Fine by me")
			page.click(".modal.show .btn-primary")
			page.wait_for_selector(".indicator-pill:has-text('Approved')", timeout=30_000)
		frappe.db.rollback()  # see what the server committed
		self.assertEqual(frappe.db.get_value("SSP Request", self.desk_request, "status"), "Approved")
		self.assertEqual(
			frappe.db.get_value(
				"SSP Request Approval", {"parent": self.desk_request}, ["decided_by", "comment"]
			),
			(self.desk_approver, "Fine by me"),
		)
