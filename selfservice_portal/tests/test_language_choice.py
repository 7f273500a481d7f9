"""A portal user picks the portal's language on the self-service home, over HTTP, as themselves."""

import frappe
from frappe import _

from selfservice_portal.tests.served import ServedSiteTestCase, set_password
from selfservice_portal.tests.test_utils import TEST_DOMAIN, make_portal_user

METHOD = "selfservice_portal.api.portal.set_language"


class TestLanguageChoice(ServedSiteTestCase):
	@classmethod
	def make_fixtures(cls):
		cls.user = set_password(make_portal_user(f"language-chooser@{TEST_DOMAIN}", first_name="Lena"))
		frappe.db.set_value("User", cls.user, "language", None)

	def setUp(self):
		super().setUp()
		self.addCleanup(self.reset_language)

	def reset_language(self):
		frappe.db.set_value("User", self.user, "language", None)
		frappe.db.commit()  # nosemgrep: the server reads it
		frappe.clear_cache(user=self.user)

	def stored_language(self):
		frappe.db.rollback()  # see what the server committed
		return frappe.db.get_value("User", self.user, "language")

	def test_the_home_offers_the_shipped_languages(self):
		page = self.client(self.user).request("GET", "/self-service")
		self.assertEqual(page.status_code, 200)
		for code, name in (("ar", "العربية"), ("ru", "русский"), ("zh", "简体中文")):
			self.assertIn(f'<option value="{code}" lang="{code}"', page.text)
			self.assertIn(name, page.text)

	def test_a_user_switches_the_portal_to_arabic(self):
		client = self.client(self.user)
		response = client.call(METHOD, language="ar")
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertEqual(self.stored_language(), "ar")

		page = client.request("GET", "/self-service")
		self.assertIn('<html lang="ar"', page.text)
		self.assertIn('document.documentElement.dir = "rtl"', page.text)
		heading = "Departments"  # a variable, so that the gettext extractor does not read "ar" as a context
		departments = _(heading, lang="ar")
		self.assertNotEqual(departments, "Departments", "no Arabic translation compiled (bench build)")
		self.assertIn(departments, page.text)

	def test_only_shipped_languages_and_only_signed_in_users(self):
		self.assertEqual(self.client().call(METHOD, language="ar").status_code, 403)
		client = self.client(self.user)
		for language in ("de", "xx", "<b>ar</b>", "a" * 200, ""):
			with self.subTest(language=language):
				response = client.call(METHOD, language=language)
				self.assertIn(response.status_code, (400, 417), response.text[:300])
				self.assertNotIn("<b>", response.text)
		self.assertIsNone(self.stored_language())
