"""What managers read in Desk about a contest: standings by name and rank, metrics by name, the impact
report by contest title with its explanation, and an awarded contest that no door can edit."""

from datetime import datetime

import frappe

from selfservice_portal.contests import awards, judging
from selfservice_portal.contests.test_contests import (
	ContestCase,
	contact_audience,
	make_contest,
	nomination,
	ticket,
	travel_to_judging,
)
from selfservice_portal.tests.test_utils import make_portal_user

START, END = datetime(2021, 1, 1), datetime(2021, 6, 30, 23, 59, 59)


def awarded_contest(users: dict) -> str:
	"""Independence over H1 2021: Ada 2 of 3 requests through the portal, Ben 1 of 3, Cy 1 of 1
	(below the floor of 3 requests)."""
	for who, portal, other in (("Ada", 2, 1), ("Ben", 1, 2), ("Cy", 1, 0)):
		for i in range(portal):
			ticket(users[who], datetime(2021, 2, 1 + i, 9))
		for i in range(other):
			ticket(users[who], datetime(2021, 3, 1 + i, 9), channel="Email")
	name = make_contest(
		[
			nomination("Most independent user", "independence", eligibility_floor=3),
			nomination("Most helpful voter", "helpful_votes"),
		],
		title="Desk Stars H1 2021",
		audience=contact_audience(*users.values()),
	)
	travel_to_judging(name, START, END)
	judging.judge(name)
	awards.award_contest(name)
	return name


class TestContestInDesk(ContestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.db.delete("HD Ticket", {"creation": ("between", [START, END])})
		cls.users = {n: make_portal_user(first_name=n) for n in ("Ada", "Ben", "Cy")}
		cls.contest = awarded_contest(cls.users)

	def test_standings_are_listed_by_participant_name_in_rank_order(self):
		meta = frappe.get_meta("SSP Contest Standing")
		self.assertEqual((meta.title_field, meta.show_title_field_in_link), ("participant_name", 1))
		self.assertEqual((meta.sort_field, meta.sort_order), ("sort_key", "DESC"))
		in_list = [f.fieldname for f in meta.fields if f.in_list_view]
		# Desk shows two of them at a laptop's width: the result first.
		self.assertEqual(in_list, ["result", "nomination_title", "contest", "review_status"])
		rows = frappe.get_list(
			"SSP Contest Standing",
			filters={"contest": self.contest},
			fields=["participant_name", "result", "rank"],
			order_by="sort_key desc",
		)
		# Ada 2/3 before Ben 1/3; Cy (1 of 1 request, below the floor of 3) unranked, last.
		self.assertEqual(
			[(r.participant_name, r.result, r.rank) for r in rows],
			[
				("Ada User", "Rank 1 · 67 %", 1),
				("Ben User", "Rank 2 · 33 %", 2),
				("Cy User", "Not ranked · 100 %", 0),
			],
		)

	def test_metrics_are_named_not_keyed(self):
		doc = frappe.get_doc("SSP Contest", self.contest)
		self.assertEqual([n.metric_label for n in doc.nominations], ["Independence", "'This helped' votes"])
		doc.run_method("onload")
		options = {o["value"]: o["label"] for o in doc.get_onload().metrics}
		self.assertEqual(options["portal_tickets"], "Requests through the portal")

	def test_an_awarded_contest_cannot_be_edited(self):
		for change in (
			lambda d: setattr(d, "title", "Renamed"),
			lambda d: setattr(d, "description", "<p>Changed afterwards</p>"),
			lambda d: setattr(d, "energy_points_gold", 500),
			lambda d: setattr(d, "leaderboard_visibility", "Hidden"),
			lambda d: setattr(d.nominations[0], "nomination_title", "Renamed"),
		):
			doc = frappe.get_doc("SSP Contest", self.contest)
			change(doc)
			with self.assertRaises(frappe.ValidationError) as ctx:
				doc.save()
			self.assertIn("it can no longer be edited", str(ctx.exception))
		# Saving it unchanged (as Desk does on a reload) is no edit.
		frappe.get_doc("SSP Contest", self.contest).save()

	def test_a_cancelled_contest_cannot_be_edited(self):
		name = make_contest([nomination("N", "portal_tickets")])
		frappe.get_doc("SSP Contest", name).cancel_contest()
		doc = frappe.get_doc("SSP Contest", name)
		doc.ends_on = frappe.utils.add_days(doc.ends_on, 10)
		with self.assertRaises(frappe.ValidationError):
			doc.save()

	def test_contest_impact_names_the_contest_and_explains_its_figures(self):
		from selfservice_portal.contests.report.ssp_contest_impact.ssp_contest_impact import execute

		columns, rows, message, _chart = execute({"contest": self.contest})
		self.assertEqual(columns[0]["fieldname"], "contest")
		self.assertNotIn("contest_title", [c["fieldname"] for c in columns])  # no second, hash-free column
		self.assertEqual({r["contest_title"] for r in rows}, {"Desk Stars H1 2021"})
		during = next(r for r in rows if r["phase"] == "During")
		# 4 of 7 requests through the portal (2 + 1 + 1 of 3 + 3 + 1): 57.1 %.
		self.assertEqual(
			(during["requests"], during["portal_requests"], during["portal_share"]), (7, 4, 57.1)
		)
		self.assertIn("Portal share = requests through the portal", message)
		self.assertIn("<b>Before</b>", message)
