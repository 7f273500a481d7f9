"""Fair play: outliers among peers, agents excluding tickets in Helpdesk, and nobody judging or
awarding themselves."""

from datetime import datetime, timedelta

import frappe

from selfservice_portal.api import contests as api
from selfservice_portal.contests import judging
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
	make_agent,
	make_contest_manager,
	make_portal_user,
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
