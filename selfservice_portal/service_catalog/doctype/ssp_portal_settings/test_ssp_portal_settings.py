# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe

from selfservice_portal.tests.served import ServedSiteTestCase, set_password
from selfservice_portal.tests.test_utils import make_agent, make_portal_user, make_role_user

SETTINGS = "SSP Portal Settings"


class TestSSPPortalSettings(ServedSiteTestCase):
	"""The welcome text is the admins' to write, and what they write cannot run in a user's browser."""

	@classmethod
	def make_fixtures(cls):
		cls.user = set_password(make_portal_user(first_name="Welcome"))
		cls.agent = set_password(make_agent(first_name="Welcome"))
		cls.manager = set_password(make_role_user("SSP Manager", "Welcome"))
		cls.previous = frappe.get_single(SETTINGS).as_dict()

	@classmethod
	def tearDownClass(cls):
		frappe.db.set_single_value(
			SETTINGS, {k: cls.previous.get(k) for k in ("welcome_title", "welcome_text")}
		)
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		frappe.db.commit()  # nosemgrep: the served site saw the committed values
		super().tearDownClass()

	def test_only_managers_write_the_welcome(self):
		body = {"welcome_title": "Hijacked"}
		for user in (self.user, self.agent):
			response = self.client(user).resource("PUT", SETTINGS, SETTINGS, json=body)
			self.assertEqual(response.status_code, 403, (user, response.text[:200]))
		response = self.client(self.manager).resource(
			"PUT",
			SETTINGS,
			SETTINGS,
			json={
				"welcome_title": "Your IT, HR and Facilities desk",
				"welcome_text": '<p>Ask here first.</p><script>alert("x")</script><img src=x onerror="alert(1)">',
			},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])

		page = self.client(self.user).request("GET", "/self-service")
		self.assertEqual(page.status_code, 200)
		self.assertIn("Your IT, HR and Facilities desk", page.text)
		self.assertIn("Ask here first.", page.text)
		self.assertFalse('<script>alert("x")' in page.text, "the script tag must not survive")
		self.assertFalse("onerror" in page.text, "event handlers must not survive")

	def test_empty_welcome_falls_back_to_the_built_in_text(self):
		frappe.db.set_single_value(SETTINGS, {"welcome_title": None, "welcome_text": None})
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		frappe.db.commit()  # nosemgrep: the served site must see it
		page = self.client(self.user).request("GET", "/self-service")
		self.assertIn("Welcome to self-service", page.text)
		self.assertIn("Ask for what you need from every department in one place", page.text)
