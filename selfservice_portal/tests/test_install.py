"""Install lifecycle on a real site: our fields exist after install, vanish on uninstall, come back on
reinstall, and Helpdesk's own records survive every step."""

import frappe

from selfservice_portal.contests.fair_play import text_length
from selfservice_portal.patches.v0_1 import create_custom_fields as custom_fields_patch
from selfservice_portal.setup import install
from selfservice_portal.setup.custom_fields import get_custom_fields
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_article,
	make_portal_user,
	make_team,
	make_ticket,
)

DATA_FIELDTYPES_WITHOUT_COLUMN = {"Section Break", "Column Break", "Tab Break", "HTML"}


def our_fields():
	for doctype, fields in get_custom_fields().items():
		for df in fields:
			yield doctype, df


def helpdesk_snapshot(ticket: str, article: str, team: str) -> dict:
	return {
		"tickets": frappe.db.count("HD Ticket"),
		"articles": frappe.db.count("HD Article"),
		"teams": frappe.db.count("HD Team"),
		"ticket": frappe.db.get_value("HD Ticket", ticket, ["subject", "raised_by", "agent_group", "status"]),
		"article": frappe.db.get_value("HD Article", article, ["title", "status", "category"]),
		"team_members": sorted(frappe.get_all("HD Team Member", {"parent": team}, pluck="user")),
	}


class TestInstallLifecycle(IntegrationTestCase):
	def assert_fields_installed(self):
		for doctype, df in our_fields():
			self.assertTrue(
				frappe.db.exists("Custom Field", {"dt": doctype, "fieldname": df["fieldname"]}),
				f"{doctype}.{df['fieldname']} missing",
			)
			self.assertIsNotNone(frappe.get_meta(doctype).get_field(df["fieldname"]))
			if df["fieldtype"] not in DATA_FIELDTYPES_WITHOUT_COLUMN:
				self.assertTrue(frappe.db.has_column(doctype, df["fieldname"]))

	def assert_fields_removed(self):
		for doctype, df in our_fields():
			self.assertFalse(frappe.db.exists("Custom Field", {"dt": doctype, "fieldname": df["fieldname"]}))
			self.assertIsNone(frappe.get_meta(doctype).get_field(df["fieldname"]))
			self.assertFalse(frappe.db.has_column(doctype, df["fieldname"]))

	def test_custom_fields_present_after_install(self):
		self.assert_fields_installed()
		channel_field = frappe.get_meta("HD Ticket").get_field("ssp_channel")
		self.assertEqual(channel_field.options, "SSP Channel")
		self.assertTrue(channel_field.search_index)

	def test_default_channels_seeded(self):
		channels = {c.name: c for c in frappe.get_all("SSP Channel", fields=["name", "is_self_service"])}
		for name in ("Portal", "Email", "Phone", "Messenger", "Chat", "Walk-in", "API", "Other"):
			self.assertIn(name, channels)
		self.assertEqual(channels["Portal"].is_self_service, 1)
		self.assertEqual(channels["Email"].is_self_service, 0)

	def test_install_hooks_are_idempotent(self):
		fields_before = frappe.db.count("Custom Field", {"fieldname": ("like", "ssp_%")})
		channels_before = frappe.db.count("SSP Channel")
		install.after_install()
		install.after_install()
		install.after_migrate()
		custom_fields_patch.execute()
		self.assertEqual(frappe.db.count("Custom Field", {"fieldname": ("like", "ssp_%")}), fields_before)
		self.assertEqual(frappe.db.count("SSP Channel"), channels_before)

	def test_admin_edits_to_channels_survive_reinstall(self):
		frappe.db.set_value("SSP Channel", "Other", "description", "Edited by the admin")
		install.after_install()
		self.assertEqual(frappe.db.get_value("SSP Channel", "Other", "description"), "Edited by the admin")

	def test_uninstall_then_reinstall_keeps_helpdesk_data(self):
		agent = make_agent()
		team = make_team(agents=(agent,))
		article = make_article()
		ticket = make_ticket(make_portal_user(), team=team, channel="Phone")
		before = helpdesk_snapshot(ticket, article, team)

		try:
			install.before_uninstall()
			self.assert_fields_removed()
			self.assertEqual(helpdesk_snapshot(ticket, article, team), before)
			# Helpdesk keeps working without our fields.
			raised_meanwhile = (
				frappe.get_doc(
					{
						"doctype": "HD Ticket",
						"subject": "Raised while uninstalled",
						"raised_by": make_portal_user(),
					}
				)
				.insert(ignore_permissions=True)
				.name
			)
		finally:
			install.after_install()
			# Uninstalling drops columns, and DDL commits: the test class's rollback cannot undo it.
			# Commit the reinstall too, or the rollback would leave the site with the fields' columns but
			# without what after_install re-created after its last DDL (HD Form Scripts, template rows).
			frappe.db.commit()  # nosemgrep: restores the installed state the DDL above already committed

		self.assert_fields_installed()
		after = helpdesk_snapshot(ticket, article, team)
		self.assertEqual(after["tickets"], before["tickets"] + 1)
		for key in ("articles", "teams", "ticket", "article", "team_members"):
			self.assertEqual(after[key], before[key], key)
		# Nothing stale resurfaces: the dropped column is re-derived by the backfill rules
		# (no e-mail account, not via the portal: Other), not the old "Phone".
		self.assertEqual(frappe.db.get_value("HD Ticket", ticket, "ssp_channel"), "Other")
		# ... and the text length every ticket needs for contests is filled in again.
		self.assertFalse(frappe.db.exists("HD Ticket", {"ssp_text_length": ("<", 0)}))
		for name in (ticket, raised_meanwhile):
			subject, description, length = frappe.db.get_value(
				"HD Ticket", name, ["subject", "description", "ssp_text_length"]
			)
			self.assertEqual(length, text_length(subject, description))

	def test_app_requires_helpdesk(self):
		self.assertIn("helpdesk", frappe.get_hooks("required_apps", app_name="selfservice_portal"))
		self.assertIn("selfservice_portal", frappe.get_installed_apps())
