"""A request's states, and how they are said to people.

Summaries carry words and dates formatted for people next to the raw values, so that Helpdesk's ticket
view (which has no Frappe formatting helpers) shows the same text as our pages. They are built from an
SSP Request or from query rows with its fields, whose child rows were read in one query for many
requests (`child_rows`).
"""

from datetime import datetime

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import comma_and, comma_or
from pypika.queries import QueryBuilder, Table
from pypika.terms import Criterion

from selfservice_portal.service_catalog.approvals import (
	APPROVED,
	PENDING,
	REJECTED,
	SKIPPED,
	ApprovalRow,
	current_step,
)

SUBMITTED, PENDING_APPROVAL, CANCELLED = "Submitted", "Pending Approval", "Cancelled"
AWAITING_APPROVAL = "Awaiting Approval"  # the HD Ticket Status (category Paused) of a waiting ticket
APPROVAL_FIELDS = ["step", "step_label", "approver", "approval_rule", "decision", "decided_on", "comment"]

# An SSP Request, or a query row with its fields; its child rows likewise.
RequestLike = Document | frappe._dict


def approval_states(approvals: list[RequestLike]) -> list[ApprovalRow]:
	"""The approval rows as approvals.py's frappe-free state machine reads them."""
	return [ApprovalRow(row.step, row.approver, row.approval_rule, row.decision) for row in approvals]


def child_rows(doctype: str, parents: list[str], fields: list[str]) -> dict[str, list[frappe._dict]]:
	"""Child rows of many SSP Requests in one query, grouped by request, in form order."""
	if not parents:
		return {}
	table = frappe.qb.DocType(doctype)
	query = (
		frappe.qb.from_(table)
		.select(table.parent, *(table[field] for field in fields))
		.where((table.parenttype == "SSP Request") & table.parent.isin(parents))
		.orderby(table.parent)
		.orderby(table.idx)
	)
	grouped: dict[str, list[frappe._dict]] = {}
	for row in query.run(as_dict=True):
		grouped.setdefault(row.parent, []).append(row)
	return grouped


def with_open_ticket(query: QueryBuilder, request_table: Table) -> tuple[QueryBuilder, Criterion]:
	"""``query`` over SSP Request (``request_table``) joined to its ticket and that ticket's status,
	and the condition that the ticket is neither resolved nor closed."""
	ticket = frappe.qb.DocType("HD Ticket")
	ticket_status = frappe.qb.DocType("HD Ticket Status")
	joined = (
		query.join(ticket)
		.on(ticket.name == request_table.hd_ticket)
		.left_join(ticket_status)
		.on(ticket_status.name == ticket.status)
	)
	return joined, ticket_status.category.isnull() | (ticket_status.category != "Resolved")


def summarise(request: RequestLike, answers: list[RequestLike], approvals: list[RequestLike]) -> dict:
	"""``request`` is an SSP Request or a row with its fields; answers and approvals are its child rows."""
	return {
		"name": request.name,
		"ticket": request.hd_ticket,
		"service": request.service,
		"service_title": frappe.get_cached_value("SSP Service", request.service, "title"),
		"requester": request.requester,
		"requester_name": frappe.utils.get_fullname(request.requester),
		"status": request.status,
		"status_label": status_label(request.status),
		"status_text": status_text(request.status, approvals),
		"submitted_on": request.creation,
		"submitted_on_display": for_people(request.creation),
		"answers": [{"label": answer.label, "value": answer.value} for answer in answers],
		"approvals": [approval_summary(approval) for approval in approvals],
	}


def approval_summary(approval: RequestLike) -> dict:
	return {
		"step": approval.step,
		"label": approval.step_label,
		"approver": frappe.utils.get_fullname(approval.approver),
		"decision": approval.decision,
		"decision_label": decision_label(approval.decision),
		"decided_on": approval.decided_on,
		"decided_on_display": for_people(approval.decided_on) if approval.decided_on else "",
		"comment": approval.comment,
	}


def for_people(value: datetime | str | None) -> str:
	"""A date and time in the site's date format, to the minute."""
	if not value:
		return ""
	moment = frappe.utils.get_datetime(value)
	return f"{frappe.utils.formatdate(moment.date())} {moment.strftime('%H:%M')}"


def status_label(status: str) -> str:
	"""A request's status in a word or two."""
	return {
		SUBMITTED: _("Submitted"),
		PENDING_APPROVAL: _("Pending"),
		"Approved": _("Approved"),
		"Rejected": _("Rejected"),
		CANCELLED: _("Withdrawn"),
	}.get(status, _(status))


def decision_label(decision: str) -> str:
	return {
		PENDING: _("Waiting for a decision"),
		APPROVED: _("Approved"),
		REJECTED: _("Rejected"),
		SKIPPED: _("Not needed"),
	}.get(decision, _(decision))


def waiting_for(approvals: list[RequestLike]) -> tuple[list[str], int | None]:
	"""Who the current step waits for (full names) and that step's number."""
	step = current_step(approval_states(approvals))
	if step is None:
		return [], None
	names = [
		frappe.utils.get_fullname(approval.approver)
		for approval in approvals
		if approval.step == step and approval.decision == PENDING
	]
	return names, step


def status_text(status: str, approvals: list[RequestLike]) -> str:
	"""A request's state in a sentence, naming whose decision it waits for."""
	if status == PENDING_APPROVAL:
		return waiting_text(approvals)
	if status == "Approved":
		return _("Approved: the team is working on it")
	if status == "Rejected":
		return _("Rejected: see the reason on the ticket")
	if status == CANCELLED:
		return _("Withdrawn: the ticket was closed before the approval was complete")
	if status == SUBMITTED:
		return _("Submitted: no approval needed, the team is working on it")
	return _(status)


def waiting_text(approvals: list[RequestLike]) -> str:
	names, step = waiting_for(approvals)
	if not names:
		return _("Waiting for approval")
	steps = len({approval.step for approval in approvals})
	rule = next((approval.approval_rule for approval in approvals if approval.step == step), None)
	join = comma_and if rule == "All of" else comma_or
	return _("Waiting for approval by {0} (step {1} of {2})").format(
		join(names, add_quotes=False), step, steps
	)
