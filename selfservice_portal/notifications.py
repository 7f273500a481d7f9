"""Messages to people: a Desk alert and an e-mail, worded by an Email Template, in each one's language.

A notification is written while someone else's request is being served (the requester's, the
manager's, the scheduler's), so the session's language is the wrong one: each recipient reads it in
the language of their user record, or the site's default (`in_each_language`).

The wording lives in **Email Template** records that admins may edit. Their sources are the files in
``selfservice_portal/templates/emails/`` (so that Frappe's POT extraction finds their ``{{ _("…") }}``
strings): ``<stem>.subject.html`` holds the subject, ``<stem>.html`` the HTML body, and the record is
named after the stem (``ssp_approval_needed`` → "SSP Approval Needed"). Adding a template is adding the
two files: the install and every migrate create the records that are missing and never overwrite one
an admin edited; the uninstall removes them.
"""

from collections.abc import Iterator
from pathlib import Path

import frappe
from frappe.translate import print_language

EMAIL_TEMPLATE_FOLDER = Path(__file__).parent / "templates" / "emails"
SUBJECT_SUFFIX = ".subject.html"


def in_each_language(users: list[str]) -> Iterator[list[str]]:
	"""The recipients grouped by language; while a group is being handled, `_()` translates into
	that group's language."""
	default = frappe.db.get_single_value("System Settings", "language") or "en"
	chosen = dict(
		frappe.get_all("User", filters={"name": ("in", users)}, fields=["name", "language"], as_list=True)
	)
	groups: dict[str, list[str]] = {}
	for user in users:
		groups.setdefault(chosen.get(user) or default, []).append(user)
	for language, group in groups.items():
		with print_language(language):
			yield group


def send(
	template_name: str,
	recipients: list[str],
	context: dict,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
	link: str | None = None,
) -> None:
	"""A Desk alert to each recipient and, when the site sends mail, one e-mail to them all.

	Rendered in the current language: call it for each group of `in_each_language`. The alert links to
	the reference document and carries ``link`` (the page to act on) when given, else the message.
	"""
	if not recipients:
		return
	subject, message = render(template_name, context)
	for user in recipients:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": reference_doctype,
				"document_name": reference_name,
				"subject": subject,
				"email_content": link or message,
			}
		).insert(ignore_permissions=True)
	if not can_send_email():
		return  # the Desk alert is enough on a site without outgoing mail
	frappe.sendmail(
		recipients=recipients,
		subject=subject,
		message=message,
		reference_doctype=reference_doctype,
		reference_name=reference_name,
	)


def render(template_name: str, context: dict) -> tuple[str, str]:
	"""The subject and HTML body of an Email Template; its source file when the record is gone."""
	template = frappe.db.get_value(
		"Email Template", template_name, ["subject", "use_html", "response_html", "response"], as_dict=True
	)
	if template:
		subject, body = template.subject, template.response_html if template.use_html else template.response
	else:
		subject, body = template_sources()[template_name]
	return frappe.render_template(subject, context).strip(), frappe.render_template(body, context)


def can_send_email() -> bool:
	return bool(frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}))


def template_name_of(stem: str) -> str:
	"""``ssp_approval_needed`` → "SSP Approval Needed" (Email Template names are global to a site)."""
	words = stem.removeprefix("ssp_").split("_")
	return " ".join(["SSP", *(word.capitalize() for word in words)])


def template_sources() -> dict[str, tuple[str, str]]:
	"""Every Email Template of the app: name → (subject, HTML body), read from its files."""
	sources = {}
	for subject_file in sorted(EMAIL_TEMPLATE_FOLDER.glob(f"*{SUBJECT_SUFFIX}")):
		stem = subject_file.name.removesuffix(SUBJECT_SUFFIX)
		body = (EMAIL_TEMPLATE_FOLDER / f"{stem}.html").read_text().strip()
		sources[template_name_of(stem)] = (subject_file.read_text().strip(), body)
	return sources


def ensure_email_templates() -> None:
	"""Create the Email Templates that are missing; an existing one may carry an admin's wording."""
	existing = set(frappe.get_all("Email Template", filters={"name": ("like", "SSP %")}, pluck="name"))
	for name, (subject, body) in template_sources().items():
		if name in existing:
			continue
		frappe.get_doc(
			{
				"doctype": "Email Template",
				"name": name,
				"subject": subject,
				"use_html": 1,
				"response_html": body,
			}
		).insert(ignore_permissions=True)


def remove_email_templates() -> None:
	for name in template_sources():
		frappe.delete_doc("Email Template", name, ignore_permissions=True, ignore_missing=True, force=True)
