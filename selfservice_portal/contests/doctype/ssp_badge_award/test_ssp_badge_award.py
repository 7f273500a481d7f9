# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe

from selfservice_portal.tests import IntegrationTestCase


class TestSSPBadgeAward(IntegrationTestCase):
	def test_award_once_is_a_database_constraint(self):
		index = frappe.db.sql(
			"SHOW INDEX FROM `tabSSP Badge Award` WHERE Key_name = 'ssp_award_once'", as_dict=True
		)
		self.assertEqual([i.Column_name for i in index], ["contest", "nomination_key", "user"])
		self.assertTrue(all(i.Non_unique == 0 for i in index))
