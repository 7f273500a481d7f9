"""The metrics of a combined nomination through /api/resource, over HTTP: a participant (and an agent,
who may read contests) can neither add nor change them, a participant cannot list them; once
announced, not even a manager can change them."""

import json

import frappe

from selfservice_portal.tests.served import ServedSiteTestCase, set_password
from selfservice_portal.tests.test_utils import (
	TEST_CUSTOMER,
	make_agent,
	make_contest_manager,
	make_portal_user,
)

PARTS = [
	{"nomination": "Requests and ratings", "metric": "portal_tickets", "eligibility_floor": 2},
	{"nomination": "Requests and ratings", "metric": "ratings_given"},
]


def combined_contest(title: str) -> str:
	start = frappe.utils.add_days(frappe.utils.now_datetime(), 1)
	return (
		frappe.get_doc(
			{
				"doctype": "SSP Contest",
				"title": title,
				"starts_on": start,
				"ends_on": frappe.utils.add_days(start, 30),
				"audience_type": "Selected Customers and Contacts",
				"audience": [{"audience_doctype": "HD Customer", "audience_name": TEST_CUSTOMER}],
				"nominations": [{"nomination_title": "Requests and ratings", "combine_rule": "Sum of ranks"}],
				"nomination_metrics": PARTS,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


class TestCombinedNominationDoors(ServedSiteTestCase):
	@classmethod
	def make_fixtures(cls):
		frappe.set_user("Administrator")
		cls.member = make_portal_user(first_name="Combiner")
		cls.agent = make_agent(first_name="CombinedAgent")
		cls.manager = make_contest_manager("CombinedManager")
		for user in (cls.member, cls.agent, cls.manager):
			set_password(user)
		cls.draft = combined_contest(f"Combined draft {frappe.generate_hash(length=5)}")
		cls.announced = combined_contest(f"Combined announced {frappe.generate_hash(length=5)}")
		frappe.get_doc("SSP Contest", cls.announced).announce()

	def parts(self, contest: str) -> list[tuple]:
		frappe.db.rollback()  # see what the server committed
		return frappe.get_all(
			"SSP Nomination Metric",
			filters={"parent": contest, "parenttype": "SSP Contest"},
			fields=["metric", "weight", "eligibility_floor"],
			order_by="idx",
			as_list=True,
		)

	def test_participants_and_agents_cannot_add_or_change_metrics(self):
		for user in (self.member, self.agent):
			client = self.client(user)
			for contest in (self.draft, self.announced):
				before = self.parts(contest)
				added = client.resource(
					"POST",
					"SSP Nomination Metric",
					json={
						"parent": contest,
						"parenttype": "SSP Contest",
						"parentfield": "nomination_metrics",
						"nomination": "Requests and ratings",
						"metric": "helpful_votes",
					},
				)
				self.assertIn(added.status_code, (403, 417), f"{user}: {added.text[:300]}")
				changed = client.resource(
					"PUT",
					"SSP Contest",
					contest,
					json={
						"nomination_metrics": [
							{**PARTS[0], "eligibility_floor": 0},
							{**PARTS[1], "weight": 9},
						]
					},
				)
				self.assertEqual(changed.status_code, 403, f"{user}: {changed.text[:300]}")
				self.assertEqual(self.parts(contest), before)
		# Agents read contests (and so their rows); a participant reads neither.
		listed = self.client(self.member).resource(
			"GET",
			"SSP Nomination Metric",
			params={"parent": "SSP Contest", "fields": json.dumps(["parent"]), "limit_page_length": 0},
		)
		rows = listed.json().get("data", []) if listed.status_code == 200 else []
		self.assertFalse([r for r in rows if r["parent"] in (self.draft, self.announced)])

	def test_an_announced_combination_is_frozen_even_for_a_manager(self):
		client = self.client(self.manager)
		before = self.parts(self.announced)
		changed = client.resource(
			"PUT",
			"SSP Contest",
			self.announced,
			json={"nomination_metrics": [PARTS[0], {**PARTS[1], "weight": 2}]},
		)
		self.assertEqual(changed.status_code, 417, changed.text[:300])
		self.assertIn("can no longer change", changed.text)
		self.assertEqual(self.parts(self.announced), before)
		# a draft's combination is the manager's to change
		draft = client.resource(
			"PUT",
			"SSP Contest",
			self.draft,
			json={"nomination_metrics": [PARTS[0], {**PARTS[1], "weight": 2}]},
		)
		self.assertEqual(draft.status_code, 200, draft.text[:300])
		self.assertEqual([p[1] for p in self.parts(self.draft)], [1, 2])
