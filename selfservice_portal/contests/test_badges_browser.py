"""Badges where agents and admins meet users, seen in a real browser: the Desk User form, the Desk
user profile page, and next to the ticket raiser in Helpdesk's agent ticket view (an HD Form Script)."""

import frappe

from selfservice_portal.tests.browser import BrowserTestCase, set_password
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_badge,
	make_portal_user,
	make_team,
	make_ticket,
)

BADGE_TEXT = "Most independent user · Gold, H2 2026"


class TestBadgesInABrowser(BrowserTestCase):
	@classmethod
	def make_fixtures(cls):
		cls.winner = make_portal_user(first_name="Starred")
		make_badge(cls.winner, "Gold")
		cls.agent = set_password(make_agent(first_name="Badge"))
		frappe.get_doc("User", cls.agent).add_roles("System Manager")  # to open the User form in Desk
		cls.ticket = make_ticket(cls.winner, subject="Badge raiser", team=make_team(agents=(cls.agent,)))

	def test_user_form_shows_the_badges(self):
		with self.signed_in(self.agent, f"/app/user/{self.winner}") as page:
			badge = page.wait_for_selector(".form-sidebar .ssp-user-badges .ssp-badge", timeout=30_000)
			self.assertIn(BADGE_TEXT, badge.inner_text())
			self.assertIn("star-gold.svg", badge.inner_html())

	def test_user_profile_page_shows_the_badges(self):
		with self.signed_in(self.agent, f"/app/user-profile/{self.winner}") as page:
			badge = page.wait_for_selector(".ssp-profile-badges .ssp-badge", timeout=30_000)
			self.assertIn(BADGE_TEXT, badge.inner_text())

	def test_agent_ticket_view_shows_the_raisers_badge(self):
		with self.signed_in(self.agent, f"/helpdesk/tickets/{self.ticket}") as page:
			button = page.wait_for_selector(f"button:has-text('{BADGE_TEXT}')", timeout=60_000)
			self.assertTrue(button.is_visible())
