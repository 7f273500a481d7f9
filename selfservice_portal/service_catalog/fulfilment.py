"""Fulfilment plans at run time: a request's tasks become HD Tickets for their departments' teams.

- The service's plan is frozen into the SSP Request when the request is made (``plan_snapshot``), so
  a later change to the service applies to new requests only.
- The plan starts when the request is approved, or at once without approvals (``start_plan``): a
  background job (``spawn_tasks``) writes one SSP Request Task per task (unique on request and task)
  and creates an HD Ticket for each task that is ready. A task that waits for others has no ticket
  yet: nobody can be assigned to it, and the plan's progress says whom it waits for.
- A task ticket resolved (HD Ticket on_update) marks its task Resolved and starts the tasks now
  ready; the last one resolves the request's ticket, exactly once: every change of a plan's state
  happens under a row lock on its SSP Request (SELECT … FOR UPDATE), and the task rows are read with
  locking reads, which see what a concurrent transaction committed before the lock was granted.
- The request's ticket resolved or closed by a person cancels the plan: waiting tasks are cancelled,
  open task tickets closed with a comment.

Nothing here commits; the job's commit is Frappe's, after it returns. How far a plan has come, in
words, is plan_progress.py.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, escape_html, formatdate, get_fullname, now_datetime

from selfservice_portal.service_catalog import plans

NOT_STARTED, RUNNING, COMPLETED, CANCELLED = "Not Started", "Running", "Completed", "Cancelled"
SPAWN_JOB = "selfservice_portal.service_catalog.fulfilment.spawn_tasks"
TASK_FIELDS = (
	"name",
	"task_id",
	"task_label",
	"department",
	"status",
	"hd_ticket",
	"due_on",
	"started_on",
	"resolved_on",
	"sort_order",
)
REQUEST_FIELDS = ("name", "hd_ticket", "service", "requester", "plan_status", "plan_snapshot")
TASK_RAISED_BY = "Administrator"  # task tickets are the desk's own work: no requester sees them


# --------------------------------------------------------------------------- the frozen plan


def snapshot(service: Document) -> str | None:
	"""The service's plan as JSON, to freeze into a new request; None when it has no plan."""
	if not service.get("plan_tasks"):
		return None
	labels = {}
	for task in service.plan_tasks:
		labels.setdefault(task.task_label, task.task_id)
		labels.setdefault(task.task_id, task.task_id)
	tasks = []
	for task in service.plan_tasks:
		waits_for, _unknown = plans.resolve_waits_for(labels, task.waits_for)
		tasks.append(
			{
				"task_id": task.task_id,
				"label": task.task_label,
				"department": task.department,
				"description": task.description or "",
				"waits_for": list(waits_for),
				"date_field": task.date_field or "",
				"offset_days": cint(task.offset_days),
				"answer_fields": list(plans.split_names(task.answer_fields)),
			}
		)
	return json.dumps({"tasks": tasks}, ensure_ascii=False)


def plan_of(request: Document | frappe._dict) -> list[dict]:
	"""The tasks frozen into ``request`` (a doc or a row with plan_snapshot)."""
	raw = request.get("plan_snapshot")
	if not raw:
		return []
	data = raw if isinstance(raw, dict) else json.loads(raw)
	return data.get("tasks") or []


def as_plan_tasks(tasks: list[dict]) -> list[plans.PlanTask]:
	return [plans.PlanTask(t["task_id"], t["label"], tuple(t.get("waits_for") or ())) for t in tasks]


# --------------------------------------------------------------------------- starting and spawning


def start_plan(request: Document) -> None:
	"""The request was approved (or needs no approval): its plan runs, in a background job."""
	if request.get("plan_status") != NOT_STARTED:
		return
	frappe.db.set_value("SSP Request", request.name, "plan_status", RUNNING, update_modified=False)
	request.plan_status = RUNNING
	enqueue_spawn(request.name)


def enqueue_spawn(request: str) -> None:
	"""After the commit, so the job sees what the caller wrote; inline under tests."""
	frappe.enqueue(
		SPAWN_JOB,
		queue="short",
		request=request,
		enqueue_after_commit=True,
		now=bool(frappe.flags.in_test),
	)


def spawn_tasks(request: str) -> list[str]:
	"""The job: the plan's task rows (once) and a ticket for every task that is ready. Idempotent —
	a retried job, a second job or a concurrent one creates nothing twice (the request's row lock
	queues them; the unique keys on (request, task) and on the ticket's task are the backstop).
	Returns the tickets it created."""
	locked = lock_request(request)
	if not locked or locked.plan_status != RUNNING:
		return []
	tasks = plan_of(locked)
	rows = task_rows(request, for_update=True)
	answers = None
	for position, task in enumerate(tasks):
		if task["task_id"] in rows:
			continue
		if answers is None:
			answers = answers_of(request)
		rows[task["task_id"]] = insert_task_row(locked, task, position, answers)
	states = {task_id: row.status for task_id, row in rows.items()}
	by_id = {t["task_id"]: t for t in tasks}
	created = []
	for task_id in plans.ready_tasks(as_plan_tasks(tasks), states):
		if answers is None:
			answers = answers_of(request)
		ticket = start_task(locked, by_id[task_id], rows[task_id], answers)
		if ticket:
			created.append(ticket)
	return created


def lock_request(request: str) -> frappe._dict | None:
	return frappe.db.get_value("SSP Request", request, REQUEST_FIELDS, as_dict=True, for_update=True)


def task_rows(request: str, for_update: bool = False) -> dict:
	"""The request's task rows by task id; a locking read when ``for_update``."""
	rows = frappe.db.get_values(
		"SSP Request Task",
		{"request": request},
		TASK_FIELDS,
		as_dict=True,
		order_by="sort_order asc",
		for_update=for_update,
	)
	return {row.task_id: row for row in rows}


def answers_of(request: str) -> list:
	return frappe.get_all(
		"SSP Request Answer",
		filters={"parent": request, "parenttype": "SSP Request"},
		fields=["fieldname", "label", "value"],
		order_by="idx asc",
	)


def insert_task_row(request: frappe._dict, task: dict, position: int, answers: list) -> frappe._dict:
	date_answer = next((a.value for a in answers if a.fieldname == task.get("date_field")), None)
	due = plans.due_date(date_answer, task.get("offset_days") or 0) if task.get("date_field") else None
	doc = frappe.get_doc(
		{
			"doctype": "SSP Request Task",
			"request": request.name,
			"request_ticket": request.hd_ticket,
			"task_id": task["task_id"],
			"task_label": task["label"],
			"department": task["department"],
			"hd_team": frappe.get_cached_value("SSP Department", task["department"], "hd_team"),
			"status": plans.WAITING,
			"waits_for": ", ".join(task.get("waits_for") or ()),
			"description": task.get("description") or "",
			"due_on": due,
			"sort_order": position,
		}
	).insert(ignore_permissions=True)
	return frappe._dict({f: doc.get(f) for f in TASK_FIELDS})


def start_task(request: frappe._dict, task: dict, row: frappe._dict, answers: list) -> str | None:
	"""The task's ticket, for its department's team (Helpdesk's assignment rules and SLAs apply), with
	only the answers the task needs. Raised by and owned by Administrator, so that no requester or
	approver reads it."""
	service_title = frappe.get_cached_value("SSP Service", request.service, "title") or request.service
	requester = get_fullname(request.requester)
	wanted = set(task.get("answer_fields") or ())
	shown = [(a.label, a.value) for a in answers if not wanted or a.fieldname in wanted]
	ticket = frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": task_subject(task["label"], service_title, requester),
			"description": plans.render_task_description(
				_("Task {0} of request {1} ({2}, ticket {3}) for {4}.").format(
					task["label"], request.name, service_title, request.hd_ticket, requester
				),
				task.get("description") or "",
				shown,
				_("Due on {0}").format(formatdate(row.due_on)) if row.due_on else "",
			),
			"raised_by": TASK_RAISED_BY,
			"agent_group": frappe.get_cached_value("SSP Department", task["department"], "hd_team"),
			"ssp_department": task["department"],
			"ssp_parent_ticket": request.hd_ticket,
			"ssp_plan_task": row.name,
		}
	)
	ticket.flags.ssp_plan = True
	frappe.db.savepoint("ssp_start_task")
	try:
		with as_administrator():
			ticket.insert(ignore_permissions=True)
	except frappe.UniqueValidationError:
		# Another run made it (something committed our transaction midway, e.g. a mail sent at once).
		frappe.db.rollback(save_point="ssp_start_task")
		row.status = plans.OPEN
		return None
	frappe.db.set_value(
		"SSP Request Task",
		row.name,
		{"status": plans.OPEN, "hd_ticket": ticket.name, "started_on": now_datetime()},
	)
	row.status, row.hd_ticket = plans.OPEN, ticket.name
	return ticket.name


@contextmanager
def as_administrator() -> Iterator[None]:
	"""Create a task ticket as Administrator, whoever's action started the task (a requester, an
	approver, an agent): Helpdesk lets a ticket's owner read it, and a task ticket is the desk's own.
	The job runs as the user who enqueued it; inline (tests) the caller's user is restored after."""
	user = frappe.session.user
	if user == "Administrator":
		yield
		return
	form_dict, data = frappe.local.form_dict, frappe.local.session.data
	frappe.set_user("Administrator")
	try:
		yield
	finally:
		frappe.set_user(user)
		frappe.local.form_dict, frappe.local.session.data = form_dict, data


def task_subject(label: str, service_title: str, requester: str, limit: int = 140) -> str:
	subject = " ".join(_("{0} · {1} for {2}").format(label, service_title, requester).split())
	return subject if len(subject) <= limit else subject[: limit - 1] + "…"


# --------------------------------------------------------------------------- tickets moving on


def is_resolved_status(status: str | None) -> bool:
	return bool(status) and frappe.get_cached_value("HD Ticket Status", status, "category") == "Resolved"


def on_ticket_update(doc: Document) -> None:
	"""HD Ticket on_update: a task ticket resolved or reopened, a request's ticket closed."""
	if doc.flags.ssp_plan or not doc.has_value_changed("status"):
		return
	if doc.get("ssp_plan_task"):
		task_ticket_changed(doc)
	elif doc.get("ssp_request") and is_resolved_status(doc.status):
		cancel_plan(doc.ssp_request, doc.name)


def task_ticket_changed(doc: Document) -> None:
	resolved = is_resolved_status(doc.status)
	request = frappe.db.get_value("SSP Request Task", doc.ssp_plan_task, "request")
	locked = lock_request(request) if request else None
	if not locked:
		return
	rows = task_rows(request, for_update=True)
	row = next((r for r in rows.values() if r.name == doc.ssp_plan_task), None)
	if not row:
		return
	if resolved and row.status == plans.OPEN:
		row.status, row.resolved_on = plans.RESOLVED, now_datetime()
	elif not resolved and row.status == plans.RESOLVED:
		row.status, row.resolved_on = plans.OPEN, None  # reopened: the plan waits for it again
	else:
		return
	frappe.db.set_value("SSP Request Task", row.name, {"status": row.status, "resolved_on": row.resolved_on})
	if locked.plan_status != RUNNING:
		return
	tasks = as_plan_tasks(plan_of(locked))
	states = {task_id: r.status for task_id, r in rows.items()}
	if plans.progress(tasks, states).is_complete:
		complete_plan(locked, tasks, states)
	elif resolved and plans.ready_tasks(tasks, states):
		enqueue_spawn(request)


def complete_plan(request: frappe._dict, tasks: list[plans.PlanTask], states: dict[str, str]) -> None:
	"""Every task is resolved: the request's ticket is resolved, with a comment saying so. Called
	under the request's row lock, with plan_status Running: it happens once."""
	frappe.db.set_value("SSP Request", request.name, "plan_status", COMPLETED, update_modified=False)
	ticket = frappe.get_doc("HD Ticket", request.hd_ticket)
	if not is_resolved_status(ticket.status):
		ticket.flags.ssp_plan = True
		ticket.status = "Resolved"
		ticket.status_category = None
		ticket.save(ignore_permissions=True)
	add_comment(
		request.hd_ticket,
		_("Every task of the fulfilment plan is done: {0}").format(
			plans.progress_items(plans.progress(tasks, states))
		),
	)


def cancel_plan(request: str, ticket: str) -> None:
	"""The request's ticket was resolved or closed by a person: the plan stops. Waiting tasks are
	cancelled, open task tickets closed with a comment naming the request's ticket."""
	locked = lock_request(request)
	if not locked or locked.plan_status not in (NOT_STARTED, RUNNING):
		return
	frappe.db.set_value("SSP Request", request, "plan_status", CANCELLED, update_modified=False)
	for row in task_rows(request, for_update=True).values():
		if row.status not in (plans.WAITING, plans.OPEN):
			continue
		frappe.db.set_value("SSP Request Task", row.name, "status", plans.CANCELLED)
		if row.hd_ticket:
			close_task_ticket(row.hd_ticket, ticket)


def close_task_ticket(name: str, request_ticket: str) -> None:
	ticket = frappe.get_doc("HD Ticket", name)
	if is_resolved_status(ticket.status):
		return
	ticket.flags.ssp_plan = True
	ticket.status = "Closed"
	ticket.status_category = None
	ticket.save(ignore_permissions=True)
	add_comment(
		name,
		_("Cancelled: ticket {0} of the request was closed, so this task is no longer needed.").format(
			request_ticket
		),
	)


def add_comment(ticket: str, text: str) -> None:
	"""An internal comment (agents only), as Helpdesk's own comments are."""
	frappe.get_doc(
		{
			"doctype": "HD Ticket Comment",
			"reference_ticket": ticket,
			"commented_by": "Administrator",
			"content": f"<p>{escape_html(text)}</p>",
		}
	).insert(ignore_permissions=True)
