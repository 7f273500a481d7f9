"""Intake: a service's request form, and the answers to it becoming a ticket and an SSP Request.

A submission becomes an HD Ticket (the department's team and ticket type, a readable subject, the
answers in the description) plus an SSP Request holding the answers as data and the approval trail
(SSPRequest.start: with approvers the ticket waits, without them the plan runs).
"""

from email.utils import parseaddr

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html

from selfservice_portal.deflection.events import log_event
from selfservice_portal.service_catalog import articles, fulfilment
from selfservice_portal.service_catalog.approvals import PENDING, ApprovalRow
from selfservice_portal.service_catalog.approvers import resolve_chain
from selfservice_portal.service_catalog.catalog import get_visible_service
from selfservice_portal.service_catalog.form import (
	Answer,
	FormError,
	FormField,
	number_text,
	parse_limit,
	parse_options,
	render_description,
	render_subject,
	validate_answers,
)
from selfservice_portal.service_catalog.request_status import PENDING_APPROVAL, SUBMITTED, status_text
from selfservice_portal.service_catalog.visibility import Viewer

SYSTEM_USERS = ("Administrator", "Guest")
LIMIT_MESSAGES = {"is below the minimum": "min_value", "is above the maximum": "max_value"}


# --------------------------------------------------------------------------- the form


def request_form(service: Document) -> dict:
	"""What a requester needs to fill in a service's form, in their language: the fields (labels and
	help translated, options as configured, limits as numbers and as people write them) and the
	approval steps. The one shape of the form, for the API and the portal page alike."""
	return {
		"needs_approval": bool(service.approval_steps),
		"approval_steps": [_(step.step_label or step.approver_type) for step in service.approval_steps],
		"fields": [form_field_for_people(field) for field in service.form_fields],
	}


def form_field_for_people(field: Document) -> dict:
	min_value, max_value = limit_of(field, "min_value"), limit_of(field, "max_value")
	return {
		"fieldname": field.fieldname,
		"label": _(field.label),
		"fieldtype": field.fieldtype,
		"is_required": bool(field.is_required),
		"options": list(parse_options(field.options)),
		"help_text": _(field.help_text) if field.help_text else "",
		"min_value": min_value,
		"max_value": max_value,
		"min_text": number_text(min_value) if min_value is not None else "",
		"max_text": number_text(max_value) if max_value is not None else "",
	}


def request_page(service_name: str, viewer: Viewer) -> dict:
	"""/service-catalog/request: the service, its department and form, and the articles that may
	already answer it. Opening it is the deflection point: it logs the same events as the API."""
	try:
		get_visible_service(service_name, viewer)
	except frappe.DoesNotExistError:
		# 403, never 404: a 404 is cached per URL for every visitor (see approver_inbox.approval_page).
		raise frappe.PermissionError(_("This service is not available to you"))
	service = frappe.get_cached_doc("SSP Service", service_name)
	form = request_form(service)
	articles.log_service_viewed(service)
	return {
		"title": service.title,
		"service": service,
		"department": frappe.get_cached_doc("SSP Department", service.department),
		"fields": form["fields"],
		"approval_steps": form["approval_steps"],
		"suggestions": articles.suggest_and_log(service),
	}


def form_fields(service: Document) -> list[FormField]:
	return [
		FormField(
			fieldname=field.fieldname,
			label=field.label,
			fieldtype=field.fieldtype,
			is_required=bool(field.is_required),
			options=parse_options(field.options),
			min_value=limit_of(field, "min_value"),
			max_value=limit_of(field, "max_value"),
		)
		for field in service.form_fields
	]


def limit_of(field: Document, key: str) -> float | None:
	"""A Number field's limit; a malformed one (saved before SSP Service validated it) is no limit."""
	if field.fieldtype != "Number":
		return None
	try:
		return parse_limit(field.get(key))
	except ValueError:
		return None


def form_messages() -> dict[str, str]:
	"""form.py's message keys as sentences ({0}: the field's label, {1}: its limit), translated in the
	requester's language at the time of the error."""
	return {
		"is required": _("{0} is required"),
		"is not a field of this form": _("{0} is not a field of this form"),
		"answers must be an object": _("{0}: answers must be an object"),
		"has too many answers that are not fields of this form": _(
			"{0} has too many answers that are not fields of this form"
		),
		"must be yes or no": _("{0} must be yes or no"),
		"must be a number": _("{0} must be a number"),
		"is below the minimum": _("{0} must be at least {1}"),
		"is above the maximum": _("{0} must be at most {1}"),
		"must be a date (YYYY-MM-DD)": _("{0} must be a date (YYYY-MM-DD)"),
		"must be a start and an end date": _("{0} needs a start and an end date"),
		"ends before it starts": _("{0}: the end date (To) is before the start date (From)"),
		"must be text": _("{0} must be text"),
		"is too long": _("{0} is too long"),
		"is not one of the options": _("{0} is not one of the options"),
	}


# --------------------------------------------------------------------------- the answers


def field_error(fieldname: str, message: str) -> None:
	"""Tell the portal page which field a refusal is about, so it can highlight it (the message itself
	stays in frappe.throw, for every other client)."""
	errors = frappe.response.setdefault("ssp_field_errors", {})
	errors[fieldname] = message


def clean_answers(service: Document, answers: dict, user: str) -> tuple[list[Answer], list[str]]:
	"""Validate against the form, then check what only the site can know (users, files).

	Returns the answers and the File records they attach (to be attached to the ticket).
	Messages are shown as HTML by the portal: everything the requester typed is escaped.
	"""
	try:
		cleaned = validate_answers(form_fields(service), answers)
	except FormError as error:
		refuse_answers(service, error.errors)
	files = []
	for answer in cleaned:
		if answer.fieldtype == "User":
			check_user_answer(answer)
		if answer.fieldtype == "Attach":
			files.append(find_attachment(answer, user))
	return cleaned, files


def refuse_answers(service: Document, errors: list[tuple[str, str]]) -> None:
	"""One line per refused answer, each also marked on its field."""
	fields = {field.fieldname: field for field in service.form_fields}
	messages = form_messages()
	lines = []
	for fieldname, key in errors:
		field = fields.get(fieldname)
		label = escape_html(_(field.label) if field else fieldname) or _("Form")
		limit = ""
		if field and key in LIMIT_MESSAGES:
			value = limit_of(field, LIMIT_MESSAGES[key])
			limit = number_text(value) if value is not None else ""
		line = (messages.get(key) or ("{0} " + escape_html(key))).format(label, limit)
		lines.append(line)
		if field:
			field_error(fieldname, line)
	frappe.throw("<br>".join(lines), frappe.ValidationError, title=_("Please check the form"))


def check_user_answer(answer: Answer) -> None:
	"""A person: an enabled user, never the Guest or Administrator system accounts."""
	user = frappe.db.get_value("User", answer.value, ["name", "enabled"], as_dict=True)
	message = None
	if user and user.name in SYSTEM_USERS:
		message = _("{0}: {1} is a system account, please name a person").format(
			escape_html(_(answer.label)), escape_html(user.name)
		)
	elif not user or not user.enabled:
		message = _("{0}: user {1} was not found").format(
			escape_html(_(answer.label)), escape_html(answer.value)
		)
	if message:
		field_error(answer.fieldname, message)
		frappe.throw(message)


def find_attachment(answer: Answer, user: str) -> str:
	"""The requester's own upload, not yet attached to anything: the ticket becomes its document.

	Frappe shares one file_url between uploads of the same content, so the File is looked up by
	owner too; a file someone else uploaded, or one already attached elsewhere, is refused.
	"""
	files = frappe.get_all(
		"File",
		filters={"file_url": answer.value, "owner": user, "is_folder": 0},
		fields=["name", "attached_to_doctype"],
		order_by="creation desc",
	)
	message = None
	free = [file.name for file in files if not file.attached_to_doctype]
	if not files:
		message = _("{0}: the attached file was not found").format(escape_html(_(answer.label)))
	elif not free:
		message = _("{0}: this file is already attached to another document, please upload it again").format(
			escape_html(_(answer.label))
		)
	if message:
		field_error(answer.fieldname, message)
		frappe.throw(message)
	return free[0]


def attach_files(files: list[str], ticket: str) -> None:
	"""Attach the uploads to the ticket: whoever may read the ticket may read them, and Helpdesk lists them."""
	for name in files:
		file = frappe.get_doc("File", name)
		file.attached_to_doctype = "HD Ticket"
		file.attached_to_name = ticket
		file.save(ignore_permissions=True)


# --------------------------------------------------------------------------- the ticket and the request


def submit_request(service_name: str, answers: dict, viewer: Viewer) -> dict:
	get_visible_service(service_name, viewer)  # hidden and unknown services look the same
	service = frappe.get_cached_doc("SSP Service", service_name)
	department = frappe.get_cached_doc("SSP Department", service.department)
	cleaned, files = clean_answers(service, answers, viewer.user)
	chain = resolve_chain(service, viewer.user, department)
	ticket = insert_ticket(service, department, viewer.user, cleaned, has_approvers=bool(chain))
	attach_files(files, ticket)
	request = create_request(ticket, service, department, viewer.user, cleaned, chain)
	log_event(
		"Ticket Submitted",
		user=viewer.user,
		service=service.name,
		department=department.name,
		hd_ticket=ticket,
	)
	return {
		"ticket": ticket,
		"request": request.name,
		"status": request.status,
		"status_text": status_text(request.status, request.approvals),
	}


def insert_ticket(
	service: Document, department: Document, requester: str, answers: list[Answer], has_approvers: bool
) -> str:
	"""The request's HD Ticket; with approvers it has no team until the last one approves."""
	ticket = frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": render_subject(service.title, answers),
			"description": render_description(service.title, answers),
			"raised_by": requester,
			"ticket_type": service.hd_ticket_type,
			"agent_group": None if has_approvers else department.hd_team,
			"via_customer_portal": 1,
			"ssp_channel": "Portal",
			"ssp_service": service.name,
			"ssp_department": department.name,
		}
	)
	ticket.flags.ssp_from_catalog = True
	ticket.insert(ignore_permissions=True)
	return ticket.name


def start_request_for_ticket(ticket: Document) -> None:
	"""A ticket that names a service without our form (Helpdesk's new-ticket page, an agent, the API)."""
	service = frappe.get_cached_doc("SSP Service", ticket.ssp_service)
	department = frappe.get_cached_doc("SSP Department", service.department)
	requester = parseaddr(ticket.raised_by or "")[1] or ticket.owner
	chain = resolve_chain(service, requester, department)
	create_request(ticket.name, service, department, requester, [], chain)


def create_request(
	ticket: str,
	service: Document,
	department: Document,
	requester: str,
	answers: list[Answer],
	chain: list[ApprovalRow],
) -> Document:
	"""The SSP Request behind a ticket, with the service's fulfilment plan frozen into it; started at
	once (SSPRequest.start)."""
	plan = fulfilment.snapshot(service)
	request = frappe.get_doc(
		{
			"doctype": "SSP Request",
			"hd_ticket": ticket,
			"service": service.name,
			"department": department.name,
			"requester": requester,
			"status": PENDING_APPROVAL if chain else SUBMITTED,
			"plan_snapshot": plan,
			"plan_status": (fulfilment.NOT_STARTED if chain else fulfilment.RUNNING) if plan else None,
			"answers": [
				{"fieldname": a.fieldname, "label": a.label, "fieldtype": a.fieldtype, "value": a.value}
				for a in answers
			],
			"approvals": [approval_row(service, row) for row in chain],
		}
	)
	request.insert(ignore_permissions=True)
	request.start()
	return request


def approval_row(service: Document, row: ApprovalRow) -> dict:
	"""An SSP Request Approval for one approver of the resolved chain (approvers.resolve_chain)."""
	step = service.approval_steps[row.step - 1]
	return {
		"step": row.step,
		"step_label": step.step_label or step.approver_type,
		"approver": row.approver,
		"approval_rule": row.rule,
		"decision": PENDING,
	}
