"""The contest portal pages: their context for real users, and a real render."""

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

import frappe
from frappe.website.serve import get_response

from selfservice_portal.api import contests as api
from selfservice_portal.contests.leaderboard import TOP
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	make_badge,
	make_outsider,
	make_portal_user,
	make_standing,
	page_context,
)

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

	def test_memberships_read_once_agree_with_is_participant(self):
		"""Pages that check many contests or polls read the user's contacts and customers once."""
		from selfservice_portal.contests.audience import is_member, is_participant, memberships_of

		for user in (self.member, self.outsider):
			memberships = memberships_of(user)
			for key, name in self.contests.items():
				contest = frappe.get_doc("SSP Contest", name)
				self.assertEqual(
					is_member(contest, user, memberships), is_participant(contest, user), f"{key} for {user}"
				)
		self.assertTrue(
			is_member(
				frappe.get_doc("SSP Contest", self.contests["contact"]),
				self.member,
				memberships_of(self.member),
			)
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


@contextmanager
def standing_rows_read() -> Iterator[list[int]]:
	"""The number of rows each query on SSP Contest Standing returns while the block runs."""
	reads: list[int] = []
	database = type(frappe.local.db)
	real_sql = database.sql

	def sql(db: object, query: object, *args: object, **kwargs: object) -> object:
		result = real_sql(db, query, *args, **kwargs)
		if "tabSSP Contest Standing" in str(query):
			reads.append(len(result))
		return result

	with patch.object(database, "sql", sql):
		yield reads


class TestLeaderboardOfALargeNomination(IntegrationTestCase):
	"""A nomination may have tens of thousands of participants: a leaderboard reads the rows it shows
	(the top, one's own line), never the whole nomination."""

	COUNT = 2 * TOP + 5  # the last two are not ranked

	@classmethod
	def setUpClass(cls):
		from selfservice_portal.contests.test_contests import make_contest, nomination

		super().setUpClass()
		cls.contest = make_contest([nomination("N", "portal_tickets")])
		doc = frappe.get_doc("SSP Contest", cls.contest)
		doc.announce()
		frappe.db.set_value("SSP Contest", cls.contest, "status", "Running")
		cls.key = doc.nominations[0].nomination_key
		# People for the names on the top and for the viewers; the rest need no account.
		viewers = (cls.COUNT - 2, cls.COUNT)
		cls.users = {
			place: make_portal_user(first_name=f"Rank{place:02d}")
			if place <= TOP or place in viewers
			else f"rank-{place}@ssp-test.example"
			for place in range(1, cls.COUNT + 1)
		}
		# Written from the bottom up: only the query's order puts the top first.
		for place in range(cls.COUNT, 0, -1):
			rank = place if place <= cls.COUNT - 2 else 0
			make_standing(cls.contest, cls.key, cls.users[place], rank, cls.COUNT - place)

	def tearDown(self):
		frappe.set_user("Administrator")

	def board(self, user: str) -> dict:
		frappe.set_user(user)
		return api.get_leaderboard(self.contest)["nominations"][0]

	def test_the_top_in_rank_order_and_ones_own_line_far_below_it(self):
		viewer = self.users[self.COUNT - 2]  # the last one ranked
		card = self.board(viewer)
		self.assertEqual(
			[(line["rank"], line["name"], line["is_me"]) for line in card["top"]],
			[(place, f"Rank{place:02d} User", False) for place in range(1, TOP + 1)],
		)
		self.assertEqual(
			card["me"], {"score": 2, "score_text": "2", "rank": self.COUNT - 2, "is_eligible": True}
		)
		self.assertEqual(card["me_text"], f"You are ranked {self.COUNT - 2} with 2.")
		self.assertEqual(card["note"], "")
		# One of the top finds themselves on it; one not ranked has their own line, unranked.
		self.assertEqual([line["is_me"] for line in self.board(self.users[3])["top"]].index(True), 2)
		unranked = self.board(self.users[self.COUNT])["me"]
		self.assertEqual((unranked["rank"], unranked["is_eligible"]), (0, False))

	def test_no_own_line_without_a_standing(self):
		newcomer = make_portal_user(first_name="Newcomer")
		for viewer in (newcomer, "Administrator"):
			card = self.board(viewer)
			self.assertIsNone(card["me"], viewer)
			self.assertEqual(len(card["top"]), TOP)
		self.assertEqual(
			self.board(newcomer)["me_text"],
			"You are not ranked in this nomination yet. Nothing of yours has counted so far.",
		)

	def test_the_rows_read_do_not_grow_with_the_participants(self):
		viewer = self.users[self.COUNT - 2]
		with standing_rows_read() as before:
			card = self.board(viewer)
		frappe.db.savepoint("more_participants")
		# As many again, ranked below everyone.
		for place in range(self.COUNT + 1, 2 * self.COUNT + 1):
			make_standing(self.contest, self.key, f"rank-{place}@ssp-test.example", place, 0)
		with standing_rows_read() as after:
			self.assertEqual(self.board(viewer), card)
		frappe.db.rollback(save_point="more_participants")
		self.assertEqual(after, before)
		self.assertLessEqual(max(before), TOP)
