# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe

from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_agent, make_portal_user


class TestSSPChannel(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_agents_read_but_do_not_edit(self):
		frappe.set_user(make_agent())
		self.assertTrue(frappe.has_permission("SSP Channel", "read"))
		self.assertFalse(frappe.has_permission("SSP Channel", "create"))
		self.assertIn("Portal", frappe.get_list("SSP Channel", pluck="name"))

	def test_agent_managers_extend_the_list(self):
		frappe.set_user(make_agent(is_manager=True))
		name = f"Kiosk {frappe.generate_hash(length=5)}"
		frappe.get_doc({"doctype": "SSP Channel", "channel_name": name}).insert()
		self.assertTrue(frappe.db.exists("SSP Channel", name))

	def test_portal_users_and_guests_see_nothing(self):
		for user in (make_portal_user(), "Guest"):
			frappe.set_user(user)
			self.assertFalse(frappe.has_permission("SSP Channel", "read"))
			with self.assertRaises(frappe.PermissionError):
				frappe.get_list("SSP Channel")

	def test_channel_name_is_unique(self):
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc({"doctype": "SSP Channel", "channel_name": "Portal"}).insert()
