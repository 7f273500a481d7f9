"""The catalog as its users see it, in a real browser on a real server, at desktop (1280 px) and phone
(390 px) widths: searching the catalog, filling a form with mistakes and submitting it, following
one's requests, deciding an approval, and reading the approval trail in Helpdesk's ticket view.

Each test leaves a screenshot per page and width in /tmp/ssp-shots/ (catalog-1280.png, …)."""

import os
import re

import frappe
import requests

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

SHOTS = "/tmp/ssp-shots"
WIDTHS = (1280, 390)
NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def submit_as(user: str, service: str, answers: dict) -> dict:
	frappe.set_user(user)
	try:
		return api.submit_request(service, answers)
	finally:
		frappe.set_user("Administrator")


class TestCatalogInABrowser(BrowserTestCase):
	@classmethod
	def make_fixtures(cls):
		os.makedirs(SHOTS, exist_ok=True)
		cls.tag = tag = frappe.generate_hash(length=4)
		cls.user = set_password(make_portal_user(first_name="Browser"))
		cls.team = make_team(agents=(make_agent(),))
		# Fixed addresses: the fixtures are committed, and each run must not add portal users.
		cls.head = set_password(make_agent(f"browser-head@{TEST_DOMAIN}", first_name="Head"))
		cls.department = make_department(team=cls.team, head_user=cls.head, name=f"Browser Dept {tag}")
		cls.other_department = make_department(team=cls.team, name=f"Parking Dept {tag}")
		cls.requester = set_password(
			make_portal_user(f"browser-requester@{TEST_DOMAIN}", first_name="Requester")
		)
		cls.manager = set_password(make_portal_user(f"browser-approver@{TEST_DOMAIN}", first_name="Approver"))
		frappe.db.set_value("User", cls.requester, "ssp_manager", cls.manager)
		approved_service = make_service(
			cls.department,
			title=f"Standing desk {tag}",
			approval_steps=[{"approver_type": "Requester's Manager", "step_label": "Manager"}],
		)
		# The audit's attack: an invisible full-page look-alike of the approve button in an answer.
		planted = (
			'<button class="ssp-decide" data-decision="Approved" style="position:fixed;'
			'top:0;left:0;width:100%;height:100%;opacity:0">Read more</button>'
		)
		cls.to_decide = {
			width: submit_as(
				cls.requester, approved_service, {"what": f"A desk {width}", "details": planted}
			)["request"]
			for width in WIDTHS
		}
		# Two steps, the first decided with a comment: what the requester follows.
		cls.two_steps = make_service(
			cls.department,
			title=f"Laptop {tag}",
			approval_steps=[
				{"approver_type": "Requester's Manager", "step_label": "Manager"},
				{"approver_type": "Department Head", "step_label": "Department head"},
			],
		)
		cls.followed = submit_as(cls.requester, cls.two_steps, {"what": "A <b>fast</b> laptop"})
		frappe.set_user(cls.manager)
		try:
			api.decide_approval(cls.followed["request"], "Approved", "Fine, within budget")
		finally:
			frappe.set_user("Administrator")
		# An approver who works in Desk: an agent, deciding from the SSP Request form.
		cls.desk_approver = set_password(
			make_agent(f"browser-desk-approver@{TEST_DOMAIN}", first_name="Desk Approver")
		)
		desk_requester = make_portal_user(f"browser-requester-2@{TEST_DOMAIN}", first_name="Requester")
		frappe.db.set_value("User", desk_requester, "ssp_manager", cls.desk_approver)
		cls.desk_request = submit_as(desk_requester, approved_service, {"what": "A second monitor"})[
			"request"
		]
		cls.service = make_service(
			cls.department,
			title=f"Ergonomic chair {tag}",
			fields=[
				{"label": "Model", "fieldtype": "Select", "options": "Standard\nErgonomic", "is_required": 1},
				{"label": "Room", "fieldtype": "Data", "is_required": 1},
				{"label": "Needed from", "fieldtype": "Date"},
			],
		)
		cls.budget_service = make_service(
			cls.department,
			title=f"Team budget {tag}",
			fields=[
				{"label": "Purpose", "fieldtype": "Data", "is_required": 1},
				{"label": "Budget", "fieldtype": "Number", "min_value": "0", "max_value": "10000"},
				{"label": "Dates", "fieldtype": "Date Range"},
			],
		)
		cls.parking = make_service(cls.other_department, title=f"Parking permit {tag}")
		cls.newcomer = set_password(make_portal_user(f"browser-newcomer@{TEST_DOMAIN}", first_name="New"))

	def look(self, page, name: str, width: int, full_page: bool = True) -> None:
		"""No horizontal scrolling at this width, and a screenshot to look at."""
		self.assertTrue(page.evaluate(NO_OVERFLOW), f"{name} overflows at {width} px")
		page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=full_page)

	# --------------------------------------------------------------------------- item 1

	def test_catalog_search_finds_hides_and_restores(self):
		department = f"section.ssp-department[data-department='{self.department}']"
		other = f"section.ssp-department[data-department='{self.other_department}']"
		with self.signed_in(self.user, "/service-catalog") as page:
			for width in WIDTHS:
				page.set_viewport_size({"width": width, "height": 900})
				page.goto(f"{self.base}/service-catalog")
				search = page.locator(".ssp-catalog-search")
				search.fill("zzqx-nothing")
				page.locator(".ssp-no-match").wait_for(state="visible")
				self.assertIn("No service matches your search", page.inner_text(".ssp-no-match"))
				self.assertEqual(page.locator("section.ssp-department:visible").count(), 0)
				# The bug: sections hidden by one keystroke never came back.
				search.fill("parking")
				page.locator(other).wait_for(state="visible")
				self.assertFalse(page.locator(department).is_visible())
				self.assertFalse(page.locator(".ssp-no-match").is_visible())
				self.look(page, "catalog-search", width, full_page=False)
				search.fill("")
				page.locator(department).wait_for(state="visible")
				self.assertTrue(page.locator(f"{department} .ssp-service").first.is_visible())
				self.assertFalse(page.locator(".ssp-no-match").is_visible())
				self.look(page, "catalog", width, full_page=False)

	# --------------------------------------------------------------------------- items 9 and 3

	def test_form_errors_show_once_beside_the_field_and_a_slow_submit_is_sent_once(self):
		landing = f"/service-catalog/request?service={self.budget_service}"
		with self.signed_in(self.user, landing) as page:
			dialogs = []
			page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
			for width in WIDTHS:
				page.set_viewport_size({"width": width, "height": 900})
				page.goto(f"{self.base}{landing}")
				self.assertEqual(page.get_attribute("#ssp-budget", "min"), "0")
				self.assertEqual(page.get_attribute("#ssp-budget", "max"), "10000")
				page.fill("#ssp-purpose", f"Team lunch {width} {self.tag}")
				page.fill("#ssp-budget", "-500")
				page.fill("#ssp-dates", "2026-12-05")
				page.fill("[name='dates__to']", "2026-12-01")
				page.click(".ssp-submit")
				error = page.locator("#ssp-budget-error")
				error.wait_for(state="visible", timeout=30_000)
				self.assertEqual(error.inner_text(), "Budget must be at least 0")
				self.assertIn("is-invalid", page.get_attribute("#ssp-budget", "class"))
				self.assertEqual(page.evaluate("document.activeElement.id"), "ssp-budget")
				self.assertEqual(
					page.inner_text("#ssp-dates-error"),
					"Dates: the end date (To) is before the start date (From)",
				)
				# Once: no Frappe popup, no second copy in the box under the form.
				self.assertEqual(page.locator(".modal.show").count(), 0)
				self.assertFalse(page.locator(".ssp-errors").is_visible())
				self.assertEqual(dialogs, [])
				self.look(page, "request", width)

				# Corrected, and submitted on a slow server: one request however often it is clicked.
				page.fill("#ssp-budget", "250")
				self.assertNotIn("is-invalid", page.get_attribute("#ssp-budget", "class"))
				page.fill("[name='dates__to']", "2026-12-09")
				held = []
				page.route(
					"**/selfservice_portal.api.catalog.submit_request", lambda route: held.append(route)
				)
				page.click(".ssp-submit")
				page.wait_for_selector(".ssp-submit[aria-busy='true']")
				self.assertIn("Submitting…", page.inner_text(".ssp-submit"))
				self.assertTrue(page.locator(".ssp-submit .spinner-border").is_visible())
				self.assertTrue(page.is_disabled(".ssp-submit"))
				page.evaluate("document.querySelector('.ssp-request-form').requestSubmit()")
				page.wait_for_timeout(500)
				self.assertEqual(len(held), 1)
				held[0].continue_()
				page.unroute("**/selfservice_portal.api.catalog.submit_request")
				done = page.locator(".ssp-submitted")
				done.wait_for(state="visible", timeout=30_000)
				self.assertIn("Your request was submitted", done.inner_text())
				self.assertIn("no approval needed", done.inner_text())
				self.assertEqual(
					page.get_attribute(".ssp-submitted a[href='/my-requests']", "href"), "/my-requests"
				)
				ticket = re.search(
					r"/helpdesk/my-tickets/(\w+)", page.get_attribute(".ssp-submitted-link", "href")
				)
				self.assertTrue(ticket)
				self.look(page, "request-submitted", width)
				frappe.db.rollback()  # see what the server committed
				self.assertEqual(
					frappe.db.count(
						"SSP Request Answer",
						{"fieldname": "purpose", "value": f"Team lunch {width} {self.tag}"},
					),
					1,
				)

	def test_portal_user_requests_a_service(self):
		with self.signed_in(self.user, "/service-catalog") as page:
			page.wait_for_selector("a.ssp-department-link")
			page.click(f"a.ssp-department-link[href*='{frappe.utils.quote(self.department)}']")
			page.wait_for_selector(".ssp-service")
			page.click(f"text={frappe.get_value('SSP Service', self.service, 'title')}")
			page.wait_for_selector(".ssp-request-form")
			page.select_option("#ssp-model", "Ergonomic")
			page.fill("#ssp-room", "3.14")
			page.fill("#ssp-needed_from", "2026-12-01")
			page.click(".ssp-submit")
			page.wait_for_selector(".ssp-submitted", timeout=30_000)
			page.click(".ssp-submitted-link")
			page.wait_for_url("**/helpdesk/my-tickets/**", timeout=30_000)
			ticket_id = page.url.rstrip("/").split("/")[-1]
		frappe.db.rollback()  # see what the server committed
		ticket = frappe.db.get_value(
			"HD Ticket", ticket_id, ["raised_by", "ssp_service", "agent_group", "subject"], as_dict=True
		)
		self.assertEqual(
			(ticket.raised_by, ticket.ssp_service, ticket.agent_group), (self.user, self.service, self.team)
		)
		self.assertTrue(ticket.subject.endswith(": Ergonomic"))

	# --------------------------------------------------------------------------- item 3

	def test_my_requests_shows_whose_decision_a_request_waits_for(self):
		row = f".ssp-my-request[data-request='{self.followed['request']}']"
		with self.signed_in(self.requester, "/my-requests") as page:
			for width in WIDTHS:
				page.set_viewport_size({"width": width, "height": 900})
				page.goto(f"{self.base}/my-requests")
				text = page.inner_text(row)
				self.assertIn(frappe.get_value("SSP Service", self.two_steps, "title"), text)
				self.assertIn(self.department, text)
				self.assertIn(f"submitted on {frappe.utils.formatdate(frappe.utils.today())}", text)
				self.assertIn("Pending", page.inner_text(f"{row} .ssp-my-request-status"))
				self.assertIn("Waiting for approval by Head Tester (step 2 of 2)", text)
				link = page.get_attribute(f"{row} a", "href")
				self.assertEqual(link, f"/helpdesk/my-tickets/{self.followed['ticket']}")
				self.assertIn("My Requests", page.inner_text("body"))  # the portal menu entry
				self.look(page, "my-requests", width)
		with self.signed_in(self.newcomer, "/my-requests") as page:
			for width in WIDTHS:
				page.set_viewport_size({"width": width, "height": 900})
				page.goto(f"{self.base}/my-requests")
				empty = page.inner_text(".ssp-my-requests-empty")
				self.assertIn("You have not requested anything", empty)
				self.assertEqual(page.get_attribute(".ssp-my-requests-empty a", "href"), "/service-catalog")
				self.look(page, "my-requests-empty", width)
		guest = requests.get(f"{self.base}/my-requests", allow_redirects=False, timeout=60)
		self.assertIn(guest.status_code, (301, 302))
		self.assertIn("/login", guest.headers["Location"])

	# --------------------------------------------------------------------------- item 10

	def test_approver_sees_a_confirmation_despite_a_planted_button(self):
		for width, decision in ((1280, "Approved"), (390, "Rejected")):
			request = self.to_decide[width]
			landing = f"/service-approval?request={request}"
			with self.signed_in(self.manager, landing) as page:
				page.set_viewport_size({"width": width, "height": 900})
				page.goto(f"{self.base}{landing}")
				page.wait_for_selector("#ssp-decision")
				self.assertEqual(page.locator("button.ssp-decide").count(), 0)  # shown as text, not a button
				page.get_by_text('<button class="ssp-decide"', exact=False).wait_for()
				if decision == "Rejected":
					page.fill("#ssp-comment", "Not this quarter")
					page.click("#ssp-reject")  # a planted full-page button would have taken this click
				else:
					page.click("#ssp-approve")
				done = page.locator(".ssp-decided")
				done.wait_for(state="visible", timeout=30_000)
				text = done.inner_text()
				verb = "approved" if decision == "Approved" else "rejected"
				self.assertIn(f"You {verb} the request", text)
				self.assertIn("of Requester User", text)
				if decision == "Approved":
					self.assertIn(f"is handed to {self.team}", text)
				else:
					self.assertIn("is closed, and Requester User is told your reason", text)
				self.assertEqual(page.locator("#ssp-decision").count(), 0)
				self.assertNotIn("Nothing", text)
				# The state and the trail above say what the decision changed.
				self.assertNotIn("Waiting", page.inner_text(".ssp-approval-trail"))
				self.assertIn(decision, page.inner_text(".ssp-approval-state"))
				self.look(page, "approval", width)
			frappe.db.rollback()  # see what the server committed
			self.assertEqual(frappe.db.get_value("SSP Request", request, "status"), decision)
		self.assertEqual(
			frappe.db.get_value("SSP Request", self.to_decide[390], "rejection_reason"), "Not this quarter"
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

	# --------------------------------------------------------------------------- items 6, 4 and 3

	def test_helpdesk_ticket_view_shows_a_readable_approval_trail_and_the_way_back(self):
		landing = f"/helpdesk/my-tickets/{self.followed['ticket']}"
		with self.signed_in(self.requester, landing) as page:
			for width in WIDTHS:
				page.set_viewport_size({"width": width, "height": 900})
				page.goto(f"{self.base}{landing}")
				# On a phone the header keeps room for the title: our actions are in Helpdesk's menu.
				button = self.helpdesk_action(page, "Approval: Pending (1/2)")
				button.wait_for(state="visible", timeout=60_000)
				self.assertEqual(button.inner_text().strip(), "Approval: Pending (1/2)")
				if width >= 640:  # the ways back, in one menu
					self.assertTrue(page.get_by_role("button", name="Self-service", exact=True).is_visible())
				else:
					self.assertTrue(page.get_by_role("menuitem", name="My requests").is_visible())
				self.assertHelpdeskHeaderFits(page)
				button.click()
				dialog = page.get_by_role("dialog").locator(".ssp-approvals-dialog")
				dialog.wait_for(state="visible", timeout=30_000)
				page.wait_for_timeout(500)
				# Helpdesk runs an action's onClick twice per click; one dialog opens all the same.
				self.assertEqual(page.locator(".ssp-approvals-dialog").count(), 1)
				self.assertIn("Waiting for approval by Head Tester (step 2 of 2)", dialog.inner_text())
				steps = dialog.locator("ol > li")
				self.assertEqual(steps.count(), 2)
				first = steps.nth(0).inner_text()
				self.assertIn("Manager: Approver User", first)
				self.assertIn("Approved", first)
				self.assertIn(frappe.utils.formatdate(frappe.utils.today()), first)
				self.assertIn("Fine, within budget", first)
				self.assertNotRegex(first, r"\d\d:\d\d:\d\d")  # no raw timestamps
				self.assertIn("Waiting for a decision", steps.nth(1).inner_text())
				self.assertEqual(dialog.locator("dl dt").first.inner_text(), "What")
				self.assertEqual(dialog.locator("dl dd").first.inner_text(), "A <b>fast</b> laptop")
				self.assertEqual(
					steps.nth(0).evaluate("li => getComputedStyle(li.parentElement).listStyleType"), "decimal"
				)
				self.look(page, "helpdesk-ticket-dialog", width)
			page.goto(f"{self.base}{landing}")
			self.open_self_service_menu(page, "My requests")
			page.wait_for_url("**/my-requests", timeout=30_000)
