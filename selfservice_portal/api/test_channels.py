"""`selfservice_portal.api.channels` with real users: guest, portal customer, agent, integration."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import frappe
from frappe.utils import get_system_timezone

from selfservice_portal.api import channels
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_channel,
	make_department,
	make_integration_user,
	make_portal_user,
)


class TestLogContact(IntegrationTestCase):
	def setUp(self):
		self.agent = make_agent()
		self.integration = make_integration_user()
		self.customer = make_portal_user()

	def tearDown(self):
		frappe.set_user("Administrator")

	def count(self) -> int:
		return frappe.db.count("SSP Contact Log")

	def test_guest_and_portal_user_are_refused_and_nothing_stored(self):
		before = self.count()
		for user in ("Guest", self.customer):
			frappe.set_user(user)
			with self.subTest(user=user), self.assertRaises(frappe.PermissionError):
				channels.log_contact("Phone", summary="should not be stored")
			with self.subTest(user=user), self.assertRaises(frappe.PermissionError):
				channels.get_contact_channels()
		frappe.set_user("Administrator")
		self.assertEqual(self.count(), before)

	def test_agent_logs_a_call(self):
		department = make_department()
		frappe.set_user(self.agent)
		result = channels.log_contact(
			"Phone", raised_by=" caller@example.com ", summary="VPN question", department=department
		)
		frappe.set_user("Administrator")
		doc = frappe.get_doc("SSP Contact Log", result["name"])
		self.assertEqual(
			(doc.channel, doc.source, doc.logged_by, doc.raised_by, doc.department),
			("Phone", "Agent", self.agent, "caller@example.com", department),
		)

	def test_integration_logs_a_backdated_message(self):
		frappe.set_user(self.integration)
		result = channels.log_contact("Messenger", contact_on="2025-03-03 09:15:00", summary="Hi")
		frappe.set_user("Administrator")
		self.assertEqual(result["source"], "Integration")
		doc = frappe.get_doc("SSP Contact Log", result["name"])
		self.assertEqual(str(doc.contact_on), "2025-03-03 09:15:00")
		self.assertEqual(doc.logged_by, self.integration)

	def test_bad_input_gets_a_clear_error_and_stores_nothing(self):
		disabled = make_channel(is_enabled=False)
		before = self.count()
		frappe.set_user(self.integration)
		cases = {
			"unknown channel": ({"channel": "Carrier Pigeon"}, "does not exist"),
			"disabled channel": ({"channel": disabled}, "disabled"),
			"empty channel": ({"channel": ""}, "does not exist"),
			"long summary": ({"channel": "Phone", "summary": "x" * 1001}, "too long"),
			"long contact": ({"channel": "Phone", "raised_by": "x" * 141}, "too long"),
			"bad date": ({"channel": "Phone", "contact_on": "next tuesday-ish"}, "not a date"),
			"future date": (
				{"channel": "Phone", "contact_on": "2999-01-01 00:00:00", "summary": "Hi"},
				"future",
			),
			"unknown department": ({"channel": "Phone", "department": "Nope Dept"}, "Department"),
			"no summary": ({"channel": "Phone"}, "Summary is required"),
			"empty summary": ({"channel": "Phone", "summary": ""}, "Summary is required"),
			"blank summary": ({"channel": "Email", "summary": "  \n\t "}, "Summary is required"),
		}
		for label, (kwargs, message) in cases.items():
			with self.subTest(label), self.assertRaises(frappe.ValidationError) as raised:
				channels.log_contact(**kwargs)
			self.assertIn(message, str(raised.exception), label)
		frappe.set_user("Administrator")
		self.assertEqual(self.count(), before)

	def test_an_empty_summary_is_refused_through_every_door(self):
		"""Regression (issue 11): an empty "Log contact" dialog stored an Email contact saying nothing."""
		before = self.count()
		frappe.set_user(self.agent)
		for summary in (None, "", "   "):
			with self.subTest(summary=summary), self.assertRaises(frappe.MandatoryError) as raised:
				frappe.get_doc(
					{"doctype": "SSP Contact Log", "channel": "Email", "summary": summary}
				).insert()
			self.assertIn("Summary is required", str(raised.exception))
		frappe.set_user("Administrator")
		self.assertEqual(self.count(), before)
		frappe.set_user(self.agent)
		name = channels.log_contact("Email", summary="  Asked about the VPN  ")["name"]
		self.assertEqual(frappe.db.get_value("SSP Contact Log", name, "summary"), "Asked about the VPN")

	def test_iso_time_with_an_offset_is_stored_in_system_time(self):
		frappe.set_user(self.integration)
		result = channels.log_contact("Messenger", contact_on="2025-03-03T09:15:00+02:00", summary="Hi")
		frappe.set_user("Administrator")
		expected = (
			datetime(2025, 3, 3, 7, 15, tzinfo=timezone.utc)
			.astimezone(ZoneInfo(get_system_timezone()))
			.replace(tzinfo=None)
		)
		self.assertEqual(frappe.db.get_value("SSP Contact Log", result["name"], "contact_on"), expected)
		frappe.set_user(self.integration)
		with self.assertRaises(frappe.ValidationError) as raised:
			channels.log_contact("Messenger", contact_on="2999-01-01T00:00:00Z", summary="Hi")
		self.assertIn("future", str(raised.exception))

	def test_self_service_channels_are_refused(self):
		before = self.count()
		for user in (self.agent, self.integration):
			frappe.set_user(user)
			with self.subTest(user=user), self.assertRaises(frappe.ValidationError) as raised:
				channels.log_contact("Portal", summary="should not be stored")
			self.assertIn("self-service", str(raised.exception))
		frappe.set_user("Administrator")
		self.assertEqual(self.count(), before)

	def test_integration_reads_only_its_own_logs(self):
		frappe.set_user(self.agent)
		agent_log = channels.log_contact("Phone", summary="Printer")["name"]
		frappe.set_user(self.integration)
		own = channels.log_contact("Chat", summary="Synced")["name"]
		visible = frappe.get_list("SSP Contact Log", pluck="name")
		self.assertIn(own, visible)
		self.assertNotIn(agent_log, visible)

	def test_contact_channels_leave_out_self_service_and_disabled(self):
		disabled = make_channel(is_enabled=False)
		frappe.set_user(self.agent)
		options = channels.get_contact_channels()
		self.assertIn("Phone", options)
		self.assertIn("Messenger", options)
		self.assertNotIn("Portal", options)
		self.assertNotIn(disabled, options)
