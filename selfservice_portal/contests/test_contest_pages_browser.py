"""/contests and /my-badges as a participant reads them, in a real browser at a desktop's and a phone's
width: dates in the site's format, shares as percentages, and a sentence wherever a figure is missing.

The site's date format is set to dd.mm.yyyy for the class, so a date that is shown raw
(``2021-01-01 00:00:00``) cannot pass for a formatted one. Screenshots: /tmp/ssp-shots/contests-*.png
and badges-*.png.
"""

import os
from datetime import datetime
from typing import TYPE_CHECKING

import frappe

from selfservice_portal.contests import awards, judging, lifecycle
from selfservice_portal.contests.test_contests import (
	contact_audience,
	make_contest,
	nomination,
	ticket,
	travel_to_judging,
)
from selfservice_portal.tests.browser import BrowserTestCase, set_password
from selfservice_portal.tests.test_utils import make_portal_user

if TYPE_CHECKING:
	from playwright.sync_api import Page

SHOTS = "/tmp/ssp-shots"
WIDTHS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"
START, END = datetime(2021, 1, 1), datetime(2021, 6, 30, 23, 59, 59)


def set_date_format(date_format: str) -> str:
	"""The site's date format, as System Settings stores it (the setting and the default read by
	``formatdate``); a fresh test site may lack what saving the whole form would require."""
	previous = frappe.db.get_default("date_format") or "yyyy-mm-dd"
	frappe.db.set_single_value("System Settings", "date_format", date_format)
	frappe.db.set_default("date_format", date_format)
	frappe.local.user_date_format = None
	frappe.clear_cache()
	return previous


class TestContestPagesInABrowser(BrowserTestCase):
	@classmethod
	def make_fixtures(cls):
		cls.previous_date_format = set_date_format("dd.mm.yyyy")
		frappe.db.delete("HD Ticket", {"creation": ("between", [START, END])})
		# Of no customer: the suite's many contests for the test customer would crowd these out of the
		# page (it shows the newest 20 contests one takes part in).
		users = {n: make_portal_user(first_name=n, customer=None) for n in ("Ada", "Ben", "Cy", "Dee")}
		cls.ben, cls.cy, cls.dee = set_password(users["Ben"]), set_password(users["Cy"]), users["Dee"]
		set_password(cls.dee)
		# Independence over H1 2021: Ada 2 of 3 requests through the portal (67 %), Ben 1 of 3 (33 %),
		# Cy 2 of 2 but below the floor of 3 requests; Dee raised nothing.
		for who, portal, other in (("Ada", 2, 1), ("Ben", 1, 2), ("Cy", 2, 0)):
			for i in range(portal):
				ticket(users[who], datetime(2021, 2, 1 + i, 9))
			for i in range(other):
				ticket(users[who], datetime(2021, 3, 1 + i, 9), channel="Email")
		audience = contact_audience(*users.values())
		cls.awarded = make_contest(
			[
				nomination("Most independent user", "independence", eligibility_floor=3),
				nomination("Most helpful voter", "helpful_votes"),
			],
			title="Portal Stars H1 2021",
			audience=audience,
		)
		travel_to_judging(cls.awarded, START, END)
		judging.judge(cls.awarded)
		awards.award_contest(cls.awarded)
		# A contest running now, with interim standings: Ada's one request is below the floor of 2, and
		# nobody has voted yet.
		cls.running = make_contest(
			[
				nomination("Most requests through the portal", "portal_tickets", eligibility_floor=2),
				nomination("Most helpful voter", "helpful_votes"),
			],
			title="Winter Push",
			audience=audience,
		)
		frappe.get_doc("SSP Contest", cls.running).announce()
		frappe.db.set_value(
			"SSP Contest",
			cls.running,
			{"starts_on": datetime(2026, 11, 1), "ends_on": datetime(2030, 12, 31, 23, 59, 59)},
		)
		lifecycle.advance_contests()
		ticket(users["Ada"], datetime(2026, 11, 15, 9))
		judging.judge(cls.running)

	@classmethod
	def tearDownClass(cls):
		set_date_format(cls.previous_date_format)
		frappe.db.commit()  # nosemgrep: the site's own date format comes back for the next classes
		super().tearDownClass()

	def fits(self, page: "Page", name: str, width: str) -> None:
		self.assertTrue(page.evaluate(NO_OVERFLOW), f"{name} overflows at {width} px")
		os.makedirs(SHOTS, exist_ok=True)
		page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)

	def test_contests_page_shows_figures_for_people_and_says_why_a_card_is_empty(self):
		with self.signed_in(self.ben, "/contests") as page:
			for width, viewport in WIDTHS.items():
				with self.subTest(width=width):
					page.set_viewport_size(viewport)
					page.goto(f"{self.base}/contests")
					awarded = page.locator("section.ssp-contest", has_text="Portal Stars H1 2021")
					text = awarded.inner_text()
					self.assertIn("01.01.2021 to 30.06.2021", text)
					self.assertNotIn("00:00:00", text)
					independent = awarded.locator(".ssp-nomination", has_text="Most independent user")
					card = independent.inner_text()
					self.assertIn("You are ranked 2 with 33 %.", card)
					self.assertIn("67 %", card)  # Ada, first
					self.assertNotIn("0.33", card)
					voter = awarded.locator(".ssp-nomination", has_text="Most helpful voter").inner_text()
					self.assertIn("Nobody took part in this nomination.", voter)
					self.assertNotIn("You were not ranked", voter)  # the note says it for everyone
					running = page.locator("section.ssp-contest", has_text="Winter Push")
					self.assertIn("01.11.2026 to 31.12.2030", running.inner_text())
					self.assertIn("Running until 31.12.2030.", running.inner_text())
					requests = running.locator(".ssp-nomination", has_text="Most requests").inner_text()
					self.assertIn(
						"You are not ranked in this nomination yet. Nothing of yours has counted so far. "
						"To be ranked you need at least 2 requests.",
						requests,
					)
					self.assertIn(
						"Nobody qualifies yet: at least 2 requests are needed to be ranked. "
						"Standings are refreshed every hour while the contest runs.",
						requests,
					)
					votes = running.locator(".ssp-nomination", has_text="Most helpful voter").inner_text()
					self.assertIn(
						"Nobody has scored yet. Standings are refreshed every hour while the contest runs.",
						votes,
					)
					# No card starts with an empty band: its title is the first thing in it.
					first_gap = page.evaluate(
						"""() => { const c = document.querySelector('.ssp-nomination');
						const h = c.querySelector('h4');
						return h.getBoundingClientRect().top - c.getBoundingClientRect().top; }"""
					)
					self.assertLess(first_gap, 24)
					self.fits(page, "contests", width)

	def test_below_the_floor_a_participant_is_told_what_is_missing(self):
		response = self.client(self.cy).request("GET", f"/contests?contest={self.awarded}")
		self.assertEqual(response.status_code, 200)
		self.assertIn("You were not ranked in this nomination.", response.text)
		self.assertIn("You have 2 valid requests; at least 3 valid requests are needed.", response.text)

	def test_badges_page_formats_dates_and_an_empty_card_says_what_to_do(self):
		today = frappe.utils.getdate().strftime("%d.%m.%Y")
		with self.signed_in(self.ben, "/my-badges") as page:
			for width, viewport in WIDTHS.items():
				with self.subTest(width=width):
					page.set_viewport_size(viewport)
					page.goto(f"{self.base}/my-badges")
					text = page.inner_text(".ssp-badges-page")
					self.assertIn("Most independent user · Silver, H1 2021", text)
					self.assertIn(f"Portal Stars H1 2021 · awarded on {today}", text)
					self.fits(page, "badges", width)
		with self.signed_in(self.dee, "/my-badges") as page:
			page.set_viewport_size(WIDTHS["390"])
			page.goto(f"{self.base}/my-badges")
			self.assertIn("You have no badges yet. Badges are won in contests", page.inner_text(".ssp-empty"))
			link = page.locator(".ssp-badges-page a[href='/contests']")
			self.assertTrue(link.is_visible())
			self.assertTrue(page.evaluate(NO_OVERFLOW))
			os.makedirs(SHOTS, exist_ok=True)
			page.screenshot(path=f"{SHOTS}/badges-empty-390.png", full_page=True)
