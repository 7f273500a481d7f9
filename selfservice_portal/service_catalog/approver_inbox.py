"""The approver's side: what waits for my decision, and one request as its approver (or the ticket's
readers) see it."""

import frappe
from frappe import _
from frappe.utils import escape_html

from selfservice_portal.service_catalog.approvals import PENDING, current_step
from selfservice_portal.service_catalog.request_status import (
	APPROVAL_FIELDS,
	PENDING_APPROVAL,
	approval_states,
	child_rows,
	summarise,
	with_open_ticket,
)


def get_pending_for(user: str) -> list[dict]:
	"""Requests whose current step waits for ``user``, on tickets still open.

	Three queries in all (candidates, their approval rows, the answers of those kept), none per request.
	"""
	candidates = pending_candidates(user)
	if not candidates:
		return []
	approvals = child_rows("SSP Request Approval", [c.name for c in candidates], APPROVAL_FIELDS)
	waiting = [c for c in candidates if is_users_turn(approvals.get(c.name, []), user)]
	answers = child_rows("SSP Request Answer", [c.name for c in waiting], ["label", "value"])
	return [summarise(c, answers.get(c.name, []), approvals.get(c.name, [])) for c in waiting]


def pending_candidates(user: str) -> list[frappe._dict]:
	"""Requests pending approval, on open tickets, with a pending row of ``user`` (in any step)."""
	request = frappe.qb.DocType("SSP Request")
	approval = frappe.qb.DocType("SSP Request Approval")
	query, ticket_open = with_open_ticket(
		frappe.qb.from_(request)
		.join(approval)
		.on((approval.parent == request.name) & (approval.parenttype == "SSP Request")),
		request,
	)
	return (
		query.select(
			request.name,
			request.hd_ticket,
			request.service,
			request.requester,
			request.status,
			request.creation,
		)
		.distinct()
		.where(
			(request.status == PENDING_APPROVAL)
			& (approval.approver == user)
			& (approval.decision == PENDING)
			& ticket_open
		)
		.orderby(request.name)
		.run(as_dict=True)
	)


def is_users_turn(approvals: list[frappe._dict], user: str) -> bool:
	"""The current step is one where ``user`` has yet to decide."""
	users_steps = {row.step for row in approvals if row.approver == user and row.decision == PENDING}
	return current_step(approval_states(approvals)) in users_steps


def get_request_for_approver(request_name: str, user: str, is_admin: bool) -> dict:
	"""The request with ``can_decide``, for one of its approvers or an admin; not found for anyone else."""
	request = (
		frappe.get_doc("SSP Request", request_name) if frappe.db.exists("SSP Request", request_name) else None
	)
	if not request or not (is_admin or any(row.approver == user for row in request.approvals)):
		frappe.throw(
			_("Request {0} was not found").format(escape_html(request_name)), frappe.DoesNotExistError
		)
	return {**request.as_summary(), "can_decide": request.can_be_decided_by(user, is_admin)}


def get_request_for_ticket(ticket: str) -> dict | None:
	"""The request behind a ticket, for whoever may read the ticket (checked by the caller)."""
	name = frappe.db.get_value("SSP Request", {"hd_ticket": ticket})
	if not name:
		return None
	request = frappe.get_doc("SSP Request", name)
	return {**request.as_summary(), "rejection_reason": request.rejection_reason}


def approval_page(request_name: str | None, decision: str | None, user: str, is_admin: bool) -> dict:
	"""/service-approval: what waits for ``user``, or one request (``request_name``) with the decision
	from the e-mail's link pre-selected (never applied: deciding is a POST by a signed-in approver)."""
	if not request_name:
		return {"pending": get_pending_for(user)}
	try:
		request = get_request_for_approver(request_name, user, is_admin)
	except frappe.DoesNotExistError:
		# 403, never 404: Frappe caches a page's 404 per URL for every visitor, so an outsider's
		# visit would hide the request from its rightful approver.
		raise frappe.PermissionError(_("You are not an approver of this request"))
	return {"request": request, "preselect": decision if decision in ("Approved", "Rejected") else ""}
