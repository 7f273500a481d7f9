"""The contest lifecycle: drafts, transitions, frozen rules (also against deletion) and places."""

from datetime import datetime

import frappe

from selfservice_portal.api import contests as api
from selfservice_portal.contests import awards, judging, lifecycle
from selfservice_portal.contests.test_contests import (
	ContestCase,
	make_contest,
	nomination,
	ticket,
	travel_to_judging,
)
from selfservice_portal.tests.test_utils import (
	make_contest_manager,
	make_portal_user,
)


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
		frappe.get_doc("SSP Contest", name).announce()
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
			frappe.get_doc("SSP Contest", empty).announce()
		late = make_contest([nomination("N", "portal_tickets")])
		frappe.db.set_value("SSP Contest", late, "starts_on", datetime(2025, 1, 1))
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc("SSP Contest", late).announce()

	def test_every_transition(self):
		name = make_contest([nomination("N", "portal_tickets")])
		doc = frappe.get_doc("SSP Contest", name)
		with self.assertRaises(frappe.ValidationError):
			doc.transition("Judging")  # Draft cannot skip ahead
		travel_to_judging(name)
		doc = frappe.get_doc("SSP Contest", name)
		with self.assertRaises(frappe.ValidationError):
			doc.cancel_contest()  # a finished contest is judged, not cancelled
		judging.judge(name)
		awards.award_contest(name)
		self.assertEqual(frappe.db.get_value("SSP Contest", name, "status"), "Awarded")
		cancelled = make_contest([nomination("N", "portal_tickets")])
		frappe.get_doc("SSP Contest", cancelled).announce()
		frappe.get_doc("SSP Contest", cancelled).cancel_contest()
		self.assertEqual(frappe.db.get_value("SSP Contest", cancelled, "status"), "Cancelled")

	def test_next_edition_is_drafted_from_the_last(self):
		name = make_contest(
			[
				nomination(
					"Most independent user", "independence", eligibility_floor=5, tie_rule="Shared Place"
				)
			]
		)
		new = frappe.get_doc("SSP Contest", frappe.get_doc("SSP Contest", name).draft_next())
		old = frappe.get_doc("SSP Contest", name)
		self.assertEqual((new.status, new.previous_contest), ("Draft", name))
		self.assertEqual(new.starts_on, old.ends_on)
		self.assertEqual(new.ends_on - new.starts_on, old.ends_on - old.starts_on)
		self.assertEqual(
			[(n.metric, n.eligibility_floor, n.tie_rule) for n in new.nominations],
			[("independence", 5, "Shared Place")],
		)


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
