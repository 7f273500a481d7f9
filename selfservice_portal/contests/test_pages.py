"""The contest portal pages: their context for real users, and a real render."""

import importlib

import frappe
from frappe.website.serve import get_response

from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_badge, make_portal_user, page_context

# Frappe runs a www page's module with the hyphens of its name turned into underscores.
from selfservice_portal.www import my_badges as badges_page

contests_page = importlib.import_module("selfservice_portal.www.contests")


class TestContestPages(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_guests_are_sent_to_login(self):
		for page in (badges_page, contests_page):
			with self.assertRaises(frappe.Redirect):
				page_context(page, "Guest")
			self.assertTrue(frappe.local.flags.redirect_location.startswith("/login"))

	def test_badge_card_of_another_user_shows_their_stars_and_name(self):
		user = make_portal_user(first_name="Shiny")
		make_badge(user)
		context = page_context(badges_page, make_portal_user(), user=user)
		self.assertFalse(context.is_me)
		self.assertEqual(context.profile_name, "Shiny User")
		self.assertEqual(
			[(b.nomination_title, b.tier, b.period_label) for b in context.badges],
			[("Most independent user", "Gold", "H2 2026")],
		)
		# An unknown address reads like a user without badges (no oracle of who has an account).
		unknown = page_context(badges_page, user, user="nobody@nowhere.example")
		self.assertEqual((unknown.badges, unknown.profile_name), ([], ""))

	def test_pages_render(self):
		user = make_portal_user(first_name="Viewer")
		make_badge(user, "Silver")
		frappe.db.commit()  # nosemgrep: the renderer reads through a fresh cache
		frappe.set_user(user)
		pages = {}
		for path, needle in (("my-badges", "ssp-badges-page"), ("contests", "ssp-contests")):
			frappe.local.form_dict = frappe._dict()
			response = get_response(path)
			pages[path] = response.get_data(as_text=True)
			self.assertEqual(response.status_code, 200, pages[path][-1500:])
			self.assertIn(needle, pages[path])
		# The page's module ran: the badge made above is on the card.
		self.assertIn("Most independent user", pages["my-badges"])
		self.assertIn("star-silver.svg", pages["my-badges"])
