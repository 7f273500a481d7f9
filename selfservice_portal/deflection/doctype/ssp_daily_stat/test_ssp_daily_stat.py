# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe

from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_agent, make_portal_user


class TestSSPDailyStat(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_agents_read_roll_ups_and_portal_users_do_not(self):
		frappe.set_user(make_agent())
		self.assertTrue(frappe.has_permission("SSP Daily Stat", "read"))
		self.assertFalse(frappe.has_permission("SSP Daily Stat", "write"))
		frappe.set_user(make_portal_user())
		self.assertFalse(frappe.has_permission("SSP Daily Stat", "read"))
