"""How far a request's fulfilment plan has come, for people: the task list on a ticket (the request's own
or one of its task tickets) and the one-line progress on the requester's pages. Read-only; the plan
itself runs in fulfilment.py."""

import frappe
from frappe import _
from frappe.utils import formatdate

from selfservice_portal.service_catalog import plans
from selfservice_portal.service_catalog.fulfilment import (
	CANCELLED,
	COMPLETED,
	NOT_STARTED,
	REQUEST_FIELDS,
	RUNNING,
	as_plan_tasks,
	plan_of,
	task_rows,
)


def status_word(state: str, waiting_for: list[str]) -> str:
	if state == plans.RESOLVED:
		return _("Done")
	if state == plans.CANCELLED:
		return _("Cancelled")
	if state == plans.OPEN:
		return _("In progress")
	if waiting_for:
		return _("Waiting for {0}").format(", ".join(waiting_for))
	return _("Starting")


def plan_status_label(status: str) -> str:
	return {
		NOT_STARTED: _("Starts when the request is approved"),
		RUNNING: _("In progress"),
		COMPLETED: _("Completed"),
		CANCELLED: _("Cancelled"),
	}.get(status, _(status))


def progress_text(tasks: list[plans.PlanTask], states: dict[str, str]) -> str:
	"""'2 of 3 done: IT account ✓ · Laptop ✓ · Building pass …'"""
	progress = plans.progress(tasks, states)
	return _("{0} of {1} done: {2}").format(progress.done, progress.total, plans.progress_items(progress))


def request_for_ticket(ticket: frappe._dict) -> str | None:
	"""The request whose plan a ticket belongs to: its own, or the one its task is part of."""
	if ticket.get("ssp_plan_task"):
		return frappe.db.get_value("SSP Request Task", ticket.ssp_plan_task, "request")
	return frappe.db.get_value("SSP Request", {"hd_ticket": ticket.name})


def get_plan_progress(ticket_name: str, for_staff: bool) -> dict | None:
	"""The plan of the request behind a ticket (the request's own or one of its task tickets):
	labels, states and whom a task waits for — never answers. Task ticket numbers for the desk only."""
	ticket = frappe.db.get_value("HD Ticket", ticket_name, ["name", "ssp_plan_task"], as_dict=True)
	request_name = request_for_ticket(ticket) if ticket else None
	request = (
		frappe.db.get_value("SSP Request", request_name, REQUEST_FIELDS, as_dict=True)
		if request_name
		else None
	)
	if not request or not request.plan_status or not plan_of(request):
		return None
	tasks = plan_of(request)
	plan_tasks = as_plan_tasks(tasks)
	rows = task_rows(request.name)
	states = {task_id: row.status for task_id, row in rows.items()}
	if request.plan_status == CANCELLED:
		states = {task["task_id"]: states.get(task["task_id"], plans.CANCELLED) for task in tasks}
	progress = plans.progress(plan_tasks, states)
	return {
		"request": request.name,
		"request_ticket": request.hd_ticket if for_staff or request.hd_ticket == ticket_name else None,
		"is_task_ticket": bool(ticket.ssp_plan_task),
		"service_title": frappe.get_cached_value("SSP Service", request.service, "title") or request.service,
		"plan_status": request.plan_status,
		"plan_status_label": plan_status_label(request.plan_status),
		"done": progress.done,
		"total": progress.total,
		"text": progress_text(plan_tasks, states),
		"tasks": task_items(tasks, plan_tasks, rows, states, ticket_name, for_staff),
	}


def task_items(
	tasks: list[dict],
	plan_tasks: list[plans.PlanTask],
	rows: dict[str, frappe._dict],
	states: dict[str, str],
	ticket_name: str,
	for_staff: bool,
) -> list[dict]:
	"""Each task of the plan as people read it; its ticket's number for the desk only."""
	labels = {task["task_id"]: task["label"] for task in tasks}
	items = []
	for task, plan_task in zip(tasks, plan_tasks, strict=True):
		task_row = rows.get(task["task_id"])
		state = states.get(task["task_id"], plans.WAITING)
		items.append(
			{
				"label": task["label"],
				"department": frappe.get_cached_value("SSP Department", task["department"], "department_name")
				or task["department"],
				"status": state,
				"status_label": status_word(state, plans.waiting_on(plan_task, states, labels)),
				"due_on_display": formatdate(task_row.due_on) if task_row and task_row.due_on else "",
				"ticket": task_row.hd_ticket if for_staff and task_row else None,
				"is_this_ticket": bool(task_row and task_row.hd_ticket == ticket_name),
			}
		)
	return items


def progress_texts(requests: list[frappe._dict]) -> dict[str, str]:
	"""'2 of 3 done: …' for each running or finished plan among ``requests`` (rows with name,
	plan_status and plan_snapshot), in one query for all their task rows."""
	started = [r for r in requests if r.get("plan_status") in (RUNNING, COMPLETED) and plan_of(r)]
	if not started:
		return {}
	states: dict[str, dict[str, str]] = {}
	for row in frappe.get_all(
		"SSP Request Task",
		filters={"request": ("in", [r.name for r in started])},
		fields=["request", "task_id", "status"],
	):
		states.setdefault(row.request, {})[row.task_id] = row.status
	return {r.name: progress_text(as_plan_tasks(plan_of(r)), states.get(r.name, {})) for r in started}
