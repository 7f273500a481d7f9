"""The contest portal pages: their context for real users, and a real render."""

import importlib
from datetime import datetime

import frappe
from frappe.website.serve import get_response

from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_badge, make_outsider, make_portal_user, page_context

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


class TestContestsOfAUser(IntegrationTestCase):
	"""/contests asks the database once for the contests a user may see: the audience in SQL agrees
	with is_participant, contest by contest, and is applied before the limit."""

	def setUp(self):
		from selfservice_portal.contests.test_contests import contact_audience, make_contest, nomination

		self.member, self.outsider = make_portal_user(first_name="Member"), make_outsider()
		rules = [nomination("N", "portal_tickets")]
		self.contests = {
			"customer": make_contest(rules),
			"contact": make_contest(rules, audience=contact_audience(self.member)),
			"everyone": make_contest(rules, audience_type="All Portal Users", audience=[]),
			"someone else": make_contest(rules, audience=contact_audience(make_portal_user(customer=None))),
			"draft": make_contest(rules),
		}
		for key, name in self.contests.items():
			if key != "draft":
				frappe.get_doc("SSP Contest", name).announce()

	def test_the_audience_in_sql_agrees_with_is_participant(self):
		from selfservice_portal.contests.audience import is_participant, visible_contest_names
		from selfservice_portal.contests.leaderboard import PUBLIC_STATUSES

		for user in (self.member, self.outsider):
			visible = set(visible_contest_names(user, PUBLIC_STATUSES, 10_000))
			for key, name in self.contests.items():
				expected = key != "draft" and is_participant(frappe.get_doc("SSP Contest", name), user)
				self.assertEqual(name in visible, expected, f"{key} for {user}")
		self.assertEqual(
			{
				key
				for key, name in self.contests.items()
				if name in visible_contest_names(self.member, PUBLIC_STATUSES, 10_000)
			},
			{"customer", "contact", "everyone"},
		)
		self.assertEqual(
			visible_contest_names(self.member, PUBLIC_STATUSES, 20, only=self.contests["contact"]),
			[self.contests["contact"]],
		)

	def test_an_older_contest_of_ones_own_is_not_crowded_out(self):
		from selfservice_portal.contests.leaderboard import page_entries

		frappe.db.set_value("SSP Contest", self.contests["contact"], "starts_on", datetime(2001, 1, 1))
		frappe.db.set_value("SSP Contest", self.contests["someone else"], "starts_on", datetime(2099, 1, 1))
		entries = page_entries(self.member, None, 1)
		self.assertEqual(len(entries), 1)
		self.assertNotEqual(entries[0]["doc"].name, self.contests["someone else"])
		shown = page_entries(self.member, self.contests["contact"], 20)
		self.assertEqual([entry["doc"].name for entry in shown], [self.contests["contact"]])
