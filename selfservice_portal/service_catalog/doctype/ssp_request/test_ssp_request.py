# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe

from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_agent, make_portal_user


class TestSSPRequest(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_requests_are_read_only_for_staff_and_hidden_from_portal_users(self):
		frappe.set_user(make_agent())
		self.assertTrue(frappe.has_permission("SSP Request", "read"))
		self.assertFalse(frappe.has_permission("SSP Request", "write"))
		self.assertFalse(frappe.has_permission("SSP Request", "create"))
		frappe.set_user(make_portal_user())
		with self.assertRaises(frappe.PermissionError):
			frappe.get_list("SSP Request")
