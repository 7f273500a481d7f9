"""The contest engine on a real site: lifecycle, metrics on hand-built data, fair play, ties,
exactly-once awards (also concurrently), revocation, badges and permissions."""

import json
import threading
from datetime import datetime, timedelta

import frappe
from frappe.translate import print_language

from selfservice_portal.api import contests as api
from selfservice_portal.contests import awards, judging, leaderboard, lifecycle
from selfservice_portal.contests.metrics import Context, get_metrics
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	TEST_CUSTOMER,
	make_agent,
	make_article,
	make_contest_manager,
	make_outgoing_email_account,
	make_outsider,
	make_portal_user,
	make_ticket,
)

START = datetime(2025, 1, 1)
PRE_PERIOD = datetime(2024, 12, 10, 12)
END = datetime(2025, 6, 30, 23, 59, 59)
LONG_TEXT = "<p>The laptop does not start after the update this morning</p>"


def nomination(title, metric, **kw):
	return {"nomination_title": title, "metric": metric, "places": 3, **kw}


def make_contest(nominations, **kw) -> str:
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


def contact_audience(*users) -> list[dict]:
	"""An audience of these users' contacts."""
	return [
		{"audience_doctype": "Contact", "audience_name": frappe.db.get_value("Contact", {"user": u})}
		for u in users
	]


def travel_to_judging(name: str, start=START, end=END) -> None:
	"""Announce, then let time pass: the contest ran over [start, end] and has ended."""
	doc = frappe.get_doc("SSP Contest", name)
	lifecycle.announce(doc)
	frappe.db.set_value("SSP Contest", name, {"starts_on": start, "ends_on": end})
	lifecycle.advance_contests()
	lifecycle.advance_contests()
	assert frappe.db.get_value("SSP Contest", name, "status") == "Judging"


def ticket(
	user,
	when,
	channel="Portal",
	text=LONG_TEXT,
	excluded=False,
	rating=0,
	subject="Laptop problem",
	rated_on=None,
):
	name = make_ticket(user, subject=f"{subject} {frappe.generate_hash(length=4)}", channel=channel)
	frappe.db.set_value(
		"HD Ticket",
		name,
		{
			"creation": when,
			"modified": when,
			"description": text,
			"via_customer_portal": int(channel == "Portal"),
			"ssp_exclude_from_contests": int(excluded),
			"ssp_exclusion_reason": "Spam" if excluded else None,
		},
		update_modified=False,
	)
	if rating:
		rate(name, rating, rated_on or when + timedelta(days=1))
	return name


def rate(ticket_name, rating, on):
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


def standings(contest, key):
	return {
		r.user: r
		for r in frappe.get_all(
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


class TestMetrics(ContestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.db.delete("HD Ticket", {"creation": ("between", [START, END])})
		cls.a, cls.b, cls.c = (make_portal_user(first_name=n) for n in ("Ann", "Bob", "Cat"))
		day = datetime(2025, 2, 10, 9)
		# Ann: 3 valid portal tickets (2 rated), 1 e-mail, 1 trivial, 1 excluded by an agent
		for i, rating in enumerate((0.8, 0.6, 0)):
			ticket(cls.a, day + timedelta(days=i), rating=rating)
		ticket(cls.a, day + timedelta(days=4), channel="Email")
		ticket(cls.a, day + timedelta(days=5), text="<p>hi</p>", subject="x")
		ticket(cls.a, day + timedelta(days=6), excluded=True, rating=0.4)  # a rating that does not count
		# Bob: 6 portal tickets in one day: the daily cap of 5 keeps 5 (the 6th one's rating does not count)
		for i in range(6):
			ticket(cls.b, day + timedelta(hours=i), rating=0.2 if i == 5 else 0)
		# Cat: 2 e-mail tickets; she rates the first one after the contest
		for i in range(2):
			ticket(
				cls.c,
				day + timedelta(days=i),
				channel="Email",
				rating=0.6 if i == 0 else 0,
				rated_on=datetime(2025, 7, 15),
			)
		# ... and rates a ticket of before the contest during it (counts), another one before it (does
		# not count, though an agent edited that ticket during the contest)
		ticket(cls.c, datetime(2024, 12, 20, 9), channel="Email", rating=1.0, rated_on=datetime(2025, 1, 5))
		edited = ticket(
			cls.c, datetime(2024, 12, 21, 9), channel="Email", rating=1.0, rated_on=datetime(2024, 12, 28)
		)
		frappe.db.set_value("HD Ticket", edited, "modified", datetime(2025, 3, 1), update_modified=False)
		article = make_article()
		for user, vote in ((cls.a, "1"), (cls.b, "2")):
			fb = frappe.get_doc(
				{"doctype": "HD Article Feedback", "user": user, "article": article, "feedback": vote}
			).insert(ignore_permissions=True)
			frappe.db.set_value("HD Article Feedback", fb.name, "creation", day, update_modified=False)
		# Helpful votes just before the contest period (the deflection test widens the period):
		# Cat's stands; Bob's is followed by a ticket within the window, so it is no deflection.
		for user in (cls.c, cls.b):
			ev = frappe.get_doc(
				{
					"doctype": "SSP Portal Event",
					"event_type": "Article Helpful",
					"user": user,
					"hd_article": article,
					"name": frappe.generate_hash(length=12),
				}
			)
			ev.db_insert()
			frappe.db.set_value("SSP Portal Event", ev.name, "creation", PRE_PERIOD, update_modified=False)
		ticket(cls.b, PRE_PERIOD + timedelta(days=1), channel="Email")

	def scores(self, key, ctx=None):
		return {s.user: s for s in get_metrics()[key].scores(ctx or context())}

	def test_portal_tickets_apply_every_fair_play_rule(self):
		s = self.scores("portal_tickets")
		self.assertEqual((s[self.a].score, s[self.b].score, s[self.c].score), (3, 5, 0))
		self.assertEqual(
			s[self.a].not_counted,
			{"excluded by an agent": 1, "trivial content": 1, "not through the portal": 1},
		)
		self.assertEqual(s[self.b].not_counted, {"over the daily cap": 1})

	def test_independence_is_the_portal_share_of_valid_tickets(self):
		s = self.scores("independence")
		self.assertEqual((s[self.a].score, s[self.b].score, s[self.c].score), (0.75, 1.0, 0.0))
		self.assertEqual((s[self.a].base, s[self.b].base, s[self.c].base), (4, 5, 2))

	def test_ratings_and_votes(self):
		self.assertEqual(self.scores("tickets_rated")[self.a].score, 2)
		self.assertEqual(self.scores("ratings_given")[self.a].score, 3)  # 2 rated tickets + 1 article vote
		self.assertEqual(self.scores("ratings_given")[self.b].score, 1)  # the "did not help" vote
		self.assertEqual(self.scores("ratings_given")[self.a].not_counted, {"excluded by an agent": 1})
		self.assertEqual(self.scores("ratings_given")[self.b].not_counted, {"over the daily cap": 1})
		self.assertEqual(self.scores("ratings_given")[self.c].score, 1)  # dated by when it was given
		helpful = self.scores("helpful_votes")
		self.assertEqual(helpful[self.a].score, 1)
		self.assertNotIn(self.b, helpful)

	def test_confirmed_deflections_need_no_ticket_afterwards(self):
		ctx = context()
		ctx.start = datetime(2024, 12, 1)
		s = self.scores("confirmed_deflections", ctx)
		self.assertEqual(s[self.c].score, 1)
		self.assertEqual((s[self.b].score, s[self.b].not_counted), (0, {"a ticket followed": 1}))

	def test_catalog_requests_skip_rejected_and_excluded_once(self):
		spam = [ticket(self.c, datetime(2023, 1, 2, 9 + i), excluded=True) for i in range(2)]  # off-period
		for user, status, hd_ticket in (
			(self.a, "Submitted", None),
			(self.a, "Submitted", spam[0]),
			(self.b, "Rejected", None),
			(self.c, "Rejected", spam[1]),  # rejected and excluded: one request lost, not two
			(self.c, "Cancelled", None),  # withdrawn while waiting for approval
		):
			request = frappe.get_doc(
				{
					"doctype": "SSP Request",
					"service": "x",
					"requester": user,
					"status": status,
					"hd_ticket": hd_ticket,
					"name": frappe.generate_hash(length=10),
				}
			)
			request.db_insert()
			frappe.db.set_value(
				"SSP Request", request.name, "creation", datetime(2025, 3, 1), update_modified=False
			)
		s = self.scores("catalog_requests")
		self.assertEqual((s[self.a].score, s[self.b].score, s[self.c].score), (1, 0, 0))
		self.assertEqual(s[self.a].not_counted, {"excluded by an agent": 1})
		self.assertEqual(s[self.b].not_counted, {"request rejected": 1})
		self.assertEqual(s[self.c].not_counted, {"request rejected": 1, "request withdrawn": 1})
		self.assertEqual((s[self.a].base, s[self.c].base), (2, 2))

	def test_every_metric_lists_exactly_the_records_it_counts(self):
		"""A breakdown and its score read the same conditions: per participant, the counted records are
		the score's count and the other records' reasons are its losses."""
		from collections import Counter

		ctx = context()
		ctx.start = datetime(2024, 12, 1)  # the deflection data lies just before the contest period
		for key, metric in get_metrics().items():
			scores = {s.user: s for s in metric.scores(ctx)}
			for user in (self.a, self.b, self.c):
				records = metric.records(ctx, user)
				counted = sum(1 for r in records if r["counted"])
				lost = dict(Counter(r["reason"] for r in records if not r["counted"]))
				score = scores.get(user)
				self.assertEqual(counted, score.counted if score else 0, f"{key} {user}")
				self.assertEqual(lost, score.not_counted if score else {}, f"{key} {user}")
				if score and key != "independence":  # a share, not a count
					self.assertEqual(counted, score.score, f"{key} {user}")

	def test_breakdown_lists_each_record_and_why(self):
		records = get_metrics()["portal_tickets"].records(context(), self.a)
		reasons = sorted(r["reason"] or "counted" for r in records)
		self.assertEqual(
			reasons,
			[
				"counted",
				"counted",
				"counted",
				"excluded by an agent",
				"not through the portal",
				"trivial content",
			],
		)

	def test_outsiders_are_not_in_the_audience(self):
		outsider = make_outsider()
		ticket(outsider, datetime(2025, 3, 3))
		self.assertNotIn(outsider, self.scores("portal_tickets"))


class TestLifecycle(ContestCase):
	def test_new_contests_are_drafts_and_status_moves_only_by_actions(self):
		name = make_contest([nomination("Most independent user", "independence", eligibility_floor=5)])
		doc = frappe.get_doc("SSP Contest", name)
		self.assertEqual(doc.status, "Draft")
		doc.status = "Awarded"
		with self.assertRaises(frappe.ValidationError):
			doc.save()

	def test_unknown_metrics_are_refused(self):
		with self.assertRaises(frappe.ValidationError) as ctx:
			make_contest([nomination("Bad", "lines_of_code")])
		self.assertIn("unknown metric", str(ctx.exception))

	def test_announced_rules_are_frozen_and_the_end_only_extends(self):
		name = make_contest([nomination("Most tickets", "portal_tickets")])
		lifecycle.announce(frappe.get_doc("SSP Contest", name))
		for change in (
			lambda d: setattr(d.nominations[0], "metric", "ratings_given"),
			lambda d: setattr(d.nominations[0], "eligibility_floor", 10),
			lambda d: d.append("nominations", nomination("Extra", "helpful_votes")),
			lambda d: setattr(d, "starts_on", frappe.utils.add_days(d.starts_on, 1)),
			lambda d: setattr(d, "daily_ticket_cap", 50),
			lambda d: setattr(d, "ends_on", frappe.utils.add_days(d.ends_on, -1)),
		):
			doc = frappe.get_doc("SSP Contest", name)
			change(doc)
			with self.assertRaises(frappe.ValidationError):
				doc.save()
		doc = frappe.get_doc("SSP Contest", name)
		doc.ends_on = frappe.utils.add_days(doc.ends_on, 7)
		doc.description = "Now with a longer run"
		doc.save()
		frappe.db.set_value(
			"SSP Contest", name, {"starts_on": datetime(2024, 12, 1), "ends_on": datetime(2025, 1, 1)}
		)
		doc = frappe.get_doc("SSP Contest", name)
		doc.ends_on = datetime(2025, 2, 1)
		with self.assertRaises(frappe.ValidationError) as ctx:
			doc.save()
		self.assertIn("can no longer change", str(ctx.exception))

	def test_announce_needs_nominations_and_a_future_start(self):
		empty = make_contest([])
		with self.assertRaises(frappe.ValidationError):
			lifecycle.announce(frappe.get_doc("SSP Contest", empty))
		late = make_contest([nomination("N", "portal_tickets")])
		frappe.db.set_value("SSP Contest", late, "starts_on", datetime(2025, 1, 1))
		with self.assertRaises(frappe.ValidationError):
			lifecycle.announce(frappe.get_doc("SSP Contest", late))

	def test_every_transition(self):
		name = make_contest([nomination("N", "portal_tickets")])
		doc = frappe.get_doc("SSP Contest", name)
		with self.assertRaises(frappe.ValidationError):
			lifecycle.transition(doc, "Judging")  # Draft cannot skip ahead
		travel_to_judging(name)
		doc = frappe.get_doc("SSP Contest", name)
		with self.assertRaises(frappe.ValidationError):
			lifecycle.cancel(doc)  # a finished contest is judged, not cancelled
		judging.judge(name)
		awards.award_contest(name)
		self.assertEqual(frappe.db.get_value("SSP Contest", name, "status"), "Awarded")
		cancelled = make_contest([nomination("N", "portal_tickets")])
		lifecycle.announce(frappe.get_doc("SSP Contest", cancelled))
		lifecycle.cancel(frappe.get_doc("SSP Contest", cancelled))
		self.assertEqual(frappe.db.get_value("SSP Contest", cancelled, "status"), "Cancelled")

	def test_next_edition_is_drafted_from_the_last(self):
		name = make_contest(
			[
				nomination(
					"Most independent user", "independence", eligibility_floor=5, tie_rule="Shared Place"
				)
			]
		)
		new = frappe.get_doc("SSP Contest", lifecycle.draft_next(frappe.get_doc("SSP Contest", name)))
		old = frappe.get_doc("SSP Contest", name)
		self.assertEqual((new.status, new.previous_contest), ("Draft", name))
		self.assertEqual(new.starts_on, old.ends_on)
		self.assertEqual(new.ends_on - new.starts_on, old.ends_on - old.starts_on)
		self.assertEqual(
			[(n.metric, n.eligibility_floor, n.tie_rule) for n in new.nominations],
			[("independence", 5, "Shared Place")],
		)


class TestJudgingAndAwards(ContestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.db.delete("HD Ticket", {"creation": ("between", [datetime(2024, 1, 1), datetime(2024, 7, 1)])})
		cls.start, cls.end = datetime(2024, 1, 1), datetime(2024, 6, 30, 23, 59)
		cls.users = {
			n: make_portal_user(first_name=n) for n in ("Gold", "Silver", "Bronze", "Fourth", "Spammer")
		}
		base = datetime(2024, 3, 4, 9)
		for n, count in (("Gold", 6), ("Silver", 5), ("Bronze", 4), ("Fourth", 3)):
			for i in range(count):
				ticket(cls.users[n], base + timedelta(days=i))
		# the spammer files 9 tickets in minutes, 3 days running: 5 a day count, and it is a burst
		for d in range(3):
			for i in range(9):
				ticket(cls.users["Spammer"], base + timedelta(days=d, minutes=i))

	def contest(self, **kw):
		name = make_contest(
			[nomination("Most requests through the portal", "portal_tickets", **kw)],
			burst_tickets=4,
			burst_minutes=10,
		)
		travel_to_judging(name, self.start, self.end)
		judging.judge(name)
		key = frappe.get_doc("SSP Contest", name).nominations[0].nomination_key
		return name, key

	def test_cheater_is_flagged_and_blocks_awarding_until_reviewed(self):
		name, key = self.contest()
		s = standings(name, key)
		spam = s[self.users["Spammer"]]
		self.assertEqual((spam.score, spam.rank, spam.is_flagged, spam.review_status), (15, 1, 1, "Pending"))
		self.assertIn("burst", spam.flag_reasons)
		with self.assertRaises(frappe.ValidationError) as ctx:
			awards.award_contest(name)
		self.assertIn(self.users["Spammer"], str(ctx.exception))
		with self.assertRaises(frappe.ValidationError):
			awards.review_standing(spam.name, "Disqualified", "", "Administrator")  # a reason is required
		awards.review_standing(spam.name, "Disqualified", "Meaningless tickets", "Administrator")
		s = standings(name, key)
		self.assertEqual(
			[s[self.users[n]].place for n in ("Gold", "Silver", "Bronze", "Fourth")], [1, 2, 3, 0]
		)
		self.assertEqual(s[self.users["Spammer"]].place, 0)
		self.assertTrue(
			frappe.db.exists("Version", {"ref_doctype": "SSP Contest Standing", "docname": spam.name})
		)
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{
					"reference_doctype": "SSP Contest",
					"reference_name": name,
					"content": ("like", "%Meaningless tickets%"),
				},
			)
		)
		result = awards.award_contest(name)
		self.assertEqual(result["created"], 3)
		badges = {
			b.user: b
			for b in frappe.get_all(
				"SSP Badge Award", {"contest": name}, ["user", "tier", "place", "period_label"]
			)
		}
		self.assertEqual(
			{badges[self.users[n]].tier for n in ("Gold", "Silver", "Bronze")}, {"Gold", "Silver", "Bronze"}
		)
		self.assertEqual(badges[self.users["Gold"]].period_label, "H1 2024")
		self.assertNotIn(self.users["Spammer"], badges)

	def test_reviews_survive_rejudging_and_cleared_cheaters_can_win(self):
		name, key = self.contest()
		spam = standings(name, key)[self.users["Spammer"]]
		awards.review_standing(spam.name, "Cleared", "Checked: real requests", "Administrator")
		judging.judge(name)
		spam = standings(name, key)[self.users["Spammer"]]
		self.assertEqual((spam.review_status, spam.place), ("Cleared", 1))

	def test_award_runs_exactly_once_even_twice(self):
		name, key = self.contest()
		awards.review_standing(
			standings(name, key)[self.users["Spammer"]].name, "Disqualified", "Spam", "Administrator"
		)
		first = awards.award_contest(name)
		second = awards.award_contest(name)
		self.assertEqual((first["created"], second["created"]), (3, 0))
		self.assertEqual(frappe.db.count("SSP Badge Award", {"contest": name}), 3)

	def test_two_concurrent_award_runs_write_one_set(self):
		name, key = self.contest()
		awards.review_standing(
			standings(name, key)[self.users["Spammer"]].name, "Disqualified", "Spam", "Administrator"
		)
		frappe.db.commit()  # nosemgrep: the two award runs use their own connections
		site, results, barrier = frappe.local.site, [], threading.Barrier(2)

		def run():
			frappe.init(site=site)
			frappe.connect()
			try:
				barrier.wait()
				results.append(awards.award_contest(name)["created"])
				frappe.db.commit()  # nosemgrep: a separate connection in a test thread
			except Exception as e:
				results.append(e)
				frappe.db.rollback()
			finally:
				frappe.destroy()

		threads = [threading.Thread(target=run) for _ in range(2)]
		for t in threads:
			t.start()
		for t in threads:
			t.join()
		self.assertEqual(sorted(r for r in results if isinstance(r, int)), [0, 3], results)
		self.assertEqual(frappe.db.count("SSP Badge Award", {"contest": name}), 3)

	def test_revocation_keeps_the_history(self):
		name, key = self.contest()
		awards.review_standing(
			standings(name, key)[self.users["Spammer"]].name, "Disqualified", "Spam", "Administrator"
		)
		awards.award_contest(name)
		badge = frappe.get_value("SSP Badge Award", {"contest": name, "user": self.users["Gold"]})
		with self.assertRaises(frappe.ValidationError):
			awards.revoke_award(badge, "", "Administrator")
		awards.revoke_award(badge, "Tickets were duplicates", "Administrator")
		with self.assertRaises(frappe.ValidationError):
			awards.revoke_award(badge, "again", "Administrator")
		self.assertEqual(frappe.db.get_value("SSP Badge Award", badge, "status"), "Revoked")
		self.assertNotIn(name, [b.contest for b in awards.badges_for(self.users["Gold"])])
		self.assertIn(name, [b.contest for b in awards.badges_for(self.users["Gold"], include_revoked=True)])
		self.assertEqual(awards.award_contest(name)["created"], 0)  # revoked stays revoked

	def test_contest_impact_compares_before_during_and_after(self):
		from selfservice_portal.contests.report.ssp_contest_impact.ssp_contest_impact import execute

		name, _ = self.contest()
		rows = {r["phase"]: r for r in execute({"contest": name})[1]}
		self.assertGreaterEqual(rows["During"]["requests"], 45)  # 6 + 5 + 4 + 3 + 27 spam, all via the portal
		self.assertEqual(rows["During"]["portal_share"], 100.0)
		self.assertEqual((rows["Before"]["requests"], rows["After"]["requests"]), (0, 0))

	def test_ties_earlier_achiever_or_shared(self):
		tie_a, tie_b = make_portal_user(first_name="TieA"), make_portal_user(first_name="TieB")
		for i in range(2):
			ticket(tie_a, datetime(2024, 5, 1, 9) + timedelta(days=i))
			ticket(tie_b, datetime(2024, 5, 10, 9) + timedelta(days=i))
		for rule, expected in (("Earlier Achiever Wins", (1, 2)), ("Shared Place", (1, 1))):
			name = make_contest(
				[nomination("Two-timers", "portal_tickets", tie_rule=rule)],
				audience=[
					{
						"audience_doctype": "Contact",
						"audience_name": frappe.db.get_value("Contact", {"user": u}),
					}
					for u in (tie_a, tie_b)
				],
			)
			travel_to_judging(name, self.start, self.end)
			judging.judge(name)
			key = frappe.get_doc("SSP Contest", name).nominations[0].nomination_key
			s = standings(name, key)
			self.assertEqual((s[tie_a].place, s[tie_b].place), expected, rule)


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


class TestAnnouncementMail(ContestCase):
	"""Its own class: the default outgoing mailbox it adds must not leak into other tests."""

	def tearDown(self):
		super().tearDown()
		if hasattr(frappe.local, "outgoing_email_account"):  # Frappe's per-process account cache
			del frappe.local.outgoing_email_account

	def test_announcing_notifies_and_mails_the_audience(self):
		make_outgoing_email_account()
		member = make_portal_user(first_name="Reader")
		name = make_contest([nomination("Most requests through the portal", "portal_tickets")])
		api.announce_contest(name)
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{"for_user": member, "document_type": "SSP Contest", "document_name": name},
			)
		)
		queued = frappe.get_all(
			"Email Queue", {"reference_doctype": "SSP Contest", "reference_name": name}, pluck="name"
		)  # one entry, or one per recipient when the audience is over 100
		self.assertTrue(
			frappe.db.exists("Email Queue Recipient", {"parent": ("in", queued), "recipient": member})
		)


class TestAnnouncementLanguages(ContestCase):
	def test_each_member_reads_the_announcement_in_their_own_language(self):
		"""Announced from an English session, to an Arabic reader and a Russian reader."""
		readers = {"ar": make_portal_user(first_name="Qari"), "ru": make_portal_user(first_name="Chitatel")}
		for lang, user in readers.items():
			frappe.db.set_value("User", user, "language", lang)
		name = make_contest([nomination("Most requests through the portal", "portal_tickets")])
		api.announce_contest(name)
		contest = frappe.get_doc("SSP Contest", name)
		english = leaderboard.announcement(contest)[0]
		for lang, user in readers.items():
			with self.subTest(lang=lang):
				with print_language(lang):
					expected = leaderboard.announcement(contest)[0]
				self.assertNotEqual(expected, english, f"no {lang} translation compiled (bench build)")
				subject = frappe.db.get_value(
					"Notification Log", {"for_user": user, "document_name": name}, "subject"
				)
				self.assertEqual(subject, expected)


class TestFrozenRulesAgainstDeletion(ContestCase):
	"""Deleting rows one by one (frappe.client.delete) or the whole contest, as a real SSP Manager."""

	def setUp(self):
		self.manager = make_contest_manager()
		frappe.set_user(self.manager)

	def announced(self) -> str:
		name = make_contest([nomination("Most requests through the portal", "portal_tickets")])
		api.announce_contest(name)
		return name

	def test_rule_rows_of_an_announced_contest_cannot_be_deleted(self):
		"""REST v1 (DELETE /api/resource/<child doctype>/<row>) deletes the row itself, never saving the
		contest; frappe.client.delete saves the contest without the row."""
		import frappe.client
		from frappe.api.v1 import delete_doc as rest_delete

		doc = frappe.get_doc("SSP Contest", self.announced())
		for doctype, row in (
			("SSP Contest Nomination", doc.nominations[0].name),
			("SSP Contest Audience", doc.audience[0].name),
		):
			for delete in (rest_delete, frappe.client.delete):
				with self.assertRaises(frappe.ValidationError) as ctx:
					delete(doctype, row)
				self.assertIn("can no longer change", str(ctx.exception))
				self.assertTrue(frappe.db.exists(doctype, row))

	def test_rule_rows_of_a_draft_can_be_deleted(self):
		from frappe.api.v1 import delete_doc as rest_delete

		doc = frappe.get_doc("SSP Contest", make_contest([nomination("N", "portal_tickets")]))
		rest_delete("SSP Contest Nomination", doc.nominations[0].name)
		self.assertFalse(frappe.db.exists("SSP Contest Nomination", doc.nominations[0].name))

	def test_only_draft_or_cancelled_contests_can_be_deleted(self):
		import frappe.client

		announced = self.announced()
		running = self.announced()
		frappe.set_user("Administrator")
		frappe.db.set_value("SSP Contest", running, "starts_on", datetime(2025, 1, 1))
		lifecycle.advance_contests()
		self.assertEqual(frappe.db.get_value("SSP Contest", running, "status"), "Running")
		ticket(make_portal_user(), datetime(2025, 3, 1, 9))
		judging.judge(running)  # interim standings of a running contest
		self.assertTrue(frappe.db.exists("SSP Contest Standing", {"contest": running}))
		frappe.set_user(self.manager)
		for name in (announced, running):
			with self.assertRaises(frappe.ValidationError):
				frappe.client.delete("SSP Contest", name)
			self.assertTrue(frappe.db.exists("SSP Contest", name))
		api.cancel_contest(running)
		frappe.client.delete("SSP Contest", running)
		self.assertFalse(frappe.db.exists("SSP Contest", running))
		self.assertFalse(frappe.db.exists("SSP Contest Standing", {"contest": running}))
		draft = make_contest([nomination("N", "portal_tickets")])
		frappe.client.delete("SSP Contest", draft)
		self.assertFalse(frappe.db.exists("SSP Contest", draft))

	def test_nomination_keys_are_frozen(self):
		doc = frappe.get_doc("SSP Contest", self.announced())
		doc.nominations[0].nomination_key = "renamed"
		with self.assertRaises(frappe.ValidationError):
			doc.save()


class TestInterimStandings(ContestCase):
	"""During the contest the leaderboard shows hourly interim standings; awarding needs final ones."""

	def running_contest(self):
		lead, chaser = make_portal_user(first_name="Early"), make_portal_user(first_name="Late")
		for i in range(2):
			ticket(lead, datetime(2025, 3, 1, 9) + timedelta(days=i))
		ticket(chaser, datetime(2025, 3, 1, 9))
		name = make_contest(
			[nomination("Most requests through the portal", "portal_tickets")],
			audience=contact_audience(lead, chaser),
		)
		lifecycle.announce(frappe.get_doc("SSP Contest", name))
		frappe.db.set_value("SSP Contest", name, "starts_on", datetime(2025, 1, 1))
		lifecycle.advance_contests()
		self.assertEqual(frappe.db.get_value("SSP Contest", name, "status"), "Running")
		return name, lead, chaser

	def test_running_contests_get_a_live_leaderboard_but_stay_running(self):
		name, _lead, chaser = self.running_contest()
		judging.refresh_running_standings()
		self.assertEqual(frappe.db.get_value("SSP Contest", name, ["status", "judged_on"]), ("Running", None))
		frappe.set_user(chaser)
		board = api.get_leaderboard(name)["nominations"][0]
		self.assertEqual([(t["rank"], t["score"]) for t in board["top"]], [(1, 2), (2, 1)])
		self.assertEqual(board["me"]["rank"], 2)
		frappe.set_user("Administrator")
		with self.assertRaises(frappe.ValidationError):
			api.judge_contest(name)  # the manager's judging waits for the end

	def test_interim_standings_are_not_final(self):
		name, lead, _ = self.running_contest()
		judging.judge(name)
		frappe.db.set_value("SSP Contest", name, "ends_on", datetime(2025, 6, 30))
		lifecycle.advance_contests()  # closes it (and queues the final judging)
		self.assertEqual(frappe.db.get_value("SSP Contest", name, "status"), "Judging")
		with self.assertRaises(frappe.ValidationError) as ctx:
			awards.award_contest(name)
		self.assertIn("Judge the contest", str(ctx.exception))
		judging.judge(name)
		self.assertTrue(frappe.db.get_value("SSP Contest", name, "judged_on"))
		awards.award_contest(name)
		self.assertEqual(frappe.db.get_value("SSP Badge Award", {"contest": name, "place": 1}, "user"), lead)

	def test_an_interim_run_never_overwrites_a_contest_closed_meanwhile(self):
		name, _, _ = self.running_contest()
		interim = frappe.get_doc("SSP Contest", name)  # what a run that started while running computes for
		self.assertTrue(judging.status_unchanged(interim))
		frappe.db.set_value("SSP Contest", name, "status", "Judging")
		self.assertFalse(judging.status_unchanged(interim))


class TestNobodyJudgesThemselves(ContestCase):
	def test_managers_neither_review_their_own_standing_nor_award_a_contest_they_win(self):
		player, referee = make_contest_manager("Playing"), make_contest_manager("Referee")
		rival = make_portal_user(first_name="Rival")
		for i in range(9):  # a burst: flagged for review
			ticket(player, datetime(2021, 3, 1, 9) + timedelta(minutes=i))
		ticket(rival, datetime(2021, 3, 2, 9))
		name = make_contest(
			[nomination("Most requests through the portal", "portal_tickets")],
			audience=contact_audience(player, rival),
			burst_tickets=4,
			burst_minutes=10,
			energy_points_gold=10,
			energy_points_silver=5,
		)
		travel_to_judging(name, datetime(2021, 1, 1), datetime(2021, 6, 30, 23, 59, 59))
		judging.judge(name)
		key = frappe.get_doc("SSP Contest", name).nominations[0].nomination_key
		mine = standings(name, key)[player]
		self.assertEqual((mine.place, mine.review_status), (1, "Pending"))

		frappe.set_user(player)
		with self.assertRaises(frappe.PermissionError) as ctx:
			api.review_participant(mine.name, "Cleared", "All genuine")
		self.assertIn("another manager", str(ctx.exception))
		frappe.set_user(referee)
		api.review_participant(mine.name, "Cleared", "Checked: genuine requests")

		frappe.db.set_single_value("Energy Point Settings", "enabled", 1)
		frappe.set_user(player)
		with self.assertRaises(frappe.PermissionError) as ctx:
			api.award_contest(name)
		self.assertIn("another manager must award", str(ctx.exception))
		self.assertFalse(frappe.db.exists("SSP Badge Award", {"contest": name}))

		frappe.set_user(referee)
		self.assertEqual(api.award_contest(name)["created"], 2)
		points = frappe.get_all(
			"Energy Point Log",
			{"reference_doctype": "SSP Badge Award", "user": ("in", [player, rival])},
			["user", "points", "type", "owner"],
		)
		self.assertEqual(
			sorted((p.user, p.points, p.type, p.owner) for p in points),
			sorted([(player, 10, "Appreciation", referee), (rival, 5, "Appreciation", referee)]),
		)


class TestPeerOutliers(ContestCase):
	def test_the_top_scorer_of_a_small_field_is_measured_against_the_others(self):
		"""9 participants with 5 catalog requests and one with 1000: the 95th percentile of the *others*
		is 5, so 1000 is far above it (with the own score in, the top scorer raised its own bar)."""
		users = [make_portal_user(first_name=f"Peer{i}") for i in range(9)]
		whale = make_portal_user(first_name="Whale")
		when = datetime(2020, 3, 2, 9)
		rows = [
			(frappe.generate_hash(length=12), user, "x", "Submitted", when, when, "Administrator")
			for user, count in [*((u, 5) for u in users), (whale, 1000)]
			for _ in range(count)
		]
		frappe.db.bulk_insert(
			"SSP Request", ("name", "requester", "service", "status", "creation", "modified", "owner"), rows
		)
		name = make_contest(
			[nomination("Most catalog requests", "catalog_requests")],
			audience=contact_audience(*users, whale),
			outlier_factor=3,
		)
		travel_to_judging(name, datetime(2020, 1, 1), datetime(2020, 6, 30, 23, 59, 59))
		judging.judge(name)
		key = frappe.get_doc("SSP Contest", name).nominations[0].nomination_key
		s = standings(name, key)
		self.assertEqual((s[whale].score, s[whale].is_flagged, s[whale].review_status), (1000, 1, "Pending"))
		self.assertIn("95th percentile 5", s[whale].flag_reasons)
		self.assertFalse(any(s[u].is_flagged for u in users))


class TestWinnersAnnouncement(ContestCase):
	def test_winners_are_announced_once_however_often_awarding_runs(self):
		winner = make_portal_user(first_name="Champion")
		ticket(winner, datetime(2019, 3, 1, 9))
		name = make_contest(
			[nomination("Most requests through the portal", "portal_tickets")],
			audience=contact_audience(winner),
		)
		travel_to_judging(name, datetime(2019, 1, 1), datetime(2019, 6, 30, 23, 59, 59))
		judging.judge(name)
		frappe.set_user(make_contest_manager())
		first, second = api.award_contest(name), api.award_contest(name)
		self.assertEqual((first["created"], first["awarded"]), (1, True))
		self.assertEqual((second["created"], second["awarded"]), (0, False))
		title = frappe.db.get_value("SSP Contest", name, "title")
		self.assertEqual(
			frappe.db.count(
				"Notification Log",
				{"for_user": winner, "document_name": name, "subject": f"Winners of {title}"},
			),
			1,
		)


class TestPlaces(ContestCase):
	def test_a_nomination_has_one_to_three_places_one_per_star(self):
		for places in (0, 4, 10):
			with self.assertRaises(frappe.ValidationError) as ctx:
				make_contest([nomination("Too many", "portal_tickets", places=places)])
			self.assertIn("between 1 and 3", str(ctx.exception))
		name = make_contest([nomination("Podium", "portal_tickets", places=1)])
		api.announce_contest(name)
		# an announced contest of before this rule keeps its places; its end can still be extended
		row = frappe.get_doc("SSP Contest", name).nominations[0].name
		frappe.db.set_value("SSP Contest Nomination", row, "places", 5)
		doc = frappe.get_doc("SSP Contest", name)
		doc.ends_on = frappe.utils.add_days(doc.ends_on, 7)
		doc.save()


class TestNextEdition(ContestCase):
	def test_a_half_year_is_followed_by_the_next_half_year(self):
		from selfservice_portal.contests.ranking import period_label

		name = make_contest(
			[nomination("Most independent user", "independence")],
			title="Portal Champions H1 2025",
			starts_on=START,
			ends_on=END,
		)
		doc = frappe.get_doc("SSP Contest", name)
		# Drafted in March 2025, while H1 runs: the next half-year.
		new = frappe.get_doc("SSP Contest", lifecycle.draft_next(doc, now=datetime(2025, 3, 1)))
		self.assertEqual(
			(new.starts_on, new.ends_on), (datetime(2025, 7, 1), datetime(2025, 12, 31, 23, 59, 59))
		)
		self.assertEqual(period_label(new.starts_on, new.ends_on), "H2 2025")
		self.assertEqual(new.title, "Portal Champions H2 2025")
		# Drafted in November 2025, when H2 is mostly past: not H2 2025 but H1 2026, which has not begun.
		new = frappe.get_doc("SSP Contest", lifecycle.draft_next(doc, now=datetime(2025, 11, 15)))
		self.assertEqual(
			(new.starts_on, new.ends_on), (datetime(2026, 1, 1), datetime(2026, 6, 30, 23, 59, 59))
		)
		self.assertEqual(new.title, "Portal Champions H1 2026")
		quarter = make_contest(
			[nomination("N", "portal_tickets")],
			title="Q4 push",
			starts_on=datetime(2025, 10, 1),
			ends_on=datetime(2026, 1, 1),
		)
		new = frappe.get_doc(
			"SSP Contest",
			lifecycle.draft_next(frappe.get_doc("SSP Contest", quarter), now=datetime(2025, 12, 1)),
		)
		self.assertEqual((new.starts_on, new.ends_on), (datetime(2026, 1, 1), datetime(2026, 4, 1)))
		self.assertEqual((period_label(new.starts_on, new.ends_on), new.title), ("Q1 2026", "Q4 push (next)"))

	def test_the_manager_is_shown_the_next_edition_before_it_is_created_and_it_starts_in_the_future(self):
		name = make_contest(
			[nomination("Most independent user", "independence", eligibility_floor=5)],
			title="Portal Champions H1 2025",
			starts_on=START,
			ends_on=END,
		)
		frappe.set_user(make_contest_manager())
		before = frappe.db.count("SSP Contest")
		preview = api.preview_next_contest(name)
		self.assertEqual(frappe.db.count("SSP Contest"), before)  # a preview creates nothing
		self.assertEqual(
			preview["nominations"], [{"title": "Most independent user", "metric": "Independence"}]
		)
		now = frappe.utils.now_datetime()
		starts_on = preview["starts_on"]
		# Whatever today is: the first half-year that has not begun, never one under way.
		self.assertGreater(starts_on, now)
		self.assertIn(starts_on.month, (1, 7))
		self.assertLessEqual(starts_on - now, timedelta(days=185))
		self.assertEqual(
			preview["period"],
			"{} to {}".format(
				frappe.utils.formatdate(starts_on.date()), frappe.utils.formatdate(preview["ends_on"].date())
			),
		)
		self.assertEqual(preview["title"], f"Portal Champions {preview['period_label']}")
		new = frappe.get_doc("SSP Contest", api.draft_next_contest(name)["contest"])
		self.assertEqual(
			(new.title, new.starts_on, new.ends_on), (preview["title"], starts_on, preview["ends_on"])
		)


class TestExclusionFlagInHelpdesk(ContestCase):
	def test_agents_can_exclude_a_ticket_in_helpdesk_and_customers_never_see_it(self):
		from helpdesk.api.doc import get_visible_custom_fields
		from helpdesk.helpdesk.doctype.hd_ticket.api import get_meta  # the agent ticket view's fields

		from selfservice_portal.setup import helpdesk_artefacts

		ours = ("ssp_exclude_from_contests", "ssp_exclusion_reason")
		helpdesk_artefacts.ensure_template_rows()  # as install and every migrate do
		frappe.set_user(make_agent())
		fields = {f.fieldname: f for f in get_meta("Default")}
		self.assertEqual(
			[(fields[f].fieldtype, fields[f].hide_from_customer) for f in ours], [("Check", 1), ("Select", 1)]
		)
		self.assertEqual(fields["ssp_exclusion_reason"].depends_on, "ssp_exclude_from_contests")
		self.assertFalse(set(ours) & set(get_visible_custom_fields()))
		frappe.set_user("Administrator")
		helpdesk_artefacts.remove_template_rows()  # uninstall
		self.assertFalse(frappe.db.exists("HD Ticket Template Field", {"fieldname": ("in", ours)}))
		helpdesk_artefacts.ensure_template_rows()
		self.assertEqual(frappe.db.count("HD Ticket Template Field", {"fieldname": ("in", ours)}), 2)


class TestCombinedNominations(ContestCase):
	"""A nomination over two metrics: requests through the portal (floor 2) and ratings given.

	Hand-computed, one request a day and each rating the day after its request:
	         requests  ratings   eligible
	  Ann    5         1         yes (done by Jan 12)
	  Bob    4         2         yes
	  Cid    3         3         yes
	  Dee    2         2         yes (done in May)
	  Eli    1         1         no: 1 request is below the floor of 2
	"""

	START, END = datetime(2022, 1, 1), datetime(2022, 6, 30, 23, 59)

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = {n: make_portal_user(first_name=n) for n in ("Ann", "Bob", "Cid", "Dee", "Eli")}
		plan = {
			"Ann": (datetime(2022, 1, 3, 9), 5, 1),
			"Bob": (datetime(2022, 2, 1, 9), 4, 2),
			"Cid": (datetime(2022, 3, 1, 9), 3, 3),
			"Dee": (datetime(2022, 5, 2, 9), 2, 2),
			"Eli": (datetime(2022, 4, 1, 9), 1, 1),
		}
		for n, (first, requests, ratings) in plan.items():
			for i in range(requests):
				ticket(cls.users[n], first + timedelta(days=i), rating=5 if i < ratings else 0)

	def combined(self, rule, weights=(1, 1), tie_rule="Earlier Achiever Wins") -> tuple[str, str]:
		name = make_contest(
			[nomination("Requests and ratings", None, combine_rule=rule, tie_rule=tie_rule)],
			audience=contact_audience(*self.users.values()),
			nomination_metrics=[
				{
					"nomination": "Requests and ratings",
					"metric": "portal_tickets",
					"eligibility_floor": 2,
					"weight": weights[0],
				},
				{"nomination": "Requests and ratings", "metric": "ratings_given", "weight": weights[1]},
			],
		)
		travel_to_judging(name, self.START, self.END)
		judging.judge(name)
		return name, frappe.get_doc("SSP Contest", name).nominations[0].nomination_key

	def table(self, name, key):
		s = standings(name, key)
		return {n: (s[u].rank, s[u].place, round(s[u].score, 4)) for n, u in self.users.items()}

	def test_sum_of_ranks_with_a_tie_broken_by_the_worst_rank(self):
		# requests: Ann 1, Bob 2, Cid 3, Dee 4 — ratings: Cid 1, Bob 2, Dee 2, Ann 4
		# sums: Bob 4 (worst 2), Cid 4 (worst 3), Ann 5, Dee 6 — Bob's better worst rank wins the tie
		name, key = self.combined("Sum of ranks")
		self.assertEqual(
			self.table(name, key),
			{"Bob": (1, 1, 4), "Cid": (2, 2, 4), "Ann": (3, 3, 5), "Dee": (4, 0, 6), "Eli": (0, 0, 0)},
		)
		bob = json.loads(standings(name, key)[self.users["Bob"]].breakdown)
		self.assertEqual(
			[(p["metric"], p["score"], p["rank"]) for p in bob["parts"]],
			[("portal_tickets", 4, 2), ("ratings_given", 2, 2)],
		)
		self.assertEqual((bob["worst_rank"], bob["counted"]), (2, 6))
		eli = json.loads(standings(name, key)[self.users["Eli"]].breakdown)
		self.assertEqual([p["meets_floor"] for p in eli["parts"]], [False, True])
		# what the participant is told: the rule, and why they are not ranked
		frappe.set_user(self.users["Eli"])
		card = api.get_leaderboard(name)["nominations"][0]
		self.assertIn("sum of ranks", card["description"])
		self.assertEqual(card["metric"], "Requests through the portal + Ratings given")
		self.assertIn("you have 1 requests; at least 2 requests are needed", card["me_text"])
		self.assertEqual(card["top"][0]["score_text"], "sum of ranks 4")
		breakdown = api.get_breakdown(name, key)
		self.assertEqual(
			[p["label"] for p in breakdown["standing"]["breakdown"]["parts"]],
			[
				"Requests through the portal",
				"Ratings given",
			],
		)
		self.assertEqual(
			{r["metric"] for r in breakdown["records"]}, {"Requests through the portal", "Ratings given"}
		)

	def test_weighted_normalised_score_with_a_tie_earlier_achiever_or_shared(self):
		# maxima: 5 requests, 3 ratings; ratings weigh 1.8:
		# Ann 5/5 + 1.8 * 1/3 = 1.6; Bob 4/5 + 1.8 * 2/3 = 2.0; Cid 3/5 + 1.8 = 2.4; Dee 2/5 + 1.8 * 2/3 = 1.6
		# Ann and Dee tie: Ann reached her last score in January, Dee in May
		name, key = self.combined("Weighted normalised score", (1, 1.8))
		self.assertEqual(
			self.table(name, key),
			{
				"Cid": (1, 1, 2.4),
				"Bob": (2, 2, 2.0),
				"Ann": (3, 3, 1.6),
				"Dee": (4, 0, 1.6),
				"Eli": (0, 0, 0),
			},
		)
		dee = json.loads(standings(name, key)[self.users["Dee"]].breakdown)
		self.assertEqual(
			[(p["normalised"], p["weight"], p["points"]) for p in dee["parts"]],
			[(0.4, 1, 0.4), (0.6667, 1.8, 1.2)],
		)
		name, key = self.combined("Weighted normalised score", (1, 1.8), tie_rule="Shared Place")
		self.assertEqual(
			self.table(name, key),
			{
				"Cid": (1, 1, 2.4),
				"Bob": (2, 2, 2.0),
				"Ann": (3, 3, 1.6),
				"Dee": (3, 3, 1.6),
				"Eli": (0, 0, 0),
			},
		)

	def test_the_announcement_states_the_rule_and_every_metric(self):
		name = make_contest(
			[nomination("Both", None, combine_rule="Weighted normalised score")],
			nomination_metrics=[
				{"nomination": "Both", "metric": "portal_tickets", "eligibility_floor": 3, "weight": 2},
				{"nomination": "Both", "metric": "ratings_given", "weight": 1},
			],
		)
		lines = leaderboard.nomination_lines(frappe.get_doc("SSP Contest", name))
		self.assertEqual(
			lines[0],
			"Both: Ranked by a weighted score over: Requests through the portal (at least 3 requests, weight 2); "
			"Ratings given (weight 1). Each score counts as a share of the best score in the field, times its "
			"weight; everyone must meet every floor and the highest total wins. Any tie left: the earlier "
			"achiever wins.",
		)
		self.assertTrue(lines[1].startswith("Both — Requests through the portal: Requests you raised"))
		self.assertTrue(lines[2].startswith("Both — Ratings given: Ratings you gave"))

	def test_combined_nominations_are_validated_on_the_server(self):
		def attempt(rule, parts, message):
			with self.assertRaises(frappe.ValidationError) as ctx:
				make_contest(
					[nomination("C", None, combine_rule=rule)],
					nomination_metrics=[{"nomination": "C", **p} for p in parts],
				)
			self.assertIn(message, str(ctx.exception))

		attempt("Sum of ranks", [{"metric": "portal_tickets"}], "at least two")
		attempt("Sum of ranks", [{"metric": "portal_tickets"}] * 2, "twice")
		attempt("Sum of ranks", [{"metric": "portal_tickets"}, {"metric": "nope"}], "unknown metric")
		attempt(
			"Weighted normalised score",
			[{"metric": "portal_tickets"}, {"metric": "ratings_given", "weight": 0}],
			"must be above zero",
		)
		with self.assertRaises(frappe.ValidationError) as ctx:
			make_contest(
				[nomination("Single", "portal_tickets")],
				nomination_metrics=[{"nomination": "Single", "metric": "ratings_given"}],
			)
		self.assertIn("no combined nomination", str(ctx.exception))

	def test_metrics_are_frozen_after_announce_and_participants_cannot_touch_them(self):
		import frappe.client
		from frappe.api.v1 import delete_doc as rest_delete

		manager = make_contest_manager()
		frappe.set_user(manager)
		name = make_contest(
			[nomination("Both", None, combine_rule="Sum of ranks")],
			audience=contact_audience(self.users["Ann"]),
			nomination_metrics=[
				{"nomination": "Both", "metric": "portal_tickets"},
				{"nomination": "Both", "metric": "ratings_given"},
			],
		)
		# a participant, through frappe.client (what /api/resource and /api/method run), before announcing
		frappe.set_user(self.users["Ann"])
		row = {"nomination": "Both", "metric": "helpful_votes", "parent": name, "parenttype": "SSP Contest"}
		for call in (
			lambda: frappe.client.insert(
				{"doctype": "SSP Nomination Metric", "parentfield": "nomination_metrics", **row}
			),
			lambda: frappe.client.set_value("SSP Contest", name, "description", "Mine"),
			lambda: frappe.client.save(
				{**frappe.get_doc("SSP Contest", name).as_dict(), "nomination_metrics": []}
			),
		):
			with self.assertRaises(frappe.PermissionError):
				call()
		frappe.set_user(manager)
		api.announce_contest(name)
		doc = frappe.get_doc("SSP Contest", name)
		doc.nomination_metrics[1].weight = 3
		with self.assertRaises(frappe.ValidationError) as ctx:
			doc.save()
		self.assertIn("can no longer change", str(ctx.exception))
		part = frappe.get_doc("SSP Contest", name).nomination_metrics[0].name
		with self.assertRaises(frappe.ValidationError):
			rest_delete("SSP Nomination Metric", part)
		self.assertTrue(frappe.db.exists("SSP Nomination Metric", part))
		# the next edition keeps the combination
		self.assertEqual(
			[(p["nomination"], p["metric"]) for p in lifecycle.next_edition(doc)["nomination_metrics"]],
			[("Both", "portal_tickets"), ("Both", "ratings_given")],
		)
