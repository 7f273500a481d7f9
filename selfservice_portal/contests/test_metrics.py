"""Contest metrics on hand-built data: what each metric counts, what fair play takes away, and
breakdowns that list exactly the records a score counts."""

from datetime import datetime, timedelta

import frappe

from selfservice_portal.contests.metrics import Context, Score, get_metrics
from selfservice_portal.contests.test_contests import (
	END,
	PRE_PERIOD,
	START,
	ContestCase,
	context,
	ticket,
)
from selfservice_portal.tests.test_utils import (
	make_article,
	make_outsider,
	make_portal_user,
)


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

	def scores(self, key: str, ctx: Context | None = None) -> dict[str, Score]:
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
