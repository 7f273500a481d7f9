"""Every test factory lives here; they reuse the demo's idempotent builders so fixtures and demo
data are made the same way."""

import frappe

from selfservice_portal.demo.records import (
	ensure_agent,
	ensure_article,
	ensure_customer,
	ensure_portal_user,
	ensure_team,
	ensure_ticket,
)
from selfservice_portal.setup.install import ensure_default_channels

TEST_DOMAIN = "ssp-test.example"
TEST_CUSTOMER = "SSP Test Customer"


TEST_OUTBOX = "SSP Test Outbox"


def before_tests() -> None:
	ensure_default_channels()
	ensure_customer(TEST_CUSTOMER, TEST_DOMAIN)
	# A default outgoing mailbox that never connects, as Frappe's own test records make one: without
	# any, Frappe (15.101) sends test-mode notification mail through a placeholder account with no
	# address, which fails any test whose save notifies someone (an assignment, say).
	if not frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}):
		make_outgoing_email_account(TEST_OUTBOX)
	frappe.db.commit()  # nosemgrep: seed data must survive each test class's rollback


def unique_email(prefix: str) -> str:
	return f"{prefix}-{frappe.generate_hash(length=8)}@{TEST_DOMAIN}"


def make_portal_user(
	email: str | None = None, first_name: str = "Portal", customer: str | None = TEST_CUSTOMER
) -> str:
	return ensure_portal_user(email or unique_email("portal"), first_name, "User", customer)


def make_outsider() -> str:
	"""A portal user of no customer: Helpdesk shows them none of the test customer's tickets."""
	return make_portal_user(
		f"outsider-{frappe.generate_hash(length=8)}@elsewhere.example", "Outsider", customer=None
	)


def make_agent(email: str | None = None, first_name: str = "Agent", is_manager: bool = False) -> str:
	return ensure_agent(email or unique_email("agent"), first_name, "Tester", is_manager=is_manager)


def make_team(team_name: str | None = None, agents: tuple[str, ...] = ()) -> str:
	return ensure_team(team_name or f"SSP Team {frappe.generate_hash(length=6)}", agents)


def make_article(title: str | None = None, category: str = "SSP Test Category") -> str:
	return ensure_article(title or f"SSP Article {frappe.generate_hash(length=6)}", "<p>Body</p>", category)


def make_ticket(
	raised_by: str,
	subject: str | None = None,
	team: str | None = None,
	channel: str | None = None,
	description: str | None = None,
) -> str:
	return ensure_ticket(
		subject or f"SSP Ticket {frappe.generate_hash(length=6)}",
		raised_by,
		team=team,
		channel=channel,
		description=description,
	)


def make_department(team: str | None = None, head_user: str | None = None, name: str | None = None) -> str:
	name = name or f"SSP Dept {frappe.generate_hash(length=6)}"
	if not frappe.db.exists("SSP Department", name):
		frappe.get_doc(
			{
				"doctype": "SSP Department",
				"department_name": name,
				"hd_team": team or make_team(),
				"head_user": head_user,
				"icon": "🧪",
			}
		).insert(ignore_permissions=True)
	return name


def make_service(
	department: str | None = None,
	title: str | None = None,
	fields: list[dict] | None = None,
	approval_steps: list[dict] | None = None,
	visibility: str = "Everyone",
	roles: tuple[str, ...] = (),
	audience: tuple[tuple[str, str], ...] = (),
	**values,
) -> str:
	"""A service with a small default form (a required Data and an optional Text field)."""
	doc = frappe.get_doc(
		{
			"doctype": "SSP Service",
			"title": title or f"SSP Service {frappe.generate_hash(length=6)}",
			"department": department or make_department(),
			"form_fields": fields
			if fields is not None
			else [
				{"label": "What", "fieldtype": "Data", "is_required": 1},
				{"label": "Details", "fieldtype": "Text"},
			],
			"approval_steps": approval_steps or [],
			"visibility": visibility,
			"visible_roles": [{"role": r} for r in roles],
			"visible_to": [{"audience_doctype": dt, "audience_name": n} for dt, n in audience],
			**values,
		}
	).insert(ignore_permissions=True)
	return doc.name


def make_role_user(role: str, first_name: str, email: str | None = None) -> str:
	"""A Desk user whose only role is ``role``."""
	email = email or unique_email(frappe.scrub(role).replace("_", "-"))
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name,
				"send_welcome_email": 0,
				"roles": [{"role": role}],
			}
		).insert(ignore_permissions=True)
	return email


def make_integration_user(email: str | None = None) -> str:
	"""A user an integration signs in as: the "SSP Integration" role and nothing else."""
	return make_role_user("SSP Integration", "Integration", email)


def make_channel(name: str | None = None, is_enabled: bool = True, is_self_service: bool = False) -> str:
	name = name or f"SSP Channel {frappe.generate_hash(length=6)}"
	if not frappe.db.exists("SSP Channel", name):
		frappe.get_doc(
			{
				"doctype": "SSP Channel",
				"channel_name": name,
				"is_enabled": int(is_enabled),
				"is_self_service": int(is_self_service),
			}
		).insert(ignore_permissions=True)
	return name


def ensure_email_account(name: str, **values) -> str:
	"""A test mailbox that never connects (no password, no SMTP authentication, so validation skips the
	connection test), addressed after its name."""
	if not frappe.db.exists("Email Account", name):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": name,
				"email_id": f"{frappe.scrub(name)}@{TEST_DOMAIN}",
				"enable_incoming": 0,
				"no_smtp_authentication": 1,
				**values,
			}
		).insert(ignore_permissions=True)
	return name


def make_email_account(name: str | None = None) -> str:
	"""An incoming Helpdesk mailbox (incoming and outgoing disabled); tests feed it mail through
	Frappe's own InboundMail."""
	return ensure_email_account(
		name or f"SSP Inbox {frappe.generate_hash(length=6)}",
		append_to="HD Ticket",
		enable_outgoing=0,
		awaiting_password=0,
	)


def make_outgoing_email_account(name: str | None = None) -> str:
	"""The site's default outgoing mailbox, on a remote SMTP server: tests queue mail but never send it."""
	return ensure_email_account(
		name or f"SSP Outbox {frappe.generate_hash(length=6)}",
		enable_outgoing=1,
		default_outgoing=1,
		smtp_server="smtp.ssp-test.example",
	)


def make_contest_manager(first_name: str = "Contest") -> str:
	"""A Desk user whose only extra role is SSP Manager: runs contests, nothing else."""
	return make_role_user("SSP Manager", first_name, unique_email("contest-manager"))


def make_call_log(agent: str, ticket: str | None = None, status: str = "Completed", start_time=None) -> str:
	"""A Telephony call received by ``agent``, optionally linked to a ticket as Helpdesk's call-log
	modal does (Dynamic Link row)."""
	doc = frappe.get_doc(
		{
			"doctype": "TP Call Log",
			"id": frappe.generate_hash(length=12),
			"telephony_medium": "Manual",
			"type": "Incoming",
			"status": status,
			"from": "+4930123456",
			"to": "+4930654321",
			"receiver": agent,
			"start_time": start_time,
			"links": [{"link_doctype": "HD Ticket", "link_name": ticket}] if ticket else [],
		}
	).insert(ignore_permissions=True)
	return doc.name


def make_badge(user: str, tier: str = "Gold") -> str:
	name = frappe.generate_hash(length=10)
	frappe.get_doc(
		{
			"doctype": "SSP Badge Award",
			"name": name,
			"user": user,
			"contest": "demo",
			"contest_title": "Portal Champions",
			"nomination_key": frappe.generate_hash(length=6),
			"nomination_title": "Most independent user",
			"place": 1,
			"tier": tier,
			"period_label": "H2 2026",
			"awarded_on": frappe.utils.now_datetime(),
			"status": "Active",
		}
	).db_insert()
	return name


def make_standing(contest: str, nomination_key: str, user: str, rank: int, score: float) -> str:
	"""One judged standing (unranked when ``rank`` is 0), inserted as judging writes standings: straight
	into the table, so its user need not exist."""
	doc = frappe.get_doc(
		{
			"doctype": "SSP Contest Standing",
			"contest": contest,
			"nomination_key": nomination_key,
			"user": user,
			"score": score,
			"base": score,
			"rank": rank,
			"is_eligible": int(rank > 0),
			"review_status": "Not Needed",
		}
	)
	doc.db_insert()
	return doc.name


def page_context(page, as_user: str, **query) -> frappe._dict:
	"""A www page's get_context as ``as_user`` with ``query`` in the form dict."""
	frappe.set_user(as_user)
	frappe.local.form_dict = frappe._dict(query)
	try:
		return page.get_context(frappe._dict())
	finally:
		frappe.local.form_dict = frappe._dict()


def make_helpdesk_form_ticket(requester: str, service: str, subject: str = "Leave please"):
	"""A ticket as Helpdesk's own new-ticket form raises it, with a service picked (ssp_service field),
	inserted as the signed-in user."""
	return frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": subject,
			"raised_by": requester,
			"ssp_service": service,
			"via_customer_portal": 1,
		}
	).insert()


def make_system_manager() -> str:
	"""A Desk user whose only role is System Manager."""
	return make_role_user("System Manager", "System", unique_email("sysmgr"))


def make_draft_contest(metric: str = "portal_tickets") -> str:
	"""A draft contest of the test customer starting tomorrow, with one nomination."""
	start = frappe.utils.add_days(frappe.utils.now_datetime(), 1)
	return (
		frappe.get_doc(
			{
				"doctype": "SSP Contest",
				"title": f"Contest {frappe.generate_hash(length=5)}",
				"starts_on": start,
				"ends_on": frappe.utils.add_days(start, 30),
				"audience_type": "Selected Customers and Contacts",
				"audience": [{"audience_doctype": "HD Customer", "audience_name": TEST_CUSTOMER}],
				"nominations": [{"nomination_title": "Most portal requests", "metric": metric}],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


POLL_QUESTIONS = (
	{"question": "Which do you use most?", "kind": "Single Choice", "options": "A\nB\nC", "is_required": 1},
	{"question": "What is missing?", "kind": "Multiple Choice", "options": "X\nY\nZ"},
	{"question": "How easy is the portal?", "kind": "Rating 1-5", "is_required": 1},
	{"question": "Would you recommend it?", "kind": "Likelihood 0-10"},
	{"question": "Anything else?", "kind": "Short Text"},
)


def make_poll(
	customer: str | None = None, is_anonymous: bool = False, is_open: bool = True, questions=POLL_QUESTIONS
) -> str:
	"""A poll of one customer's contacts (a fresh customer unless given), opened unless ``is_open`` is
	false; its five questions are POLL_QUESTIONS (single choice, multiple choice, 1-5, 0-10, text)."""
	from selfservice_portal.deflection import polls

	customer = customer or ensure_customer(f"SSP Poll Customer {frappe.generate_hash(length=6)}")
	doc = frappe.get_doc(
		{
			"doctype": "SSP Poll",
			"title": f"Poll {frappe.generate_hash(length=5)}",
			"introduction": "Three minutes, please.",
			"is_anonymous": int(is_anonymous),
			"audience_type": "Selected Customers and Contacts",
			"audience": [{"audience_doctype": "HD Customer", "audience_name": customer}],
			"questions": [dict(q) for q in questions],
		}
	).insert(ignore_permissions=True)
	if is_open:
		polls.open_poll(doc)
	return doc.name
