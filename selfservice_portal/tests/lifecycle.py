"""Checks that `.ci/run` drives through the real CLI: install, demo twice, uninstall, reinstall.

Called with `bench --site SITE execute selfservice_portal.tests.lifecycle.<fn>`; it must work while
the app is *not* installed on the site, so it touches only Helpdesk and Frappe DocTypes.
"""

import hashlib
import json

import frappe

CI_MARK = "ssp-ci"


def seed_helpdesk_data() -> dict:
	"""Helpdesk records made before our app exists on the site, with Helpdesk's own DocTypes only."""
	agent = f"agent@{CI_MARK}.example"
	if not frappe.db.exists("User", agent):
		frappe.get_doc(
			{"doctype": "User", "email": agent, "first_name": "CI Agent", "send_welcome_email": 0}
		).insert(ignore_permissions=True)
		frappe.get_doc({"doctype": "HD Agent", "user": agent, "agent_name": "CI Agent"}).insert(
			ignore_permissions=True
		)
	if not frappe.db.exists("HD Team", "CI Team"):
		frappe.get_doc({"doctype": "HD Team", "team_name": "CI Team", "users": [{"user": agent}]}).insert(
			ignore_permissions=True
		)
	category = frappe.db.get_value("HD Article Category", {"category_name": "CI Category"}) or (
		frappe.get_doc({"doctype": "HD Article Category", "category_name": "CI Category"})
		.insert(ignore_permissions=True)
		.name
	)
	for i in range(3):
		title = f"CI article {i}"
		if not frappe.db.exists("HD Article", {"title": title}):
			frappe.get_doc(
				{
					"doctype": "HD Article",
					"title": title,
					"content": f"<p>Body {i}</p>",
					"category": category,
					"status": "Published",
				}
			).insert(ignore_permissions=True)
		subject = f"CI ticket {i}"
		if not frappe.db.exists("HD Ticket", {"subject": subject}):
			frappe.get_doc(
				{
					"doctype": "HD Ticket",
					"subject": subject,
					"raised_by": f"customer{i}@{CI_MARK}.example",
					"agent_group": "CI Team",
					"description": f"<p>Problem {i}</p>",
				}
			).insert(ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: CLI helper, runs outside a request
	return helpdesk_snapshot()


def _digest(rows) -> str:
	return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()


def helpdesk_snapshot() -> dict:
	"""Counts and content digests of the Helpdesk data an install cycle must not lose or alter."""
	return {
		"tickets": frappe.db.count("HD Ticket"),
		"articles": frappe.db.count("HD Article"),
		"teams": frappe.db.count("HD Team"),
		"agents": frappe.db.count("HD Agent"),
		"contacts": frappe.db.count("Contact"),
		"ticket_digest": _digest(
			frappe.get_all(
				"HD Ticket",
				fields=["name", "subject", "raised_by", "status", "agent_group", "customer", "opening_date"],
				order_by="name",
			)
		),
		"article_digest": _digest(
			frappe.get_all("HD Article", fields=["name", "title", "content", "status"], order_by="name")
		),
		"team_digest": _digest(
			frappe.get_all("HD Team Member", fields=["parent", "user"], order_by="parent, user")
		),
	}


def custom_fields_state() -> str:
	"""'present' when every field of ours exists with its column, 'absent' when none does."""
	from selfservice_portal.setup.custom_fields import get_custom_fields

	found = []
	for doctype, fields in get_custom_fields().items():
		for df in fields:
			record = frappe.db.exists("Custom Field", {"dt": doctype, "fieldname": df["fieldname"]})
			column = df["fieldtype"] in (
				"Section Break",
				"Column Break",
				"Tab Break",
			) or frappe.db.has_column(doctype, df["fieldname"])
			found.append(bool(record) and column)
			if not record and frappe.db.has_column(doctype, df["fieldname"]):
				return f"partial: column {doctype}.{df['fieldname']} left behind"
	if all(found):
		return "present"
	if not any(found):
		return "absent"
	return "partial"
