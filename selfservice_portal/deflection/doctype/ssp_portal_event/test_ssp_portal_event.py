# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe

from selfservice_portal.deflection.events import log_event
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_agent, make_portal_user


class TestSSPPortalEvent(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_events_are_stored_with_bounded_queries(self):
		user = make_portal_user()
		name = log_event("KB Search", user=user, query="x" * 500, result_count=0)
		event = frappe.get_doc("SSP Portal Event", name)
		self.assertEqual((event.user, len(event.query), event.result_count), (user, 140, 0))

	def test_unknown_kinds_are_refused(self):
		with self.assertRaises(ValueError):
			log_event("Clicked Everything")

	def test_portal_users_and_agents_cannot_read_events(self):
		for user in (make_portal_user(), make_agent()):
			frappe.set_user(user)
			self.assertFalse(frappe.has_permission("SSP Portal Event", "read"))
