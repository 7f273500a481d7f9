# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe

from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_agent, make_portal_user, make_role_user


class TestSSPFulfilmentStat(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_managers_read_the_roll_up_and_nobody_writes_it(self):
		others = (make_agent(), make_agent(is_manager=True), make_portal_user())
		frappe.set_user(make_role_user("SSP Manager", "Fulfilment"))
		self.assertTrue(frappe.has_permission("SSP Fulfilment Stat", "read"))
		self.assertFalse(frappe.has_permission("SSP Fulfilment Stat", "write"))
		self.assertFalse(frappe.has_permission("SSP Fulfilment Stat", "create"))
		for user in others:
			frappe.set_user(user)
			self.assertFalse(frappe.has_permission("SSP Fulfilment Stat", "read"))
