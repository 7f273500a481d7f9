"""Idempotent builders for Helpdesk records, shared by the demo and the test factories.

Each ``ensure_*`` returns the record's name and creates it only when missing, so the demo can run
any number of times and tests can ask for the same fixture repeatedly.
"""

from datetime import date

import frappe
from frappe.utils import add_days, get_datetime, getdate

from selfservice_portal.deflection.channel_detection import SOURCE_BACKFILL, SOURCE_EXPLICIT


def ensure_customer(customer_name: str, domain: str | None = None) -> str:
	if not frappe.db.exists("HD Customer", customer_name):
		frappe.get_doc({"doctype": "HD Customer", "customer_name": customer_name, "domain": domain}).insert(
			ignore_permissions=True
		)
	return customer_name


def ensure_user(email: str, first_name: str, last_name: str = "", user_type: str = "Website User") -> str:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name,
				"last_name": last_name,
				"user_type": user_type,
				"send_welcome_email": 0,
				"enabled": 1,
			}
		).insert(ignore_permissions=True)
	return email


def ensure_portal_user(email: str, first_name: str, last_name: str = "", customer: str | None = None) -> str:
	"""A Helpdesk customer-portal user: a Website User with a Contact linked to it (and the customer).

	Frappe may already have made the Contact when the User was inserted; link whatever exists.
	"""
	ensure_user(email, first_name, last_name, user_type="Website User")
	name = frappe.db.get_value("Contact", {"user": email}) or frappe.db.get_value(
		"Contact", {"email_id": email}
	)
	if name:
		contact = frappe.get_doc("Contact", name)
	else:
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": first_name,
				"last_name": last_name,
				"email_ids": [{"email_id": email, "is_primary": 1}],
			}
		)
	changed = contact.user != email
	contact.user = email
	if customer and not any(
		link.link_doctype == "HD Customer" and link.link_name == customer for link in contact.links
	):
		contact.append("links", {"link_doctype": "HD Customer", "link_name": customer})
		changed = True
	if not name:
		contact.insert(ignore_permissions=True)
	elif changed:
		contact.save(ignore_permissions=True)
	return email


def ensure_agent(email: str, first_name: str, last_name: str = "", is_manager: bool = False) -> str:
	ensure_user(email, first_name, last_name, user_type="System User")
	if not frappe.db.exists("HD Agent", email):
		frappe.get_doc(
			{
				"doctype": "HD Agent",
				"user": email,
				"agent_name": f"{first_name} {last_name}".strip(),
				"is_active": 1,
			}
		).insert(ignore_permissions=True)
	if is_manager:
		user = frappe.get_doc("User", email)
		user.add_roles("Agent Manager")
	return email


def ensure_team(team_name: str, agents: list[str] | tuple[str, ...] = ()) -> str:
	# Not doc.is_new(): a Document made from a dict is not flagged as new until it is saved.
	exists = bool(frappe.db.exists("HD Team", team_name))
	team = frappe.get_doc("HD Team", team_name) if exists else frappe.new_doc("HD Team", team_name=team_name)
	members = {row.user for row in team.users}
	missing = [agent for agent in agents if agent not in members]
	for agent in missing:
		team.append("users", {"user": agent})
	if not exists:
		team.insert(ignore_permissions=True)
	elif missing:
		team.save(ignore_permissions=True)
	return team.name


def ensure_article_category(category_name: str) -> str:
	name = frappe.db.get_value("HD Article Category", {"category_name": category_name})
	if not name:
		name = (
			frappe.get_doc({"doctype": "HD Article Category", "category_name": category_name})
			.insert(ignore_permissions=True)
			.name
		)
	return name


def ensure_article(title: str, content: str, category: str, author: str = "Administrator") -> str:
	name = frappe.db.get_value("HD Article", {"title": title})
	if not name:
		name = (
			frappe.get_doc(
				{
					"doctype": "HD Article",
					"title": title,
					"content": content,
					"category": ensure_article_category(category),
					"author": author,
					"status": "Published",
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	return name


def ensure_ticket(
	subject: str,
	raised_by: str,
	team: str | None = None,
	channel: str | None = None,
	opened_on: date | None = None,
	description: str | None = None,
	is_resolved: bool = False,
) -> str:
	"""A ticket identified by (subject, raiser, opening date); back-dated when ``opened_on`` is given."""
	opening_date = getdate(opened_on) if opened_on else getdate()
	existing = frappe.db.get_value(
		"HD Ticket",
		{"subject": subject, "raised_by": raised_by, "opening_date": opening_date},
		["name", "ssp_channel", "ssp_channel_source"],
		as_dict=True,
	)
	if existing:
		if channel and (not existing.ssp_channel or existing.ssp_channel_source == SOURCE_BACKFILL):
			# An uninstall dropped the column and the reinstall could only guess: restore the plan.
			frappe.db.set_value(
				"HD Ticket",
				existing.name,
				{"ssp_channel": channel, "ssp_channel_source": SOURCE_EXPLICIT},
				update_modified=False,
			)
		return existing.name
	ticket = frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": subject,
			"raised_by": raised_by,
			"agent_group": team,
			"ssp_channel": channel,
			"via_customer_portal": int(channel == "Portal"),
			"description": description or f"<p>{frappe.utils.escape_html(subject)}</p>",
		}
	).insert(ignore_permissions=True)
	if opened_on or is_resolved:
		backdate_ticket(ticket.name, opening_date, is_resolved)
	return ticket.name


def backdate_ticket(ticket: str, opening_date: date, is_resolved: bool) -> None:
	"""History for demos: move creation back in time, optionally closing it two days later."""
	opened_at = get_datetime(f"{opening_date} 10:00:00")
	values = {"creation": opened_at, "opening_date": opening_date, "opening_time": "10:00:00"}
	if is_resolved:
		values.update(
			{
				"status": "Closed",
				"status_category": "Resolved",
				"resolution_date": get_datetime(f"{add_days(opening_date, 2)} 16:00:00"),
			}
		)
	frappe.db.set_value("HD Ticket", ticket, values, update_modified=False)
