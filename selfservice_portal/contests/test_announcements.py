"""What the audience is told: the announcement (Desk alert and e-mail, each in their own language)
and the winners, once."""

from datetime import datetime

import frappe
from frappe.translate import print_language

from selfservice_portal.api import contests as api
from selfservice_portal.contests import announcements, judging
from selfservice_portal.contests.test_contests import (
	ContestCase,
	contact_audience,
	make_contest,
	nomination,
	ticket,
	travel_to_judging,
)
from selfservice_portal.tests.test_utils import (
	make_contest_manager,
	make_outgoing_email_account,
	make_portal_user,
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
		english = announcements.announcement(contest)[0]
		for lang, user in readers.items():
			with self.subTest(lang=lang):
				with print_language(lang):
					expected = announcements.announcement(contest)[0]
				self.assertNotEqual(expected, english, f"no {lang} translation compiled (bench build)")
				subject = frappe.db.get_value(
					"Notification Log", {"for_user": user, "document_name": name}, "subject"
				)
				self.assertEqual(subject, expected)


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
