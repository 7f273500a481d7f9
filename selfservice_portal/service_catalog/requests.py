"""Submitting a catalog request and deciding its approvals.

A submission becomes an HD Ticket (the department's team and ticket type, a readable subject, the
answers in the description) plus an SSP Request holding the answers as data and the approval trail.
While approvals are pending the ticket waits in the "Awaiting Approval" status (category Paused) with
no team; the last approval hands it to the team, a rejection closes it with the reason. Closing
the ticket while it waits withdraws the request (ticket_events.hold_while_pending_approval).
"""

from collections.abc import Callable
from email.utils import parseaddr

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import comma_and, comma_or, escape_html, get_url, now_datetime

from selfservice_portal.deflection.events import log_event
from selfservice_portal.notifications import in_each_language, send
from selfservice_portal.service_catalog import fulfilment
from selfservice_portal.service_catalog.approvals import (
	APPROVED,
	PENDING,
	REJECTED,
	SKIPPED,
	ApprovalRow,
	DecisionError,
	apply_decision,
	current_step,
	overall_status,
)
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
from selfservice_portal.service_catalog.visibility import Viewer

AWAITING_APPROVAL = "Awaiting Approval"
PENDING_APPROVAL, CANCELLED = "Pending Approval", "Cancelled"
SYSTEM_USERS = ("Administrator", "Guest")


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


def field_error(fieldname: str, message: str) -> None:
	"""Tell the portal page which field a refusal is about, so it can highlight it (the message itself
	stays in frappe.throw, for every other client)."""
	errors = frappe.response.setdefault("ssp_field_errors", {})
	errors[fieldname] = message


def decision_messages() -> dict[str, str]:
	"""approvals.py's DecisionError keys (that module is frappe-free), as literal translatable strings."""
	return {
		"decision must be Approved or Rejected": _("Decision must be Approved or Rejected"),
		"this request is no longer awaiting approval": _("This request is no longer awaiting approval"),
		"you have already decided this step": _("You have already decided this step"),
		"it is not your step's turn yet": _("It is not your step's turn yet"),
		"you are not an approver of this request": _("You are not an approver of this request"),
	}


def form_fields(service) -> list[FormField]:
	return [
		FormField(
			fieldname=f.fieldname,
			label=f.label,
			fieldtype=f.fieldtype,
			is_required=bool(f.is_required),
			options=parse_options(f.options),
			min_value=limit_of(f, "min_value"),
			max_value=limit_of(f, "max_value"),
		)
		for f in service.form_fields
	]


def limit_of(field, key: str) -> float | None:
	"""A Number field's limit; a malformed one (saved before SSP Service validated it) is no limit."""
	if field.fieldtype != "Number":
		return None
	try:
		return parse_limit(field.get(key))
	except ValueError:
		return None


def clean_answers(service, answers: dict, user: str) -> tuple[list[Answer], list[str]]:
	"""Validate against the form, then check what only the site can know (users, files).

	Returns the answers and the File records they attach (to be attached to the ticket).
	Messages are shown as HTML by the portal: everything the requester typed is escaped.
	"""
	try:
		cleaned = validate_answers(form_fields(service), answers)
	except FormError as e:
		fields = {f.fieldname: f for f in service.form_fields}
		messages = form_messages()
		lines = []
		for fieldname, key in e.errors:
			field = fields.get(fieldname)
			label = escape_html(_(field.label) if field else fieldname) or _("Form")
			limit = ""
			if field and key in ("is below the minimum", "is above the maximum"):
				value = limit_of(field, "min_value" if key == "is below the minimum" else "max_value")
				limit = number_text(value) if value is not None else ""
			template = messages.get(key) or ("{0} " + escape_html(key))
			line = template.format(label, limit)
			lines.append(line)
			if field:
				field_error(fieldname, line)
		frappe.throw("<br>".join(lines), frappe.ValidationError, title=_("Please check the form"))
	files = []
	for answer in cleaned:
		if answer.fieldtype == "User":
			check_user_answer(answer)
		if answer.fieldtype == "Attach":
			files.append(find_attachment(answer, user))
	return cleaned, files


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
	free = [f.name for f in files if not f.attached_to_doctype]
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


def submit_request(service_name: str, answers: dict, viewer: Viewer) -> dict:
	get_visible_service(service_name, viewer)  # hidden and unknown services look the same
	service = frappe.get_cached_doc("SSP Service", service_name)
	department = frappe.get_cached_doc("SSP Department", service.department)
	cleaned, files = clean_answers(service, answers, viewer.user)
	chain = resolve_chain(service, viewer.user, department)

	ticket = frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": render_subject(service.title, cleaned),
			"description": render_description(service.title, cleaned),
			"raised_by": viewer.user,
			"ticket_type": service.hd_ticket_type,
			"agent_group": None if chain else department.hd_team,
			"via_customer_portal": 1,
			"ssp_channel": "Portal",
			"ssp_service": service.name,
			"ssp_department": department.name,
		}
	)
	ticket.flags.ssp_from_catalog = True
	ticket.insert(ignore_permissions=True)
	attach_files(files, ticket.name)
	request = create_request(ticket.name, service, department, viewer.user, cleaned, chain)
	log_event(
		"Ticket Submitted",
		user=viewer.user,
		service=service.name,
		department=department.name,
		hd_ticket=ticket.name,
	)
	return {
		"ticket": ticket.name,
		"request": request.name,
		"status": request.status,
		"status_text": status_text(request.status, request.approvals),
	}


def start_request_for_ticket(ticket) -> None:
	"""A ticket that names a service without our form (Helpdesk's new-ticket page, an agent, the API)."""
	service = frappe.get_cached_doc("SSP Service", ticket.ssp_service)
	department = frappe.get_cached_doc("SSP Department", service.department)
	requester = parseaddr(ticket.raised_by or "")[1] or ticket.owner
	chain = resolve_chain(service, requester, department)
	create_request(ticket.name, service, department, requester, [], chain)


def create_request(
	ticket: str, service, department, requester: str, answers: list[Answer], chain
) -> Document:
	"""The SSP Request behind a ticket; with a chain, the ticket waits and the first approvers hear.
	The service's fulfilment plan is frozen into it, and runs at once when there is no chain."""
	plan = fulfilment.snapshot(service)
	request = frappe.get_doc(
		{
			"doctype": "SSP Request",
			"hd_ticket": ticket,
			"service": service.name,
			"department": department.name,
			"requester": requester,
			"status": "Pending Approval" if chain else "Submitted",
			"plan_snapshot": plan,
			"plan_status": (fulfilment.NOT_STARTED if chain else fulfilment.RUNNING) if plan else None,
			"answers": [
				{"fieldname": a.fieldname, "label": a.label, "fieldtype": a.fieldtype, "value": a.value}
				for a in answers
			],
			"approvals": [
				{
					"step": row.step,
					"step_label": service.approval_steps[row.step - 1].step_label
					or service.approval_steps[row.step - 1].approver_type,
					"approver": row.approver,
					"approval_rule": row.rule,
					"decision": PENDING,
				}
				for row in chain
			],
		}
	)
	request.insert(ignore_permissions=True)
	if chain:
		hold_for_approval(ticket, request)
		notify_approvers(request, current_step(rows_of(request)))
	else:
		frappe.db.set_value(
			"HD Ticket", ticket, {"ssp_request": request.name, "ssp_approval_status": request.status}
		)
		if plan:
			fulfilment.enqueue_spawn(request.name)
	return request


def hold_for_approval(ticket_name: str, request) -> None:
	"""Pause the ticket through a real save, so Helpdesk's SLA counts the wait as hold time
	(on_hold_since now, added to total_hold_time when the last approval reopens it)."""
	ticket = frappe.get_doc("HD Ticket", ticket_name)
	ticket.flags.ssp_approval_handoff = True
	ticket.ssp_request = request.name
	ticket.ssp_approval_status = request.status
	ticket.status = AWAITING_APPROVAL
	ticket.status_category = "Paused"
	ticket.save(ignore_permissions=True)


def rows_of(request) -> list[ApprovalRow]:
	return row_states(request.approvals)


def decide(request_name: str, decision: str, comment: str, user: str, is_admin: bool) -> dict:
	"""Record one approver's decision; the row lock makes concurrent decisions queue, not race."""
	if not frappe.db.exists("SSP Request", request_name):
		frappe.throw(
			_("Request {0} was not found").format(escape_html(request_name)), frappe.DoesNotExistError
		)
	request = frappe.get_doc("SSP Request", request_name, for_update=True)
	if request.requester == user:
		# Separation of duties: not even an admin decides their own request.
		frappe.throw(_("You cannot decide your own request"), frappe.PermissionError)
	if request.status != PENDING_APPROVAL:
		frappe.throw(
			_("Request {0} is {1} and can no longer be decided").format(request.name, _(request.status))
		)
	if is_ticket_closed(request.hd_ticket):
		frappe.throw(
			_("Ticket {0} is closed, so request {1} can no longer be decided").format(
				request.hd_ticket, request.name
			)
		)
	rows = rows_of(request)
	try:
		changed = apply_decision(rows, user, decision, is_admin=is_admin)
	except DecisionError as e:
		message = decision_messages().get(str(e)) or _("This decision cannot be taken")
		frappe.throw(message, frappe.PermissionError)
	decided_at = now_datetime()
	changed_ids = {id(r) for r in changed}
	for row, doc_row in zip(rows, request.approvals, strict=True):
		if id(row) not in changed_ids:
			continue
		doc_row.decision = row.decision
		doc_row.decided_on = decided_at
		if row.decision in (APPROVED, REJECTED):
			doc_row.decided_by = user
			doc_row.comment = comment
	request.status = overall_status(rows)
	if request.status == "Rejected":
		request.rejection_reason = comment
	request.save(ignore_permissions=True)
	after_decision(request, rows)
	return {
		"request": request.name,
		"status": request.status,
		"ticket": request.hd_ticket,
		**decision_outcome(request, decision),
	}


def decision_outcome(request, decision: str) -> dict:
	"""What the approver just did, for whom, and what happens next, in words."""
	service_title = frappe.get_cached_value("SSP Service", request.service, "title")
	requester = frappe.utils.get_fullname(request.requester)
	if decision == REJECTED:
		done = _("You rejected the request “{0}” of {1}.").format(service_title, requester)
	else:
		done = _("You approved the request “{0}” of {1}.").format(service_title, requester)
	if request.status == "Approved":
		team = frappe.get_cached_value("SSP Department", request.department, "hd_team")
		following = _("Every approval is in: ticket {0} is handed to {1}, and {2} is told.").format(
			request.hd_ticket, team or request.department, requester
		)
	elif request.status == "Rejected":
		following = _("Ticket {0} is closed, and {1} is told your reason.").format(
			request.hd_ticket, requester
		)
	else:
		names, step = waiting_for(request.approvals)
		following = _("Your decision is recorded; the request now waits for {0} (step {1} of {2}).").format(
			comma_or(names, add_quotes=False) or _("the next approver"),
			step,
			len({a.step for a in request.approvals}),
		)
	summary = summarise(request, [], request.approvals)
	return {
		"service_title": service_title,
		"requester_name": requester,
		"decided": done,
		"next": following,
		"status_text": summary["status_text"],
		"approvals": summary["approvals"],
	}


def is_ticket_closed(ticket: str) -> bool:
	"""Resolved or closed, even when it got there without our hooks (Helpdesk's auto-close skips them)."""
	status = frappe.db.get_value("HD Ticket", ticket, "status")
	return frappe.get_cached_value("HD Ticket Status", status, "category") == "Resolved" if status else True


def withdraw_request(request_name: str) -> None:
	"""The ticket was closed while it waited: the request is cancelled and nobody needs to decide."""
	request = frappe.get_doc("SSP Request", request_name, for_update=True)
	if request.status != PENDING_APPROVAL:
		return
	request.status = CANCELLED
	for row in request.approvals:
		if row.decision == PENDING:
			row.decision = SKIPPED
	request.save(ignore_permissions=True)


def after_decision(request, rows: list[ApprovalRow]) -> None:
	ticket = frappe.get_doc("HD Ticket", request.hd_ticket)
	ticket.flags.ssp_approval_handoff = True  # not an agent reclassifying the request
	ticket.ssp_approval_status = request.status
	if request.status == "Approved":
		ticket.agent_group = frappe.get_cached_value("SSP Department", request.department, "hd_team")
		ticket.status = ticket.default_open_status
		ticket.status_category = None
	elif request.status == "Rejected":
		ticket.status = "Closed"
		ticket.status_category = None
		ticket.resolution_details = _("Rejected: {0}").format(
			frappe.utils.escape_html(request.rejection_reason or "")
		)
	ticket.save(ignore_permissions=True)
	if request.status == "Rejected":
		tell_requester(
			request,
			lambda: _("Your request was rejected. Reason: {0}").format(
				request.rejection_reason or _("none given")
			),
		)
	elif request.status == "Approved":
		fulfilment.start_plan(request)
		tell_requester(request, lambda: _("Your request was approved and handed to the team."))
	else:
		notify_approvers(request, current_step(rows))


def tell_requester(request, message: Callable[[], str]) -> None:
	"""A reply on the ticket, visible to the requester in the portal, in the requester's language
	(``message`` is called with it set)."""
	for _requester in in_each_language([request.requester]):
		write_reply(request, message())


def write_reply(request, message: str) -> None:
	frappe.get_doc(
		{
			"doctype": "Communication",
			# An automated message: Helpdesk does not count it as an agent reply (nor re-saves the ticket).
			"communication_type": "Automated Message",
			"communication_medium": "Email",
			"sent_or_received": "Sent",
			"subject": _("Request {0}").format(request.name),
			"content": f"<p>{frappe.utils.escape_html(message)}</p>",
			"sender": "Administrator",
			"recipients": request.requester,
			"reference_doctype": "HD Ticket",
			"reference_name": request.hd_ticket,
		}
	).insert(ignore_permissions=True)


def approval_link(request_name: str, decision: str | None = None) -> str:
	"""The approval page (login required); a decision in the link only pre-selects it, never applies it."""
	query = f"request={request_name}" + (f"&decision={decision}" if decision else "")
	return get_url(f"/service-approval?{query}")


def notify_approvers(request, step: int | None) -> None:
	"""Desk notification and an e-mail with a link to the approval page (login required)."""
	if step is None:
		return
	approvers = [r.approver for r in request.approvals if r.step == step and r.decision == PENDING]
	for group in in_each_language(approvers):
		ask_for_decision(request, group)


def ask_for_decision(request, approvers: list[str]) -> None:
	"""The Desk alert and e-mail to approvers who read the same language (the one set now)."""
	link = approval_link(request.name)
	context = {
		"request_name": request.name,
		"service_title": frappe.get_cached_value("SSP Service", request.service, "title"),
		"requester": request.requester,
		"link": link,
		"approve_link": approval_link(request.name, "Approved"),
		"reject_link": approval_link(request.name, "Rejected"),
	}
	send("SSP Approval Needed", approvers, context, "SSP Request", request.name, link=link)


def get_request_for_ticket(ticket: str) -> dict | None:
	name = frappe.db.get_value("SSP Request", {"hd_ticket": ticket})
	if not name:
		return None
	request = frappe.get_doc("SSP Request", name)
	return {**summarise_for_approver(request), "rejection_reason": request.rejection_reason}


def with_open_ticket(query, request):
	"""``query`` over SSP Request (``request``) joined to its ticket and that ticket's status, and the
	condition that the ticket is neither resolved nor closed."""
	ticket = frappe.qb.DocType("HD Ticket")
	ticket_status = frappe.qb.DocType("HD Ticket Status")
	joined = (
		query.join(ticket)
		.on(ticket.name == request.hd_ticket)
		.left_join(ticket_status)
		.on(ticket_status.name == ticket.status)
	)
	return joined, ticket_status.category.isnull() | (ticket_status.category != "Resolved")


def get_pending_for(user: str) -> list[dict]:
	"""Requests whose current step waits for ``user``, on tickets still open.

	Three queries in all (candidates, their approval rows, the answers of those kept), none per request.
	"""
	request = frappe.qb.DocType("SSP Request")
	approval = frappe.qb.DocType("SSP Request Approval")
	query, ticket_open = with_open_ticket(
		frappe.qb.from_(request)
		.join(approval)
		.on((approval.parent == request.name) & (approval.parenttype == "SSP Request")),
		request,
	)
	candidates = (
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
	if not candidates:
		return []
	rows = child_rows(
		"SSP Request Approval",
		[c.name for c in candidates],
		["step", "step_label", "approver", "approval_rule", "decision", "decided_on", "comment"],
	)
	waiting = [
		c
		for c in candidates
		if current_step(row_states(rows.get(c.name, [])))
		in {r.step for r in rows.get(c.name, []) if r.approver == user and r.decision == PENDING}
	]
	answers = child_rows("SSP Request Answer", [c.name for c in waiting], ["label", "value"])
	return [summarise(c, answers.get(c.name, []), rows.get(c.name, [])) for c in waiting]


def child_rows(doctype: str, parents: list[str], fields: list[str]) -> dict[str, list]:
	"""Child rows of many SSP Requests in one query, grouped by request, in form order."""
	if not parents:
		return {}
	table = frappe.qb.DocType(doctype)
	query = (
		frappe.qb.from_(table)
		.select(table.parent, *(table[f] for f in fields))
		.where((table.parenttype == "SSP Request") & table.parent.isin(parents))
		.orderby(table.parent)
		.orderby(table.idx)
	)
	grouped: dict[str, list] = {}
	for row in query.run(as_dict=True):
		grouped.setdefault(row.parent, []).append(row)
	return grouped


def row_states(rows) -> list[ApprovalRow]:
	return [ApprovalRow(r.step, r.approver, r.approval_rule, r.decision) for r in rows]


def summarise_for_approver(request) -> dict:
	return summarise(request, request.answers, request.approvals)


def summarise(request, answers, approvals) -> dict:
	"""``request`` is an SSP Request or a row with its fields; answers and approvals are its child rows.

	Carries words and dates formatted for people next to the raw values, so that Helpdesk's ticket
	view (which has no Frappe formatting helpers) shows the same text as our pages.
	"""
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
		"answers": [{"label": a.label, "value": a.value} for a in answers],
		"approvals": [
			{
				"step": a.step,
				"label": a.step_label,
				"approver": frappe.utils.get_fullname(a.approver),
				"decision": a.decision,
				"decision_label": decision_label(a.decision),
				"decided_on": a.decided_on,
				"decided_on_display": for_people(a.decided_on) if a.decided_on else "",
				"comment": a.comment,
			}
			for a in approvals
		],
	}


def for_people(value) -> str:
	"""A date and time in the site's date format, to the minute."""
	if not value:
		return ""
	moment = frappe.utils.get_datetime(value)
	return f"{frappe.utils.formatdate(moment.date())} {moment.strftime('%H:%M')}"


def status_label(status: str) -> str:
	"""A request's status in a word or two."""
	return {
		"Submitted": _("Submitted"),
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


def waiting_for(approvals) -> tuple[list[str], int | None]:
	"""Who the current step waits for (full names) and that step's number."""
	step = current_step(row_states(approvals))
	if step is None:
		return [], None
	names = [
		frappe.utils.get_fullname(a.approver) for a in approvals if a.step == step and a.decision == PENDING
	]
	return names, step


def status_text(status: str, approvals) -> str:
	"""A request's state in a sentence, naming whose decision it waits for."""
	if status == PENDING_APPROVAL:
		names, step = waiting_for(approvals)
		steps = len({a.step for a in approvals})
		if names:
			rule = next((a.approval_rule for a in approvals if a.step == step), None)
			join = comma_and if rule == "All of" else comma_or
			return _("Waiting for approval by {0} (step {1} of {2})").format(
				join(names, add_quotes=False), step, steps
			)
		return _("Waiting for approval")
	if status == "Approved":
		return _("Approved: the team is working on it")
	if status == "Rejected":
		return _("Rejected: see the reason on the ticket")
	if status == CANCELLED:
		return _("Withdrawn: the ticket was closed before the approval was complete")
	if status == "Submitted":
		return _("Submitted: no approval needed, the team is working on it")
	return _(status)


MY_REQUESTS_LIMIT = 100


def get_requests_of(user: str, limit: int = MY_REQUESTS_LIMIT) -> list[dict]:
	"""``user``'s own requests, newest first, with their approval state (three queries in all).

	Read with get_all because the filter *is* the permission: a requester may read their own
	requests (permissions.has_request_permission), while portal users have no DocType role to list them.
	"""
	rows = frappe.get_all(
		"SSP Request",
		filters={"requester": user},
		fields=[
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
		],
		order_by="creation desc, name desc",
		limit=limit,
	)
	plans = fulfilment.progress_texts(rows)
	approvals = child_rows(
		"SSP Request Approval",
		[r.name for r in rows],
		["step", "step_label", "approver", "approval_rule", "decision", "decided_on", "comment"],
	)
	out = []
	for row in rows:
		summary = summarise(row, [], approvals.get(row.name, []))
		summary["department_title"] = (
			frappe.get_cached_value("SSP Department", row.department, "department_name") or row.department
		)
		summary["submitted_on_date"] = frappe.utils.formatdate(row.creation)
		if row.status == REJECTED and row.rejection_reason:
			summary["status_text"] = _("Rejected: {0}").format(row.rejection_reason)
		elif row.name in plans:
			summary["status_text"] = plans[row.name]
		out.append(summary)
	return out


def get_request_for_approver(request_name: str, user: str, is_admin: bool) -> dict:
	doc = (
		frappe.get_doc("SSP Request", request_name) if frappe.db.exists("SSP Request", request_name) else None
	)
	if not doc or not (is_admin or any(r.approver == user for r in doc.approvals)):
		frappe.throw(
			_("Request {0} was not found").format(escape_html(request_name)), frappe.DoesNotExistError
		)
	summary = summarise_for_approver(doc)
	step = current_step(rows_of(doc))
	summary["can_decide"] = (
		doc.status == PENDING_APPROVAL
		and doc.requester != user
		and (
			is_admin
			or any(r.step == step and r.approver == user and r.decision == PENDING for r in doc.approvals)
		)
		and not is_ticket_closed(doc.hd_ticket)
	)
	return summary
