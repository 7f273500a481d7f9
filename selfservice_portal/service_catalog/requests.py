"""Catalog requests by name: deciding and withdrawing one (under its row lock), and a requester's own
list. The request's behaviour is on its controller (SSPRequest); intake.py makes requests,
approver_inbox.py shows them to approvers, request_status.py says where they stand."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html

from selfservice_portal.service_catalog import plan_progress
from selfservice_portal.service_catalog.approvals import REJECTED
from selfservice_portal.service_catalog.request_status import APPROVAL_FIELDS, child_rows, summarise

__all__ = ["MY_REQUESTS_LIMIT", "decide", "get_requests_of", "withdraw_request"]

MY_REQUESTS_LIMIT = 100
MY_REQUEST_FIELDS = [
	"name",
	"hd_ticket",
	"service",
	"department",
	"requester",
	"status",
	"rejection_reason",
	"creation",
	"plan_status",
	"plan_snapshot",
]


def lock(request_name: str) -> Document:
	"""The request, its row locked until the transaction ends (concurrent decisions queue, not race)."""
	if not frappe.db.exists("SSP Request", request_name):
		frappe.throw(
			_("Request {0} was not found").format(escape_html(request_name)), frappe.DoesNotExistError
		)
	return frappe.get_doc("SSP Request", request_name, for_update=True)


def decide(request_name: str, decision: str, comment: str, user: str, is_admin: bool) -> dict:
	"""Record one approver's decision (SSPRequest.decide) and say what follows."""
	return lock(request_name).decide(decision, comment, user, is_admin)


def withdraw_request(request_name: str) -> None:
	"""The ticket was closed while its request waited for approval (SSPRequest.withdraw)."""
	frappe.get_doc("SSP Request", request_name, for_update=True).withdraw()


def get_requests_of(user: str, limit: int = MY_REQUESTS_LIMIT) -> list[dict]:
	"""``user``'s own requests, newest first, with their approval state (three queries in all).

	Read with get_all because the filter *is* the permission: a requester may read their own
	requests (permissions.has_request_permission), while portal users have no DocType role to list them.
	"""
	rows = frappe.get_all(
		"SSP Request",
		filters={"requester": user},
		fields=MY_REQUEST_FIELDS,
		order_by="creation desc, name desc",
		limit=limit,
	)
	plans = plan_progress.progress_texts(rows)
	approvals = child_rows("SSP Request Approval", [row.name for row in rows], APPROVAL_FIELDS)
	return [my_request(row, approvals.get(row.name, []), plans.get(row.name)) for row in rows]


def my_request(row: frappe._dict, approvals: list[frappe._dict], plan_text: str | None) -> dict:
	"""One of a requester's requests: the summary, its department, and where it stands in a sentence
	(the rejection's reason, or the plan's progress, when there is one)."""
	summary = summarise(row, [], approvals)
	summary["department_title"] = (
		frappe.get_cached_value("SSP Department", row.department, "department_name") or row.department
	)
	summary["submitted_on_date"] = frappe.utils.formatdate(row.creation)
	if row.status == REJECTED and row.rejection_reason:
		summary["status_text"] = _("Rejected: {0}").format(row.rejection_reason)
	elif plan_text:
		summary["status_text"] = plan_text
	return summary
