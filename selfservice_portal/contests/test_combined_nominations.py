"""Nominations over several metrics: sum of ranks, weighted normalised scores, what participants are
told, and the server's validation and freezing of their metrics."""

import json
from datetime import datetime, timedelta

import frappe

from selfservice_portal.api import contests as api
from selfservice_portal.contests import announcements, judging
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
	make_contest_manager,
	make_portal_user,
)


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

	def combined(
		self, rule: str, weights: tuple[float, float] = (1, 1), tie_rule: str = "Earlier Achiever Wins"
	) -> tuple[str, str]:
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

	def table(self, name: str, key: str) -> dict[str, tuple]:
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
		lines = announcements.nomination_lines(frappe.get_doc("SSP Contest", name))
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
		def attempt(rule: str, parts: list[dict], message: str) -> None:
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
			[(p["nomination"], p["metric"]) for p in doc.next_edition()["nomination_metrics"]],
			[("Both", "portal_tickets"), ("Both", "ratings_given")],
		)
