# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe

from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_department, make_service


class TestSSPService(IntegrationTestCase):
	def test_fieldnames_come_from_labels_and_stay_unique(self):
		service = make_service(
			fields=[
				{"label": "Asset tag", "fieldtype": "Data"},
				{"label": "Asset tag", "fieldtype": "Text"},
				{"label": "Photo", "fieldname": "picture", "fieldtype": "Attach"},
			]
		)
		names = [f.fieldname for f in frappe.get_doc("SSP Service", service).form_fields]
		self.assertEqual(names, ["asset_tag", "asset_tag_2", "picture"])

	def test_select_needs_options(self):
		with self.assertRaises(frappe.ValidationError) as ctx:
			make_service(fields=[{"label": "Model", "fieldtype": "Select"}])
		self.assertIn("needs at least one option", str(ctx.exception))

	def test_role_and_user_steps_name_their_approver(self):
		department = make_department()
		for step, message in (
			({"approver_type": "Role"}, "choose the role"),
			({"approver_type": "User"}, "choose the user"),
		):
			with self.assertRaises(frappe.ValidationError) as ctx:
				make_service(department, approval_steps=[step])
			self.assertIn(message, str(ctx.exception))
