"""A poll end to end in a real browser: two portal users answer it (desktop and 390 px, the home's
card offered and dismissed), then a manager reads the results report in Desk.
Screenshots: /tmp/ssp-shots/polls-1280.png, polls-390.png, polls-home-390.png, polls-list-390.png,
polls-report.png."""

import os
from typing import TYPE_CHECKING

import frappe

from selfservice_portal.demo.records import ensure_customer
from selfservice_portal.tests.browser import BrowserTestCase, set_password
from selfservice_portal.tests.test_utils import make_contest_manager, make_poll, make_portal_user

if TYPE_CHECKING:  # playwright is only installed where browser tests run
	from playwright.sync_api import Page

SHOTS = "/tmp/ssp-shots"


class TestPollInABrowser(BrowserTestCase):
	@classmethod
	def make_fixtures(cls):
		frappe.set_user("Administrator")
		cls.customer = ensure_customer(f"SSP Poll Browser {frappe.generate_hash(length=6)}")
		cls.first = set_password(make_portal_user(first_name="Desktop", customer=cls.customer))
		cls.second = set_password(make_portal_user(first_name="Phone", customer=cls.customer))
		cls.manager = set_password(make_contest_manager("PollReader"))
		cls.poll = make_poll(cls.customer)
		cls.draft = make_poll(is_open=False)  # of another customer: not offered to the two users
		cls.title = frappe.db.get_value("SSP Poll", cls.poll, "title")

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		for poll in (cls.poll, cls.draft):
			frappe.db.set_value("SSP Poll", poll, "status", "Closed")
			frappe.delete_doc("SSP Poll", poll, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the fixtures were committed for the served site
		super().tearDownClass()

	def fits(self, page: "Page", where: str) -> None:
		scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
		self.assertLessEqual(scroll, inner, f"{where} scrolls sideways")

	def answer(
		self, page: "Page", single: str, picks: list[str], rating: int, likelihood: int, text: str, shot: str
	) -> None:
		form = page.wait_for_selector(".ssp-poll-form", timeout=60_000)
		questions = form.query_selector_all(".ssp-question")
		questions[0].query_selector(f"label:has-text('{single}')").click()
		for pick in picks:
			questions[1].query_selector(f"label:has-text('{pick}')").click()
		questions[2].query_selector(f"input[value='{rating}'] + span").click()
		questions[3].query_selector(f"input[value='{likelihood}'] + span").click()
		questions[4].query_selector("textarea").fill(text)
		page.screenshot(path=f"{SHOTS}/{shot}", full_page=True)
		page.click(".ssp-poll-submit")
		page.wait_for_selector(".ssp-poll-thanks:visible", timeout=60_000)

	def test_portal_users_answer_and_a_manager_reads_the_results(self):
		os.makedirs(SHOTS, exist_ok=True)
		with self.signed_in(self.first, "/polls") as page:
			page.set_viewport_size({"width": 1280, "height": 900})
			card = page.wait_for_selector(f".ssp-poll-card[data-poll='{self.poll}']", timeout=60_000)
			self.assertIn(self.title, card.inner_text())
			card.query_selector("a:has-text('Answer the poll')").click()
			# A required question left empty: the page says so and sends nothing.
			page.wait_for_selector(".ssp-poll-form", timeout=60_000)
			page.click(".ssp-poll-submit")
			self.assertIn("Please answer every question marked with *", page.inner_text(".ssp-poll-errors"))
			self.answer(page, "A", ["X", "Y"], 4, 9, "Quicker forms", "polls-1280.png")
			self.fits(page, "/polls at 1280 px")
			page.goto(f"{self.base}/polls")
			self.assertIn("Answered", page.inner_text(f".ssp-poll-card[data-poll='{self.poll}']"))

		with self.signed_in(self.second, "/self-service") as page:
			page.set_viewport_size({"width": 390, "height": 844})
			card = page.wait_for_selector(f".ssp-home-poll[data-poll='{self.poll}']", timeout=30_000)
			self.assertTrue(card.is_visible())
			page.screenshot(path=f"{SHOTS}/polls-home-390.png", full_page=True)
			self.fits(page, "/self-service with a poll card at 390 px")
			card.query_selector(".ssp-home-poll-dismiss").click()
			self.assertFalse(card.is_visible())
			page.reload()
			self.assertFalse(page.is_visible(".ssp-home-poll"))  # not now: for the rest of the session
			page.goto(f"{self.base}/polls")
			page.screenshot(path=f"{SHOTS}/polls-list-390.png", full_page=True)
			self.fits(page, "the list of polls at 390 px")
			page.click(f".ssp-poll-card[data-poll='{self.poll}'] a:has-text('Answer the poll')")
			self.answer(page, "B", ["Y", "Z"], 2, 10, "", "polls-390.png")
			self.fits(page, "/polls at 390 px")
			# A second answer from another tab is refused with a clear message.
			page.goto(f"{self.base}/polls?poll={self.poll}")
			self.assertIn("You have answered this poll", page.inner_text(".page_content"))

		with self.signed_in(self.manager, "/app") as page:
			page.set_viewport_size({"width": 1280, "height": 900})
			page.goto(f"{self.base}/app/query-report/SSP%20Poll%20Results?poll={self.poll}")
			page.wait_for_selector(".dt-scrollable .dt-row", timeout=60_000)
			page.get_by_text("NPS (2 promoters minus 0 detractors)").wait_for(timeout=30_000)
			page.wait_for_timeout(800)
			page.screenshot(path=f"{SHOTS}/polls-report.png", full_page=True)
			text = page.inner_text(".layout-main-section")
			# Two respondents: A 1 (50%), B 1 (50%); X 1 of 2 (50%), Y 2 of 2 (100%); ease (4 + 2) / 2 = 3;
			# both gave 9 or 10: NPS +100.
			for figure in (
				"2 people answered this poll",
				"50%",
				"100%",
				"+100",
				"fewer than 5",
				"Quicker forms",
			):
				self.assertIn(figure, text)
			self.assertIn("3", page.inner_text(".dt-row:has-text('Average')"))

	def test_a_manager_opens_a_draft_from_its_form(self):
		with self.signed_in(self.manager, f"/app/ssp-poll/{self.draft}") as page:
			page.wait_for_selector(".form-message:has-text('A draft: nobody sees it')", timeout=30_000)
			page.click(".page-actions button:has-text('Actions')")
			page.click(".page-actions .dropdown-menu a:has-text('Open Poll')")
			page.click(".modal.show .btn-primary")
			page.wait_for_selector(".indicator-pill:has-text('Open')", timeout=30_000)
			page.wait_for_selector(".page-actions button:has-text('Results')", timeout=30_000)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("SSP Poll", self.draft, "status"), "Open")
