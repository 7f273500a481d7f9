"""Channel endpoints: `selfservice_portal.api.channels.<verb_noun>`.

Contacts that never became tickets (a call answered on the spot, a chat message) are logged here by
integrations (role "SSP Integration", API keys) and by agents (quick-log action on Helpdesk's
new-ticket page), so the channel mix counts contacts and not only tickets.
"""

import datetime

import frappe
from frappe import _

from selfservice_portal.deflection.doctype.ssp_contact_log.ssp_contact_log import (
	MAX_SUMMARY_LENGTH,
	require_summary,
	to_system_time,
)
from selfservice_portal.permissions import STAFF_ROLES, bounded, within_rate

CONTACT_LOG = "SSP Contact Log"
INTEGRATION_ROLE = "SSP Integration"
CONTACT_LIMIT, CONTACT_WINDOW = 600, 60 * 60  # contacts per user per hour: a busy desk, not a script


@frappe.whitelist(methods=["POST"])
def log_contact(
	channel: str = "",
	contact_on: str | None = None,
	raised_by: str | None = None,
	summary: str | None = None,
	department: str | None = None,
) -> dict:
	"""One contact, stored only when every field is valid (a bad field stores nothing)."""
	frappe.has_permission(CONTACT_LOG, "create", throw=True)
	if not within_rate(f"contact-log:{frappe.session.user}", CONTACT_LIMIT, CONTACT_WINDOW):
		frappe.throw(
			_("Too many contacts logged; please try again in a few minutes."), frappe.RateLimitExceededError
		)
	if not channel or not frappe.db.exists("SSP Channel", {"name": channel, "is_enabled": 1}):
		frappe.throw(
			_("Channel {0} does not exist or is disabled").format(frappe.bold(bounded(channel or "")))
		)
	if summary is not None and not isinstance(summary, str):
		frappe.throw(_("Summary must be text"))
	if summary and len(summary) > MAX_SUMMARY_LENGTH:
		frappe.throw(_("Summary is too long (at most {0} characters)").format(MAX_SUMMARY_LENGTH))
	if raised_by and len(raised_by) > 140:
		frappe.throw(_("Contact is too long (at most 140 characters)"))
	if department and not frappe.db.exists("SSP Department", department):
		frappe.throw(_("Department {0} does not exist").format(frappe.bold(bounded(department))))
	contact_time = parse_contact_on(contact_on)
	# Checked last, so that a wrong channel, date or department is reported as such.
	require_summary(summary)
	doc = frappe.get_doc(
		{
			"doctype": CONTACT_LOG,
			"channel": channel,
			"contact_on": contact_time,
			"raised_by": (raised_by or "").strip() or None,
			"summary": summary.strip(),
			"department": department,
			"source": get_log_source(),
		}
	).insert()
	return {"name": doc.name, "channel": doc.channel, "contact_on": str(doc.contact_on), "source": doc.source}


@frappe.whitelist()
@frappe.read_only()
def get_contact_channels() -> list[str]:
	"""Channels a contact can be logged under: enabled and not self-service (portal journeys are
	recorded as events, not logged by hand)."""
	frappe.has_permission(CONTACT_LOG, "create", throw=True)
	return frappe.get_all(
		"SSP Channel",
		filters={"is_enabled": 1, "is_self_service": 0},
		order_by="sort_order asc, name asc",
		pluck="name",
	)


def parse_contact_on(value: str | None) -> datetime.datetime | None:
	if not value:
		return None  # the controller uses now
	if not isinstance(value, str) or len(value) > 64:
		frappe.throw(_("Contact On must be a date and time, as YYYY-MM-DD HH:MM:SS or ISO 8601"))
	try:
		return to_system_time(value)
	except Exception:
		frappe.throw(
			_(
				"Contact On {0} is not a date and time; use YYYY-MM-DD HH:MM:SS or ISO 8601 with an offset"
			).format(frappe.bold(bounded(value)))
		)


def get_log_source() -> str:
	roles = set(frappe.get_roles())
	if INTEGRATION_ROLE in roles and not roles & set(STAFF_ROLES):
		return "Integration"
	return "Agent"
