"""The self-service home (/self-service), as its users meet it: over HTTP and in a real browser, as the
requester, their approver and a guest; and its cost, which must not grow with the user's history."""

import os
from urllib.parse import unquote

import frappe

from selfservice_portal.benchmarks.catalog_listing import count_queries
from selfservice_portal.service_catalog.approver_inbox import get_pending_for
from selfservice_portal.service_catalog.catalog import get_viewer
from selfservice_portal.service_catalog.home import get_home
from selfservice_portal.service_catalog.intake import submit_request
from selfservice_portal.tests.browser import BrowserTestCase, set_password
from selfservice_portal.tests.test_utils import (
	TEST_DOMAIN,
	make_article,
	make_badge,
	make_department,
	make_portal_user,
	make_service,
	make_team,
)

SHOTS = "/tmp/ssp-shots"
PHONE = {"width": 390, "height": 844}


def submit_as(user: str, service: str, what: str) -> str:
	frappe.set_user(user)
	try:
		return submit_request(service, {"what": what}, get_viewer(user))["request"]
	finally:
		frappe.set_user("Administrator")


class TestSelfServiceHome(BrowserTestCase):
	def assertShows(self, expected: str, text: str):
		"""assertIn without printing the whole page when it fails."""
		self.assertTrue(expected in text, f"{expected!r} is not on the page")

	@classmethod
	def make_fixtures(cls):
		tag = frappe.generate_hash(length=5)
		cls.tag = tag
		cls.department = make_department(team=make_team(), name=f"Home Dept {tag}")
		# Fixed addresses: the fixtures are committed, and each run must not add portal users.
		cls.requester = set_password(make_portal_user(f"home-requester@{TEST_DOMAIN}", first_name="Homer"))
		cls.approver = set_password(make_portal_user(f"home-approver@{TEST_DOMAIN}", first_name="Apollonia"))
		cls.newcomer = set_password(make_portal_user(f"home-newcomer@{TEST_DOMAIN}", first_name="Nova"))
		frappe.db.set_value("User", cls.requester, "ssp_manager", cls.approver)
		cls.service_title = f"Quokka laptop {tag}"
		cls.service = make_service(
			cls.department,
			title=cls.service_title,
			approval_steps=[{"approver_type": "Requester's Manager", "step_label": "Manager"}],
		)
		cls.request = submit_as(cls.requester, cls.service, "A laptop for the new project")
		cls.article_title = f"Quokka laptop setup guide {tag}"
		make_article(cls.article_title)
		if not frappe.db.exists("SSP Badge Award", {"user": cls.requester, "status": "Active"}):
			make_badge(cls.requester, "Silver")

	def test_the_requester_sees_their_request_waiting_and_their_badge(self):
		page = self.client(self.requester).request("GET", "/self-service")
		self.assertEqual(page.status_code, 200)
		text = page.text
		self.assertShows("Welcome to self-service", text)
		self.assertShows(f"Home Dept {self.tag}", text)
		self.assertShows(self.service_title, text)
		self.assertShows("Waiting for approval by Apollonia User (step 1 of 1)", text)
		self.assertShows("Most independent user", text)  # the badge
		self.assertFalse("Waiting for your approval" in text, "an approval card without approvals")

	def test_the_approver_sees_what_waits_for_them(self):
		text = self.client(self.approver).request("GET", "/self-service").text
		self.assertShows("Waiting for your approval", text)
		# The approver's inbox, oldest first (fixtures of earlier runs wait too): its count is shown.
		waiting = len(get_pending_for(self.approver))
		self.assertGreaterEqual(waiting, 1)
		self.assertShows(f'<span class="badge badge-warning">{waiting}</span>', text)
		self.assertShows("asked by Homer User", text)

	def test_a_newcomer_is_told_what_to_do(self):
		text = self.client(self.newcomer).request("GET", "/self-service").text
		self.assertShows("You have no open requests.", text)
		self.assertShows("No badges yet.", text)

	def test_one_search_finds_services_and_articles_and_is_recorded(self):
		before = frappe.db.count("SSP Portal Event", {"user": self.newcomer, "event_type": "KB Search"})
		text = (
			self.client(self.newcomer)
			.request("GET", "/self-service", params={"q": f"quokka {self.tag}"})
			.text
		)
		self.assertShows(self.service_title, text)
		self.assertShows(self.article_title, text)
		frappe.db.rollback()  # see what the server committed
		after = frappe.db.count("SSP Portal Event", {"user": self.newcomer, "event_type": "KB Search"})
		self.assertEqual(after, before + 1)

		text = self.client(self.newcomer).request("GET", "/self-service", params={"q": "zzqx nothing"}).text
		self.assertShows("Nothing matches your search.", text)

	def test_each_user_gets_their_own_page_from_the_shared_templates(self):
		# The served process keeps the pages' compiled templates (page_templates): one user's page must
		# never carry into the next request, whoever asks in between.
		for user, own, other in (
			(self.requester, self.service_title, "You have no open requests."),
			(self.newcomer, "You have no open requests.", self.service_title),
			(self.requester, self.service_title, "You have no open requests."),
		):
			text = self.client(user).request("GET", "/self-service").text
			self.assertShows(own, text)
			self.assertFalse(other in text, f"{user} sees {other!r}")

	def test_a_guest_is_sent_to_sign_in(self):
		response = self.client().request("GET", "/self-service", allow_redirects=False)
		self.assertIn(response.status_code, (301, 302, 303))
		self.assertIn("/login?redirect-to=/self-service", unquote(response.headers["Location"]))

	def test_cost_does_not_grow_with_the_users_history(self):
		frappe.set_user(self.requester)
		try:
			frappe.clear_cache()
			get_home(self.requester)  # warm the catalog index and cached settings
			few = count_queries(lambda: get_home(self.requester))
		finally:
			frappe.set_user("Administrator")
		for n in range(4):
			submit_as(self.requester, self.service, f"Another laptop {n}")
		frappe.set_user(self.requester)
		try:
			get_home(self.requester)
			many = count_queries(lambda: get_home(self.requester))
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(few, many)
		self.assertLessEqual(many, 15)

	def test_in_a_browser_at_desktop_and_phone_width(self):
		os.makedirs(SHOTS, exist_ok=True)
		with self.signed_in(self.requester, "/self-service") as page:
			for width, viewport in (("1280", {"width": 1280, "height": 900}), ("390", PHONE)):
				page.set_viewport_size(viewport)
				page.goto(f"{self.base}/self-service")
				page.fill("input[name=q]", f"quokka {self.tag}")
				page.press("input[name=q]", "Enter")
				page.wait_for_selector(".ssp-home-results", timeout=30_000)
				results = page.inner_text(".ssp-home-results")
				self.assertShows(self.service_title, results)
				self.assertShows(self.article_title, results)
				self.assertIn("Waiting for approval by Apollonia User", page.inner_text(".ssp-home-requests"))
				self.assertLessEqual(
					page.evaluate("document.documentElement.scrollWidth"), page.evaluate("window.innerWidth")
				)
				page.goto(f"{self.base}/self-service")
				page.screenshot(path=f"{SHOTS}/home-{width}.png", full_page=True)
			page.click(f"a.ssp-home-department:has-text('Home Dept {self.tag}')")
			page.wait_for_url("**/service-catalog?department=*")
			self.assertIn(self.service_title, page.inner_text(".ssp-catalog"))

	def test_helpdesk_portal_offers_the_way_home(self):
		ticket = frappe.db.get_value("SSP Request", self.request, "hd_ticket")
		with self.signed_in(self.requester, f"/helpdesk/my-tickets/{ticket}") as page:
			page.get_by_role("button", name="Self-service", exact=True).wait_for(timeout=60_000)
			self.open_self_service_menu(page, "Self-service home")
			page.wait_for_url("**/self-service", timeout=30_000)
			self.assertIn("My open requests", page.inner_text(".ssp-home"))
