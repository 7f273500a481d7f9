"""Channel detection on a real site, one source at a time, through Helpdesk's own entry points where
they can run inside a test: the customer portal's and agent UI's ``hd_ticket.api.new``, Frappe's
``InboundMail`` for e-mail, Telephony's ``create_call_log`` for calls. REST calls cannot be made over
HTTP inside ``bench run-tests`` (one process, one DB transaction), so those tests put a werkzeug request
with the integration's Authorization header on ``frappe.local.request``, which is what Frappe itself
reads once the request is authenticated."""

from contextlib import contextmanager

import frappe
from frappe.email.receive import InboundMail
from frappe.utils import add_days, now_datetime
from helpdesk.helpdesk.doctype.hd_ticket import api as helpdesk_ticket_api
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from selfservice_portal.deflection import ticket_channels
from selfservice_portal.deflection.channel_detection import (
	SOURCE_AGENT,
	SOURCE_API,
	SOURCE_BACKFILL,
	SOURCE_CALL_LOG,
	SOURCE_DEFAULT,
	SOURCE_EMAIL,
	SOURCE_EXPLICIT,
	SOURCE_LIVE_CALL,
	SOURCE_PORTAL,
)
from selfservice_portal.patches.v0_1 import backfill_ticket_channels as backfill_patch
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	TEST_DOMAIN,
	make_agent,
	make_call_log,
	make_channel,
	make_email_account,
	make_integration_user,
	make_portal_user,
)


@contextmanager
def as_user(user: str):
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(previous)


@contextmanager
def http_request(path: str, authorization: str | None = None):
	"""The request Frappe would be serving; restored afterwards so no other test sees it."""
	headers = {"Authorization": authorization} if authorization else {}
	had_request = hasattr(frappe.local, "request")
	previous = getattr(frappe.local, "request", None)
	frappe.local.request = Request(EnvironBuilder(path=path, method="POST", headers=headers).get_environ())
	try:
		yield
	finally:
		if had_request:
			frappe.local.request = previous
		else:
			del frappe.local.request


def channel_of(ticket: str) -> tuple[str | None, str | None]:
	return tuple(frappe.db.get_value("HD Ticket", ticket, ["ssp_channel", "ssp_channel_source"]))


def insert_ticket(**values: str | int | None) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": f"SSP channel {frappe.generate_hash(length=6)}",
			"description": "<p>Help</p>",
			**values,
		}
	)
	return doc.insert().name


def helpdesk_new_ticket() -> str:
	"""Helpdesk's new-ticket page (customer portal and agent UI alike)."""
	doc = {"subject": f"SSP via new {frappe.generate_hash(length=6)}", "description": "<p>Help</p>"}
	return helpdesk_ticket_api.new(doc).name


class TestChannelDetection(IntegrationTestCase):
	def setUp(self):
		self.agent = make_agent()
		self.customer = make_portal_user()

	def test_customer_portal_is_portal(self):
		with as_user(self.customer):
			ticket = helpdesk_new_ticket()
		self.assertEqual(channel_of(ticket), ("Portal", SOURCE_PORTAL))

	def test_agent_on_helpdesk_new_ticket_page_is_other_not_portal(self):
		with as_user(self.agent):
			ticket = helpdesk_new_ticket()
		self.assertEqual(frappe.db.get_value("HD Ticket", ticket, "via_customer_portal"), 1)
		self.assertEqual(channel_of(ticket), ("Other", SOURCE_DEFAULT))

	def test_email_pulled_through_an_email_account_is_email(self):
		account = make_email_account()
		account_doc = frappe.get_doc("Email Account", account)
		sender = f"mailer-{frappe.generate_hash(length=6)}@{TEST_DOMAIN}"
		raw = (
			f"From: Mail Sender <{sender}>\r\n"
			f"To: {account_doc.email_id}\r\n"
			"Subject: Printer jammed again\r\n"
			f"Message-ID: <{frappe.generate_hash(length=12)}@{TEST_DOMAIN}>\r\n"
			"Date: Mon, 03 Mar 2025 10:00:00 +0000\r\n"
			"Content-Type: text/plain; charset=utf-8\r\n\r\n"
			"The printer on floor 2 is jammed.\r\n"
		)
		communication = InboundMail(raw, account_doc).process()
		self.assertEqual(communication.reference_doctype, "HD Ticket")
		ticket = communication.reference_name
		# Newer Frappe records the mailbox on the ticket; 15.55 records it on the e-mail only.
		self.assertIn(frappe.db.get_value("HD Ticket", ticket, "email_account"), (account, None))
		self.assertEqual(communication.email_account, account)
		self.assertEqual(channel_of(ticket), ("Email", SOURCE_EMAIL))

	def test_ticket_linked_to_a_call_becomes_phone(self):
		with as_user(self.agent):
			ticket = helpdesk_new_ticket()
			self.assertEqual(channel_of(ticket)[0], "Other")
			from telephony.api import create_call_log

			create_call_log(
				id=frappe.generate_hash(length=12),
				telephony_medium="Manual",
				from_number="+4930111222",
				to_number="+4930333444",
				duration=120,
				status="Completed",
				call_type="Incoming",
				caller=None,
				receiver=self.agent,
				links=[{"link_doctype": "HD Ticket", "link_name": ticket}],
			)
		self.assertEqual(channel_of(ticket), ("Phone", SOURCE_CALL_LOG))
		self.assertTrue(
			frappe.db.exists(
				"HD Ticket Activity", {"ticket": ticket, "action": ("like", "set channel to Phone%")}
			)
		)

	def test_call_does_not_override_a_known_channel_or_a_late_follow_up(self):
		with as_user(self.customer):
			portal_ticket = helpdesk_new_ticket()
		with as_user(self.agent):
			old_ticket = helpdesk_new_ticket()
		frappe.db.set_value("HD Ticket", old_ticket, "creation", add_days(now_datetime(), -3))
		make_call_log(self.agent, ticket=portal_ticket)
		make_call_log(self.agent, ticket=old_ticket)
		self.assertEqual(channel_of(portal_ticket), ("Portal", SOURCE_PORTAL))
		self.assertEqual(channel_of(old_ticket), ("Other", SOURCE_DEFAULT))

	def test_agent_on_a_live_call_creates_a_phone_ticket(self):
		make_call_log(self.agent, status="In Progress")
		with as_user(self.agent):
			ticket = helpdesk_new_ticket()
		self.assertEqual(channel_of(ticket), ("Phone", SOURCE_LIVE_CALL))

	def test_rest_api_with_api_keys_is_api(self):
		integration = make_integration_user()
		with as_user(self.agent), http_request("/api/resource/HD Ticket", "token abc:def"):
			by_agent_key = insert_ticket(raised_by=self.customer)
		with as_user(integration), http_request("/api/method/helpdesk.helpdesk.doctype.hd_ticket.api.new"):
			by_role = insert_ticket(raised_by=self.customer)
		self.assertEqual(channel_of(by_agent_key), ("API", SOURCE_API))
		self.assertEqual(channel_of(by_role), ("API", SOURCE_API))

	def test_agent_ui_session_on_the_api_path_is_not_api(self):
		with as_user(self.agent), http_request("/api/method/helpdesk.helpdesk.doctype.hd_ticket.api.new"):
			ticket = helpdesk_new_ticket()
		self.assertEqual(channel_of(ticket), ("Other", SOURCE_DEFAULT))

	def test_explicit_channel_from_an_integration_wins(self):
		integration = make_integration_user()
		with as_user(integration), http_request("/api/resource/HD Ticket", "token abc:def"):
			ticket = insert_ticket(raised_by=self.customer, ssp_channel="Messenger")
		self.assertEqual(channel_of(ticket), ("Messenger", SOURCE_EXPLICIT))

	def test_explicit_disabled_channel_is_refused_and_nothing_stored(self):
		disabled = make_channel(is_enabled=False)
		before = frappe.db.count("HD Ticket")
		with self.assertRaises(frappe.ValidationError):
			insert_ticket(raised_by=self.customer, ssp_channel=disabled)
		self.assertEqual(frappe.db.count("HD Ticket"), before)

	def test_customer_cannot_choose_a_channel(self):
		with as_user(self.customer):
			ticket = helpdesk_ticket_api.new(
				{"subject": "SSP sneaky", "description": "<p>x</p>", "ssp_channel": "Phone"}
			).name
		self.assertEqual(channel_of(ticket), ("Portal", SOURCE_PORTAL))

	def test_agent_correction_is_allowed_and_recorded(self):
		with as_user(self.agent):
			ticket = helpdesk_new_ticket()
			doc = frappe.get_doc("HD Ticket", ticket)
			doc.ssp_channel = "Walk-in"
			doc.save(ignore_version=False)  # Frappe skips Versions under tests unless asked
		self.assertEqual(channel_of(ticket), ("Walk-in", SOURCE_AGENT))
		self.assertTrue(
			frappe.db.exists("HD Ticket Activity", {"ticket": ticket, "action": "set channel to Walk-in"})
		)
		versions = frappe.get_all("Version", {"ref_doctype": "HD Ticket", "docname": ticket}, pluck="data")
		self.assertTrue(any('"ssp_channel"' in v and "Walk-in" in v for v in versions))

	def test_customer_cannot_change_the_channel(self):
		with as_user(self.customer):
			ticket = helpdesk_new_ticket()
			doc = frappe.get_doc("HD Ticket", ticket)
			doc.ssp_channel = "Phone"
			with self.assertRaises(frappe.PermissionError):
				doc.save()
		self.assertEqual(channel_of(ticket), ("Portal", SOURCE_PORTAL))

	def test_agent_cannot_pick_a_disabled_channel(self):
		disabled = make_channel(is_enabled=False)
		with as_user(self.agent):
			ticket = helpdesk_new_ticket()
			doc = frappe.get_doc("HD Ticket", ticket)
			doc.ssp_channel = disabled
			with self.assertRaises(frappe.ValidationError):
				doc.save()
		self.assertEqual(channel_of(ticket), ("Other", SOURCE_DEFAULT))


class TestChannelBackfill(IntegrationTestCase):
	def make_legacy(self, owner: str, via_portal: int = 0, email_account: str | None = None) -> str:
		"""A ticket as it was before detection existed: no channel, facts set directly in the row."""
		name = insert_ticket(raised_by=f"legacy-{frappe.generate_hash(length=6)}@{TEST_DOMAIN}")
		frappe.db.set_value(
			"HD Ticket",
			name,
			{
				"owner": owner,
				"via_customer_portal": via_portal,
				"email_account": email_account,
				"ssp_channel": None,
				"ssp_channel_source": None,
			},
			update_modified=False,
		)
		return name

	def test_backfill_on_constructed_tickets(self):
		agent, customer = make_agent(), make_portal_user()
		account = make_email_account()
		email = [self.make_legacy(customer, via_portal=0, email_account=account) for _ in range(2)]
		portal = [self.make_legacy(customer, via_portal=1) for _ in range(3)] + [
			self.make_legacy("Guest", via_portal=1)
		]
		agent_typed = [self.make_legacy(agent, via_portal=1), self.make_legacy("Administrator", via_portal=1)]
		called = self.make_legacy(agent)
		make_call_log(agent, ticket=called)
		frappe.db.set_value("HD Ticket", called, {"ssp_channel": None, "ssp_channel_source": None})
		plain = self.make_legacy(agent)
		kept = insert_ticket(raised_by=customer, ssp_channel="Messenger")
		ours = [*email, *portal, *agent_typed, called, plain, kept]

		# Hand count: 2 Email, 4 Portal (3 customers + a guest), 1 Phone, 3 Other, 1 untouched Messenger.
		ticket_channels.backfill_ticket_channels(batch_size=3)
		rows = frappe.get_all(
			"HD Ticket", {"name": ("in", ours)}, ["name", "ssp_channel", "ssp_channel_source"]
		)
		counts = {}
		for row in rows:
			counts[row.ssp_channel] = counts.get(row.ssp_channel, 0) + 1
		self.assertEqual(counts, {"Email": 2, "Portal": 4, "Phone": 1, "Other": 3, "Messenger": 1})
		by_name = {row.name: row for row in rows}
		self.assertEqual(by_name[called].ssp_channel, "Phone")
		self.assertEqual(by_name[kept].ssp_channel_source, SOURCE_EXPLICIT)
		self.assertTrue(all(by_name[n].ssp_channel_source == SOURCE_BACKFILL for n in ours if n != kept))

		# Idempotent: nothing left to fill, nothing rewritten.
		self.assertEqual(ticket_channels.backfill_ticket_channels(batch_size=3), 0)
		self.assertFalse(frappe.db.count("HD Ticket", {"ssp_channel": ("is", "not set")}))

	def test_patch_runs_and_is_idempotent(self):
		ticket = self.make_legacy(make_portal_user(), via_portal=1)
		backfill_patch.execute()
		backfill_patch.execute()
		self.assertEqual(channel_of(ticket), ("Portal", SOURCE_BACKFILL))

	def test_batched_backfill_matches_one_statement(self):
		customer = make_portal_user()
		names = [self.make_legacy(customer, via_portal=i % 2) for i in range(7)]
		frappe.db.sql(
			ticket_channels.backfill_sql(ticket_channels.has_call_log_tables(), bounded=False),
			ticket_channels.backfill_params(),
		)
		single = frappe.get_all(
			"HD Ticket", {"name": ("in", names)}, ["name", "ssp_channel"], order_by="name"
		)
		frappe.db.sql(
			"UPDATE `tabHD Ticket` SET ssp_channel = NULL WHERE name IN %(names)s", {"names": names}
		)
		ticket_channels.backfill_ticket_channels(batch_size=2)
		batched = frappe.get_all(
			"HD Ticket", {"name": ("in", names)}, ["name", "ssp_channel"], order_by="name"
		)
		self.assertEqual(single, batched)
		self.assertEqual(sorted(r.ssp_channel for r in batched), ["Other"] * 4 + ["Portal"] * 3)
