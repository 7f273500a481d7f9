"""HD Ticket doc_events: tickets that name a catalog service outside our own submit path (Helpdesk's
new-ticket form, agents, the REST API), and tickets whose request waits for approval."""

import frappe
from frappe import _
from frappe.model.document import Document

from selfservice_portal.permissions import is_admin
from selfservice_portal.service_catalog import catalog, fulfilment, intake, requests
from selfservice_portal.service_catalog.request_status import AWAITING_APPROVAL, CANCELLED, PENDING_APPROVAL

# Fields the approval chain owns while it runs: the paused status and the (empty) team.
HELD_FIELDS = ("status", "status_category", "agent_group")
# Mirrors of the request on the ticket, written only by the SSP Request (SSPRequest.start, hold_ticket,
# hand_off_ticket).
REQUEST_FIELDS = ("ssp_request", "ssp_approval_status")
# A task ticket's links to its request, written only by service_catalog.fulfilment.
PLAN_FIELDS = ("ssp_parent_ticket", "ssp_plan_task")
# Whitelisted methods and REST routes through which a person edits a ticket's fields directly.
DIRECT_EDIT_METHODS = frozenset(
	(
		"frappe.client.set_value",
		"frappe.client.save",
		"frappe.client.bulk_update",
		"frappe.desk.form.save.savedocs",
	)
)
DIRECT_EDIT_ROUTES = ("/api/resource/", "/api/v1/resource/", "/api/v2/document/")


def validate(doc: Document, method: str | None = None) -> None:
	if doc.get("ssp_service") and not doc.flags.ssp_from_catalog:
		if doc.is_new() or doc.has_value_changed("ssp_service"):
			check_requester_may_use(doc)
			apply_service_defaults(doc)
	keep_first_response_for_agents(doc)
	hold_while_pending_approval(doc)
	guard_plan_links(doc)


def guard_plan_links(doc: Document) -> None:
	"""A task ticket's request and plan task are set when the plan creates it, and by nobody else:
	neither a requester nor an agent makes a ticket part of a plan or moves it to another one."""
	if doc.flags.ssp_plan or frappe.flags.in_install or frappe.flags.in_migrate:
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	changed = [
		f
		for f in PLAN_FIELDS
		if doc.meta.has_field(f) and (doc.get(f) or None) != ((before.get(f) if before else None) or None)
	]
	if changed:
		frappe.throw(
			_("The fulfilment plan links a task's ticket to its request; they cannot be set by hand"),
			frappe.PermissionError,
			title=_("Not permitted"),
		)


def on_update(doc: Document, method: str | None = None) -> None:
	"""A task ticket resolved starts the next tasks (and the last one resolves the request); the
	request's ticket closed cancels its open tasks."""
	if doc.get("ssp_plan_task") or doc.get("ssp_request"):
		fulfilment.on_ticket_update(doc)


def check_requester_may_use(doc: Document) -> None:
	"""A portal user picking a service in Helpdesk's form sees the same catalog as on our pages."""
	viewer = catalog.get_viewer()
	if viewer.sees_everything:
		return
	catalog.get_visible_service(doc.ssp_service, viewer)


def apply_service_defaults(doc: Document) -> None:
	service = frappe.get_cached_doc("SSP Service", doc.ssp_service)
	team = frappe.get_cached_value("SSP Department", service.department, "hd_team")
	doc.ssp_department = service.department
	if not doc.ticket_type and service.hd_ticket_type:
		doc.ticket_type = service.hd_ticket_type
	if doc.is_new() and service.approval_steps:
		# The team gets it after the last approval (SSPRequest.hand_off_ticket).
		doc.agent_group = None
	elif not doc.agent_group:
		doc.agent_group = team


def keep_first_response_for_agents(doc: Document) -> None:
	"""A catalog ticket's first response is the first agent reply, not the approval wait.

	Helpdesk takes a ticket's first pause as its first response (HDTicket.set_first_responded_on):
	right for an agent who pauses a ticket, wrong for one that starts paused for approval, which then
	reads "First Response: Fulfilled in 0s". The wait still counts as SLA hold time (on_hold_since /
	total_hold_time are Helpdesk's and stay as they are). An agent's reply during the wait sets
	last_agent_response too, and is kept as the first response.
	"""
	if doc.is_new() or not doc.first_responded_on:
		return
	before = doc.get_doc_before_save()
	if not before or before.get("first_responded_on") or doc.has_value_changed("last_agent_response"):
		return
	held = doc.flags.ssp_approval_handoff and doc.status == AWAITING_APPROVAL
	waiting = before.get("ssp_approval_status") == PENDING_APPROVAL
	if held or waiting:
		doc.first_responded_on = None


def hold_while_pending_approval(doc: Document) -> None:
	"""While its request waits for approval the ticket stays paused and unassigned to a team.

	Only our own hand-off (SSPRequest.hold_ticket / hand_off_ticket) moves it on. Closing or
	resolving it withdraws the request. Anything else that reopens it (a requester's reply, an
	incoming e-mail) keeps the paused status silently, so the reply itself still goes through;
	a person editing the status or team directly is told why not, unless they are an admin.
	"""
	if doc.is_new() or doc.flags.ssp_approval_handoff:
		return
	before = doc.get_doc_before_save()
	# The ticket mirrors its request's status: every other ticket's save runs no query here.
	if not before or before.get("ssp_approval_status") != PENDING_APPROVAL:
		return
	request = frappe.db.get_value("SSP Request", {"hd_ticket": doc.name, "status": PENDING_APPROVAL})
	if not request:
		return
	keep_fields(doc, before, REQUEST_FIELDS)
	if is_closing(doc):
		requests.withdraw_request(request)
		doc.ssp_approval_status = CANCELLED
		return
	changed = [f for f in ("status", "agent_group") if doc.has_value_changed(f)]
	if not changed:
		return
	if is_direct_edit():
		if is_admin():
			return  # an admin may move a stuck ticket on by hand
		frappe.throw(
			_(
				"Ticket {0} is waiting for approval: its status and team change when the approval is"
				" complete. You can close the ticket to withdraw the request."
			).format(doc.name),
			title=_("Waiting for approval"),
		)
	keep_fields(doc, before, HELD_FIELDS)


def keep_fields(doc: Document, before: Document, fields: tuple[str, ...]) -> None:
	for field in fields:
		doc.set(field, before.get(field))


def is_closing(doc: Document) -> bool:
	if not doc.has_value_changed("status"):
		return False
	return frappe.get_cached_value("HD Ticket Status", doc.status, "category") == "Resolved"


def is_direct_edit() -> bool:
	"""A person writing the ticket's fields (Helpdesk's UI, Desk, REST), as opposed to Helpdesk
	reacting to a reply or an e-mail, which calls save() itself from run_doc_method or a job."""
	if frappe.form_dict.get("cmd") in DIRECT_EDIT_METHODS:
		return True
	request = getattr(frappe.local, "request", None)
	path = getattr(request, "path", "") or ""
	return getattr(request, "method", "") in ("PUT", "PATCH") and path.startswith(DIRECT_EDIT_ROUTES)


def after_insert(doc: Document, method: str | None = None) -> None:
	if not doc.get("ssp_service") or doc.flags.ssp_from_catalog:
		return
	intake.start_request_for_ticket(doc)
