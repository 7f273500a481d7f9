# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe

from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_agent, make_portal_user


class TestSSPContestStanding(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_breakdowns_are_for_managers_only(self):
		for user in (make_agent(), make_portal_user()):
			frappe.set_user(user)
			self.assertFalse(frappe.has_permission("SSP Contest Standing", "read"))
