"""HD Ticket doc_events feeding the portal journey and the classification figures."""

import frappe
from frappe.model.document import Document

from selfservice_portal.deflection.events import log_event
from selfservice_portal.deflection.queries import BACKFILL_BATCH, update_tickets_in_ranges

CLASSIFICATION_FIELDS = ("ticket_type", "agent_group", "ssp_service")


def after_insert(doc: Document, method: str | None = None) -> None:
	"""A ticket raised in Helpdesk's portal ends a journey. The catalog logs the submission of its own
	requests, whose tickets it flags ``ssp_from_catalog``."""
	# Helpdesk flags every ticket made through its UI as "via customer portal", agents' too: the
	# detected channel says whether the requester served themselves.
	if doc.get("ssp_channel") != "Portal" or doc.flags.ssp_from_catalog:
		return
	log_event(
		"Ticket Submitted",
		user=frappe.session.user if frappe.session.user != "Guest" else None,
		hd_ticket=doc.name,
		service=doc.get("ssp_service"),
		department=doc.get("ssp_department"),
	)


def flag_reclassification(doc: Document, method: str | None = None) -> None:
	"""validate: an agent changing what a portal requester chose is a misclassification to measure."""
	if doc.is_new() or doc.get("ssp_reclassified") or doc.get("ssp_channel") != "Portal":
		return
	if doc.flags.ssp_approval_handoff or not is_agent():
		return
	if any(corrects_requester(doc, fieldname) for fieldname in CLASSIFICATION_FIELDS):
		doc.ssp_reclassified = 1


def corrects_requester(doc: Document, fieldname: str) -> bool:
	"""The field had a value before and the agent changed it. Helpdesk fills in HD Settings'
	default ticket type when the requester picks none: replacing it completes the classification,
	it does not correct the requester."""
	before = doc.get_doc_before_save().get(fieldname)
	if not before or not doc.has_value_changed(fieldname):
		return False
	return not (fieldname == "ticket_type" and before == default_ticket_type())


def default_ticket_type() -> str | None:
	return frappe.get_cached_value("HD Settings", "HD Settings", "default_ticket_type")


def is_agent() -> bool:
	return bool({"Agent", "Agent Manager"} & set(frappe.get_roles()))


def set_department_from_team(doc: Document, method: str | None = None) -> None:
	"""validate (after the catalog's): a ticket no service placed in a department (e-mail, phone,
	Helpdesk's form) belongs to the department its team serves, so "by department" covers every
	channel. A department that came from the previous team follows a change of team; one set by a
	service or by hand stays."""
	if doc.get("ssp_service") or not doc.meta.has_field("ssp_department"):
		return
	team = doc.get("agent_group")
	if doc.is_new() or not doc.has_value_changed("agent_group"):
		if team and not doc.get("ssp_department"):
			doc.ssp_department = department_for_team(team)
		return
	previous = doc.get_doc_before_save().get("agent_group")
	if not doc.get("ssp_department") or doc.ssp_department == department_for_team(previous):
		doc.ssp_department = department_for_team(team)


def department_for_team(team: str | None) -> str | None:
	"""The one department served by ``team``; none when no or several departments name that team."""
	if not team:
		return None
	found = frappe.get_all("SSP Department", filters={"hd_team": team}, pluck="name", limit=2)
	return found[0] if len(found) == 1 else None


BACKFILL_DEPARTMENT_SQL = """UPDATE `tabHD Ticket` ticket
	JOIN (
		SELECT hd_team, MIN(name) AS department FROM `tabSSP Department`
		WHERE IFNULL(hd_team, '') != '' GROUP BY hd_team HAVING COUNT(*) = 1
	) team_department ON team_department.hd_team = ticket.agent_group
	SET ticket.ssp_department = team_department.department
	WHERE IFNULL(ticket.ssp_department, '') = '' AND IFNULL(ticket.ssp_service, '') = ''
		AND ticket.name > %(lo)s AND ticket.name <= %(hi)s"""


def backfill_ticket_departments(batch_size: int = BACKFILL_BATCH) -> int:
	"""The rule of :func:`set_department_from_team` for tickets that predate it, set-based in
	primary-key ranges. Idempotent (only empty departments are written). Returns rows updated."""
	return update_tickets_in_ranges(BACKFILL_DEPARTMENT_SQL, {}, batch_size)
