"""Notifications go through Email Templates the install creates, that admins may reword.

setup.install calls ensure_email_templates after install and migrate, remove_email_templates before
the uninstall; the real install, uninstall and reinstall run in CI (.ci/run). The first class commits
nothing (its rollback restores the templates); the HTTP class commits its users for the server and puts
the template's wording back at the end."""

import frappe

from selfservice_portal import notifications
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.served import ServedSiteTestCase, set_password
from selfservice_portal.tests.test_utils import TEST_DOMAIN, make_agent, make_portal_user, make_system_manager

TEMPLATE = "SSP Approval Needed"

CONTEXT = {
	"request_name": "REQ-1",
	"service_title": "Laptop",
	"requester": "someone@example.com",
	"link": "https://example.com/open",
	"approve_link": "https://example.com/approve",
	"reject_link": "https://example.com/reject",
}


class TestEmailTemplates(IntegrationTestCase):
	def test_every_template_source_is_installed(self):
		sources = notifications.template_sources()
		self.assertIn("SSP Approval Needed", sources)
		for name in sources:
			self.assertTrue(frappe.db.exists("Email Template", name), name)

	def test_an_admins_wording_survives_a_migrate_and_is_sent(self):
		template = frappe.get_doc("Email Template", "SSP Approval Needed")
		self.addCleanup(frappe.db.set_value, "Email Template", template.name, "subject", template.subject)
		template.subject = "Decide {{ request_name }}"
		template.save()
		notifications.ensure_email_templates()  # what every migrate does
		self.assertEqual(
			frappe.db.get_value("Email Template", "SSP Approval Needed", "subject"),
			"Decide {{ request_name }}",
		)
		user = make_portal_user()
		notifications.send("SSP Approval Needed", [user], CONTEXT, link=CONTEXT["link"])
		log = frappe.get_last_doc("Notification Log", filters={"for_user": user})
		self.assertEqual((log.subject, log.email_content), ("Decide REQ-1", CONTEXT["link"]))

	def test_a_deleted_template_is_recreated_and_meanwhile_rendered_from_its_file(self):
		frappe.delete_doc("Email Template", "SSP Approval Needed", force=True)
		subject, message = notifications.render("SSP Approval Needed", CONTEXT)
		self.assertEqual(subject, "Approval needed: Laptop for someone@example.com")
		self.assertIn('<a href="https://example.com/approve">Approve</a>', message)
		notifications.ensure_email_templates()
		self.assertTrue(frappe.db.exists("Email Template", "SSP Approval Needed"))

	def test_the_uninstall_removes_them(self):
		notifications.remove_email_templates()
		self.assertFalse(frappe.db.exists("Email Template", {"name": ("like", "SSP %")}))
		notifications.ensure_email_templates()
		self.assertTrue(frappe.db.exists("Email Template", "SSP Approval Needed"))


class TestTemplateWordingOverHTTP(ServedSiteTestCase):
	"""Helpdesk gives agents write access to Email Templates; ours stay the admins' through every door."""

	@classmethod
	def make_fixtures(cls) -> None:
		cls.agent = set_password(make_agent(f"template-agent@{TEST_DOMAIN}", first_name="Template"))
		cls.admin = set_password(make_system_manager())
		cls.original = frappe.db.get_value("Email Template", TEMPLATE, "subject")

	@classmethod
	def tearDownClass(cls) -> None:
		frappe.db.set_value("Email Template", TEMPLATE, "subject", cls.original)
		frappe.db.delete("Email Template", {"name": "SSP Planted"})
		frappe.db.commit()  # nosemgrep: the served site committed the admin's change
		super().tearDownClass()

	def test_an_agent_cannot_reword_delete_or_plant_our_templates(self):
		agent = self.client(self.agent)
		path = f"/api/resource/Email Template/{TEMPLATE}"
		self.assertEqual(agent.request("GET", path).status_code, 200)  # Helpdesk's own rule: agents read
		self.assertEqual(agent.request("PUT", path, json={"subject": "Click here"}).status_code, 403)
		self.assertEqual(agent.request("DELETE", path).status_code, 403)
		planted = {"name": "SSP Planted", "subject": "x", "response": "x"}
		self.assertEqual(agent.request("POST", "/api/resource/Email Template", json=planted).status_code, 403)
		answer = agent.call(
			"frappe.client.set_value", doctype="Email Template", name=TEMPLATE, fieldname="subject", value="x"
		)
		self.assertEqual(answer.status_code, 403)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Email Template", TEMPLATE, "subject"), self.original)
		self.assertFalse(frappe.db.exists("Email Template", "SSP Planted"))
		# A System Manager rewords it.
		admin = self.client(self.admin)
		self.assertEqual(admin.request("PUT", path, json={"subject": "Decide"}).status_code, 200)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Email Template", TEMPLATE, "subject"), "Decide")
