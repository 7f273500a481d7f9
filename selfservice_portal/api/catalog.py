"""Service catalog endpoints: `selfservice_portal.api.catalog.<verb_noun>`. Thin: check, delegate."""

import frappe
from frappe import _

from selfservice_portal.permissions import (
	check_answers,
	check_name,
	check_text,
	is_admin,
	is_staff,
	login_required,
	require_login,
	within_rate,
)
from selfservice_portal.service_catalog import (
	approver_inbox,
	articles,
	catalog,
	intake,
	plan_progress,
	requests,
)

MAX_QUERY = 140
MAX_ANSWERS_LENGTH = 100_000  # characters of JSON: a long form with long texts fits many times
SUBMIT_LIMIT, SUBMIT_WINDOW = 30, 60 * 60  # requests per user per hour


@frappe.whitelist()
@login_required
@frappe.read_only()
def get_catalog() -> list[dict]:
	"""Departments and the services the signed-in user may request."""
	return catalog.get_catalog(catalog.get_viewer())


@frappe.whitelist()
@login_required
@frappe.read_only()
def search_services(query: str = "") -> list[dict]:
	query = check_text(query, _("Search text"), MAX_QUERY)
	return catalog.search_services(catalog.get_viewer(), query)


@frappe.whitelist()
@login_required
@frappe.read_only()
def get_service(service: str = "") -> dict:
	"""A service's request form, help and related articles; logs a 'Service Viewed' event."""
	check_name(service, _("Service"))
	viewer = catalog.get_viewer()
	row = catalog.get_visible_service(service, viewer)
	doc = frappe.get_cached_doc("SSP Service", service)
	department = frappe.get_cached_doc("SSP Department", doc.department)
	articles.log_service_viewed(doc)
	return {
		**catalog.public_service(row),
		"department_title": department.department_name,
		"description": doc.description,
		"help_text": doc.help_text,
		**intake.request_form(doc),
	}


@frappe.whitelist()
@login_required
@frappe.read_only()
def suggest_articles(service: str = "", query: str = "") -> list[dict]:
	"""Articles to read before submitting; what was offered is logged for the deflection reports."""
	check_name(service, _("Service"))
	query = check_text(query, _("Search text"), MAX_QUERY)
	viewer = catalog.get_viewer()
	catalog.get_visible_service(service, viewer)
	doc = frappe.get_cached_doc("SSP Service", service)
	return articles.suggest_and_log(doc, query)


@frappe.whitelist(methods=["POST"])
@login_required
def submit_request(service: str = "", answers: dict | str | None = None) -> dict:
	"""Validate the answers and create the ticket (and its approval chain)."""
	check_submit_rate()
	check_name(service, _("Service"))
	answers = check_answers(answers, MAX_ANSWERS_LENGTH)
	return intake.submit_request(service, answers, catalog.get_viewer())


def check_submit_rate() -> None:
	"""At most SUBMIT_LIMIT submissions per signed-in user and window, counted per user: Frappe's
	rate_limit counts per IP address (an office behind one NAT shares it) or per a form field the
	client chooses. Like rate_limit, it applies to HTTP requests only."""
	if not getattr(frappe.local, "request", None):
		return
	if not within_rate(f"submit:{frappe.session.user}", SUBMIT_LIMIT, SUBMIT_WINDOW):
		frappe.throw(
			_("You have submitted too many requests. Please try again in an hour."),
			frappe.RateLimitExceededError,
		)


@frappe.whitelist(methods=["POST"])
@login_required
def decide_approval(request: str = "", decision: str = "", comment: str = "") -> dict:
	"""Approve or reject the current step; only its approver (or an admin) may."""
	check_name(request, _("Request"))
	comment = check_text(comment, _("Comment"), 1000)
	if decision not in ("Approved", "Rejected"):
		frappe.throw(_("Decision must be Approved or Rejected"))
	if decision == "Rejected" and not (comment or "").strip():
		frappe.throw(_("Please give a reason for the rejection"))
	return requests.decide(request, decision, (comment or "").strip(), frappe.session.user, is_admin())


@frappe.whitelist()
@frappe.read_only()
def get_ticket_approvals(ticket: str = "") -> dict | None:
	"""The request behind a ticket (answers, approval trail) for whoever may read the ticket."""
	require_readable_ticket(ticket)
	return approver_inbox.get_request_for_ticket(ticket)


@frappe.whitelist()
@frappe.read_only()
def get_plan_progress(ticket: str = "") -> dict | None:
	"""The fulfilment plan's progress for whoever may read the ticket (the request's own or a task's):
	task labels and states, never answers; task ticket numbers for the desk side only."""
	require_readable_ticket(ticket)
	return plan_progress.get_plan_progress(ticket, is_staff())


def require_readable_ticket(ticket: str) -> None:
	"""A signed-in user who may read the ticket (Helpdesk's rules, its agent-group restriction too)."""
	require_login()
	check_name(ticket, _("Ticket"))
	if not frappe.db.exists("HD Ticket", ticket):
		frappe.throw(
			_("Ticket {0} was not found").format(frappe.utils.escape_html(ticket)), frappe.DoesNotExistError
		)
	frappe.has_permission("HD Ticket", doc=ticket, throw=True)


@frappe.whitelist()
@login_required
@frappe.read_only()
def get_pending_approvals() -> list[dict]:
	"""Requests waiting for the signed-in user's decision."""
	return approver_inbox.get_pending_for(frappe.session.user)


@frappe.whitelist()
@login_required
@frappe.read_only()
def get_request_for_approval(request: str = "") -> dict:
	"""One request as its approver sees it; other users get a not-found error."""
	check_name(request, _("Request"))
	return approver_inbox.get_request_for_approver(request, frappe.session.user, is_admin())


@frappe.whitelist()
@login_required
@frappe.read_only()
def get_service_options() -> list[dict]:
	"""Options for the Service field of Helpdesk's new-ticket form (HD Ticket Template url_method)."""
	viewer = catalog.get_viewer()
	titles = {d["name"]: d["title"] for d in catalog.get_catalog(viewer)}
	return [
		{"label": f"{titles.get(s['department'], s['department'])} · {s['title']}", "value": s["name"]}
		for s in catalog.visible_services(viewer)
	]
