# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe

from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_agent, make_portal_user


class TestSSPContest(IntegrationTestCase):
	"""Behaviour lives in contests/test_contests.py; this covers the DocType's own permissions."""

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_only_managers_write_contests(self):
		frappe.set_user(make_agent())
		self.assertTrue(frappe.has_permission("SSP Contest", "read"))
		self.assertFalse(frappe.has_permission("SSP Contest", "write"))
		frappe.set_user(make_portal_user())
		self.assertFalse(frappe.has_permission("SSP Contest", "read"))
