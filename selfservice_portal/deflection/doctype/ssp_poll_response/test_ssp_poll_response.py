# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""A response is written by the poll form only; every other way in is refused (the HTTP doors are
proven in deflection/test_polls_http.py)."""

import frappe

from selfservice_portal.deflection import polls
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_poll, make_portal_user


class TestSSPPollResponse(IntegrationTestCase):
	def setUp(self):
		frappe.set_user("Administrator")

	def test_the_database_keeps_one_answer_per_poll_and_person(self):
		unique = frappe.db.sql(
			"SHOW INDEX FROM `tabSSP Poll Response` WHERE Key_name = 'ssp_poll_answer_once'", as_dict=True
		)
		self.assertEqual(
			[(r.Column_name, r.Non_unique) for r in unique], [("poll", 0), ("respondent_key", 0)]
		)

	def test_no_response_is_made_or_changed_outside_the_form(self):
		poll = make_poll()
		user = make_portal_user()
		doc = frappe.get_doc(
			{
				"doctype": "SSP Poll Response",
				"poll": poll,
				"user": user,
				"respondent_key": polls.respondent_key(poll, user),
			}
		)
		with self.assertRaises(frappe.PermissionError):
			doc.insert(ignore_permissions=True)
		self.assertEqual(frappe.db.count("SSP Poll Response", {"poll": poll}), 0)
