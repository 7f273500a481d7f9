# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe

from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_agent, make_portal_user


class TestSSPRequestTask(IntegrationTestCase):
	"""The behaviour lives in service_catalog/test_fulfilment.py; this pins the DocType's doors."""

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_task_rows_are_read_only_for_staff_and_hidden_from_portal_users(self):
		frappe.set_user(make_agent())
		self.assertTrue(frappe.has_permission("SSP Request Task", "read"))
		for ptype in ("write", "create", "delete"):
			self.assertFalse(frappe.has_permission("SSP Request Task", ptype))
		frappe.set_user(make_portal_user())
		with self.assertRaises(frappe.PermissionError):
			frappe.get_list("SSP Request Task")

	def test_one_row_per_request_and_task(self):
		indexes = frappe.db.sql(
			"SHOW INDEX FROM `tabSSP Request Task` WHERE Key_name = 'unique_request_task'", as_dict=True
		)
		self.assertEqual([(i.Column_name, i.Non_unique) for i in indexes], [("request", 0), ("task_id", 0)])
