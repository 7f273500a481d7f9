# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe

from selfservice_portal.deflection.settings import get_rules
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_agent


class TestSSPDeflectionSettings(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_defaults_give_a_self_service_cost_of_a_tenth(self):
		settings = frappe.get_single("SSP Deflection Settings")
		self.assertAlmostEqual(settings.self_service_cost / settings.first_line_cost, 0.1)
		rules = get_rules()
		self.assertEqual((rules.gap.total_seconds(), rules.window.total_seconds()), (30 * 60, 72 * 3600))

	def test_only_managers_change_costs_and_targets(self):
		agent, manager = make_agent(), make_agent(is_manager=True)
		frappe.set_user(agent)
		self.assertTrue(frappe.has_permission("SSP Deflection Settings", "read"))
		self.assertFalse(frappe.has_permission("SSP Deflection Settings", "write"))
		frappe.set_user(manager)
		self.assertFalse(frappe.has_permission("SSP Deflection Settings", "write"))
		frappe.set_user("Administrator")
		frappe.get_doc("User", manager).add_roles("SSP Manager")
		frappe.set_user(manager)
		self.assertTrue(frappe.has_permission("SSP Deflection Settings", "write"))
