# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe

from selfservice_portal.api import catalog as api
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_agent, make_department, make_portal_user, make_service


class TestSSPDepartment(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_disabling_a_department_hides_its_services(self):
		department = make_department()
		service = make_service(department)
		user = make_portal_user()
		frappe.set_user(user)
		self.assertIn(department, [d["name"] for d in api.get_catalog()])
		frappe.set_user("Administrator")
		doc = frappe.get_doc("SSP Department", department)
		doc.is_enabled = 0
		doc.save()
		frappe.set_user(user)
		self.assertNotIn(department, [d["name"] for d in api.get_catalog()])
		with self.assertRaises(frappe.DoesNotExistError):
			api.get_service(service)

	def test_only_managers_configure_departments(self):
		frappe.set_user(make_agent())
		self.assertTrue(frappe.has_permission("SSP Department", "read"))
		self.assertFalse(frappe.has_permission("SSP Department", "create"))
		frappe.set_user(make_portal_user())
		self.assertFalse(frappe.has_permission("SSP Department", "read"))
		frappe.set_user("Administrator")
		manager = make_agent()
		frappe.get_doc("User", manager).add_roles("SSP Manager")
		frappe.set_user(manager)
		self.assertTrue(frappe.has_permission("SSP Department", "create"))
