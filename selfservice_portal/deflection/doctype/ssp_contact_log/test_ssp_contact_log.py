# Copyright (c) 2026, selfservice_portal developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document
from frappe.utils import add_to_date, now_datetime

from selfservice_portal.deflection.doctype.ssp_contact_log.ssp_contact_log import MAX_SUMMARY_LENGTH
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_agent, make_channel


def new_log(**values: str | None) -> Document:
	return frappe.get_doc(
		{"doctype": "SSP Contact Log", "channel": "Phone", "summary": "Asked about a delivery", **values}
	)


class TestSSPContactLog(IntegrationTestCase):
	def test_defaults_time_logger_and_source(self):
		agent = make_agent()
		frappe.set_user(agent)
		try:
			doc = new_log(summary="Password reset explained on the phone").insert()
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(doc.logged_by, agent)
		self.assertEqual(doc.source, "Agent")
		self.assertLessEqual(abs((now_datetime() - doc.contact_on).total_seconds()), 60)

	def test_logged_by_cannot_be_forged(self):
		doc = new_log(logged_by=make_agent()).insert(ignore_permissions=True)
		self.assertEqual(doc.logged_by, "Administrator")

	def test_invalid_records_are_refused(self):
		disabled = make_channel(is_enabled=False)
		before = frappe.db.count("SSP Contact Log")
		bad = (
			{"channel": disabled},
			{"summary": "x" * (MAX_SUMMARY_LENGTH + 1)},
			{"summary": "   "},
			{"contact_on": add_to_date(now_datetime(), hours=1)},
		)
		for values in bad:
			with self.subTest(values=list(values)), self.assertRaises(frappe.ValidationError):
				new_log(**values).insert(ignore_permissions=True)
		self.assertEqual(frappe.db.count("SSP Contact Log"), before)

	def test_back_dated_contact_is_kept(self):
		when = add_to_date(now_datetime(), days=-2)
		doc = new_log(contact_on=when, raised_by="+49 30 1234").insert(ignore_permissions=True)
		self.assertEqual(doc.contact_on, when)
