"""What every contest test shares — contests, tickets and ratings made by hand, travelling to the end
of a contest — and who may run contests and see their results. The engine's tests live beside it by
subject: test_metrics, test_lifecycle, test_editions, test_judging, test_fair_play,
test_announcements, test_combined_nominations."""

from datetime import datetime, timedelta

import frappe

from selfservice_portal.api import contests as api
from selfservice_portal.contests import awards, judging, lifecycle
from selfservice_portal.contests.metrics import Context
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	TEST_CUSTOMER,
	make_agent,
	make_outsider,
	make_portal_user,
	make_ticket,
)

START = datetime(2025, 1, 1)
PRE_PERIOD = datetime(2024, 12, 10, 12)
END = datetime(2025, 6, 30, 23, 59, 59)
LONG_TEXT = "<p>The laptop does not start after the update this morning</p>"


def nomination(title: str, metric: str | None, **kw: object) -> dict:
	return {"nomination_title": title, "metric": metric, "places": 3, **kw}


def make_contest(nominations: list[dict], **kw: object) -> str:
	"""A draft starting tomorrow (so it can be announced)."""
	start = frappe.utils.add_days(frappe.utils.now_datetime(), 1)
	return (
		frappe.get_doc(
			{
				"doctype": "SSP Contest",
				"title": kw.pop("title", f"Contest {frappe.generate_hash(length=5)}"),
				"starts_on": start,
				"ends_on": frappe.utils.add_days(start, 30),
				"audience_type": "Selected Customers and Contacts",
				"audience": [{"audience_doctype": "HD Customer", "audience_name": TEST_CUSTOMER}],
				"burst_tickets": 0,
				"outlier_factor": 0,
				"nominations": nominations,
				**kw,
			}
		)
		.insert()
		.name
	)


def contact_audience(*users: str) -> list[dict]:
	"""An audience of these users' contacts."""
	return [
		{"audience_doctype": "Contact", "audience_name": frappe.db.get_value("Contact", {"user": user})}
		for user in users
	]


def travel_to_judging(name: str, start: datetime = START, end: datetime = END) -> None:
	"""Announce, then let time pass: the contest ran over [start, end] and has ended."""
	doc = frappe.get_doc("SSP Contest", name)
	doc.announce()
	frappe.db.set_value("SSP Contest", name, {"starts_on": start, "ends_on": end})
	lifecycle.advance_contests()
	lifecycle.advance_contests()
	assert frappe.db.get_value("SSP Contest", name, "status") == "Judging"


def ticket(
	user: str,
	when: datetime,
	channel: str = "Portal",
	text: str = LONG_TEXT,
	excluded: bool = False,
	rating: float = 0,
	subject: str = "Laptop problem",
	rated_on: datetime | None = None,
) -> str:
	name = make_ticket(
		user, subject=f"{subject} {frappe.generate_hash(length=4)}", channel=channel, description=text
	)
	frappe.db.set_value(
		"HD Ticket",
		name,
		{
			"creation": when,
			"modified": when,
			"via_customer_portal": int(channel == "Portal"),
			"ssp_exclude_from_contests": int(excluded),
			"ssp_exclusion_reason": "Spam" if excluded else None,
		},
		update_modified=False,
	)
	if rating:
		rate(name, rating, rated_on or when + timedelta(days=1))
	return name


def rate(ticket_name: str, rating: float, on: datetime) -> None:
	"""Rate as Helpdesk does (a save: the ticket's Version records the rating), then date it ``on``."""
	doc = frappe.get_doc("HD Ticket", ticket_name)
	doc.feedback_rating = rating
	doc.save(ignore_permissions=True, ignore_version=False)  # tests skip Versions unless asked
	version = frappe.get_all(
		"Version",
		{"ref_doctype": "HD Ticket", "docname": ticket_name},
		pluck="name",
		order_by="creation desc",
		limit=1,
	)[0]
	frappe.db.set_value("Version", version, "creation", on, update_modified=False)
	frappe.db.set_value("HD Ticket", ticket_name, "modified", on, update_modified=False)


def standings(contest: str, key: str) -> dict[str, dict]:
	return {
		standing.user: standing
		for standing in frappe.get_all(
			"SSP Contest Standing", filters={"contest": contest, "nomination_key": key}, fields=["*"]
		)
	}


def context() -> Context:
	contest = frappe._dict(
		audience_type="Selected Customers and Contacts",
		audience=[frappe._dict(audience_doctype="HD Customer", audience_name=TEST_CUSTOMER)],
		starts_on=START,
		ends_on=END,
		daily_ticket_cap=5,
		min_ticket_length=20,
	)
	return judging.context_for(contest)


class ContestCase(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")


class TestContestPermissions(ContestCase):
	def test_only_managers_run_contests_and_nobody_awards_themselves(self):
		name = make_contest([nomination("N", "portal_tickets")])
		user = make_portal_user()
		agent = make_agent()
		for who in (user, agent):
			frappe.set_user(who)
			for call in (
				lambda: api.announce_contest(name),
				lambda: api.judge_contest(name),
				lambda: api.award_contest(name),
				lambda: api.cancel_contest(name),
				lambda: api.draft_next_contest(name),
				lambda: api.preview_next_contest(name),
				lambda: api.revoke_badge("x", "y"),
				lambda: api.review_participant("x", "Cleared"),
			):
				with self.assertRaises(frappe.PermissionError):
					call()
			self.assertFalse(frappe.has_permission("SSP Badge Award", "create"))
			self.assertFalse(frappe.has_permission("SSP Contest", "create"))

	def test_participants_see_names_and_their_own_rank_not_others_breakdowns(self):
		a, b = make_portal_user(first_name="Lead"), make_portal_user(first_name="Chaser")
		for i in range(3):
			ticket(a, datetime(2023, 3, 1, 9) + timedelta(days=i))
		ticket(b, datetime(2023, 3, 1, 9))
		name = make_contest(
			[nomination("N", "portal_tickets")],
			audience=contact_audience(a, b),
		)
		travel_to_judging(name, datetime(2023, 1, 1), datetime(2023, 6, 30))
		judging.judge(name)
		key = frappe.get_doc("SSP Contest", name).nominations[0].nomination_key
		frappe.set_user(b)
		board = api.get_leaderboard(name)
		top = board["nominations"][0]["top"]
		self.assertEqual([t["rank"] for t in top], [1, 2])
		self.assertNotIn("@", " ".join(t["name"] for t in top))
		self.assertEqual(board["nominations"][0]["me"]["rank"], 2)
		self.assertEqual(len(api.get_breakdown(name, key)["records"]), 1)
		with self.assertRaises(frappe.PermissionError):
			api.get_breakdown(name, key, user=a)
		frappe.set_user(make_outsider())
		with self.assertRaises(frappe.PermissionError):
			api.get_leaderboard(name)

	def test_badges_are_visible_on_profiles(self):
		winner = make_portal_user(first_name="Star")
		for i in range(2):
			ticket(winner, datetime(2022, 8, 1, 9) + timedelta(days=i))
		name = make_contest(
			[nomination("Most independent user", "portal_tickets")],
			audience=[
				{
					"audience_doctype": "Contact",
					"audience_name": frappe.db.get_value("Contact", {"user": winner}),
				}
			],
		)
		travel_to_judging(name, datetime(2022, 7, 1), datetime(2022, 12, 31, 23, 59))
		judging.judge(name)
		awards.award_contest(name)
		frappe.set_user(make_agent())
		badges = api.get_user_badges(winner)
		self.assertEqual(
			[(b["nomination_title"], b["tier"], b["period_label"]) for b in badges],
			[("Most independent user", "Gold", "H2 2022")],
		)
