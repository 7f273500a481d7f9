"""Notifications go through Email Templates the install creates, that admins may reword.

setup.install calls ensure_email_templates after install and migrate, remove_email_templates before
the uninstall; the real install, uninstall and reinstall run in CI (.ci/run). Nothing here commits: the
class's rollback restores the templates."""

import frappe

from selfservice_portal import notifications
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_portal_user

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
