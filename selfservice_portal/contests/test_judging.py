"""Judging and awarding: flags and reviews, ties, exactly-once awards (also concurrently), revocation,
the impact report, and the interim standings of a running contest."""

import threading
from datetime import datetime, timedelta

import frappe

from selfservice_portal.api import contests as api
from selfservice_portal.contests import awards, judging, lifecycle
from selfservice_portal.contests.standings import status_unchanged
from selfservice_portal.contests.test_contests import (
	ContestCase,
	contact_audience,
	make_contest,
	nomination,
	standings,
	ticket,
	travel_to_judging,
)
from selfservice_portal.tests.test_utils import (
	make_portal_user,
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
		frappe.get_doc("SSP Contest", name).announce()
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

	def test_an_hourly_rerun_rewrites_only_the_standings_that_moved(self):
		name, lead, chaser = self.running_contest()
		key = frappe.get_doc("SSP Contest", name).nominations[0].nomination_key

		def stored() -> dict[str, tuple]:
			return {s.user: (s.name, s.score, s.rank) for s in standings(name, key).values()}

		judging.judge(name)
		first = stored()
		judging.judge(name)
		self.assertEqual(stored(), first)  # nothing moved: nothing rewritten
		ticket(chaser, datetime(2025, 3, 5, 9))  # 2 each; the lead reached 2 first
		judging.judge(name)
		second = stored()
		self.assertEqual(second[lead], first[lead])
		self.assertNotEqual(second[chaser][0], first[chaser][0])
		self.assertEqual(second[chaser][1:], (2, 2))
		frappe.db.delete("HD Ticket", {"raised_by": chaser})  # no longer judged at all
		judging.judge(name)
		self.assertEqual(stored(), {lead: first[lead]})

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
		self.assertTrue(status_unchanged(interim))
		frappe.db.set_value("SSP Contest", name, "status", "Judging")
		self.assertFalse(status_unchanged(interim))
