"""A year of onboarding and leaving requests (``demo.fulfilment_plan``), replayed through the real
catalog code — submit, approve, the plan's tasks spawned and resolved, the request resolved by its
plan — and then moved back to the planned moments in SQL, so the Fulfilment report, the agent views
and the portal show a believable year.

Idempotent: a request is found again by its service and the employee's name (unique in the plan).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import frappe
from frappe.utils import get_datetime, now_datetime

from selfservice_portal.demo import fulfilment_plan
from selfservice_portal.service_catalog import catalog, fulfilment, intake, requests

SLA_SHIFTED = ("response_by", "resolution_by", "service_level_agreement_creation", "first_responded_on")


def seed_fulfilment_history() -> None:
	services = dict(
		frappe.get_all(
			"SSP Service",
			filters={"title": ("in", fulfilment_plan.SERVICE_TITLES)},
			fields=["title", "name"],
			as_list=True,
		)
	)
	if len(services) < len(fulfilment_plan.SERVICE_TITLES):
		return
	everything = fulfilment_plan.plan_requests(now_datetime())
	done = existing_keys(list(services.values()))
	# After an uninstall and a reinstall the requests are gone (their old tickets stay Helpdesk's): the
	# history is made again, so that the reinstalled site's Fulfilment report has its year.
	planned = [p for p in everything if (services[p.service], p.key) not in done]
	if not planned:
		return
	with spawning_inline():
		for request in planned:
			replay(request, services[request.service])


def existing_keys(services: list[str]) -> set[tuple[str, str]]:
	rows = frappe.db.sql(
		"""SELECT r.service, a.value FROM `tabSSP Request Answer` a
		JOIN `tabSSP Request` r ON r.name = a.parent
		WHERE a.parenttype = 'SSP Request' AND a.fieldname = 'employee_name' AND r.service IN %(services)s""",
		{"services": services},
	)
	return {(service, value) for service, value in rows}


@contextmanager
def spawning_inline() -> Iterator[None]:
	"""A year replayed in one call: the spawn job runs at once instead of a few hundred queued jobs
	(the job is idempotent, so this is the same work, only sooner)."""
	queued = fulfilment.enqueue_spawn
	fulfilment.enqueue_spawn = fulfilment.spawn_tasks
	try:
		yield
	finally:
		fulfilment.enqueue_spawn = queued


def replay(planned: fulfilment_plan.PlannedRequest, service: str) -> None:
	frappe.set_user(planned.requester)
	try:
		result = intake.submit_request(service, planned.answers, catalog.get_viewer(planned.requester))
	finally:
		frappe.set_user("Administrator")
	name = result["request"]
	if planned.needs_approval and planned.decided_at:
		approver = frappe.db.get_value(
			"SSP Request Approval", {"parent": name, "decision": "Pending"}, "approver"
		)
		decision = "Rejected" if planned.is_rejected else "Approved"
		comment = "No budget for this role yet" if planned.is_rejected else "Welcome aboard"
		requests.decide(name, decision, comment, approver, is_admin=False)
	for task in sorted((t for t in planned.tasks if t.resolved_at), key=lambda t: t.resolved_at):
		ticket = frappe.db.get_value(
			"SSP Request Task", {"request": name, "task_label": task.label}, "hd_ticket"
		)
		if ticket:
			doc = frappe.get_doc("HD Ticket", ticket)
			doc.status = "Resolved"
			doc.save(ignore_permissions=True)
	backdate(planned, name)


def backdate(planned: fulfilment_plan.PlannedRequest, name: str) -> None:
	request = frappe.db.get_value("SSP Request", name, ["hd_ticket", "creation"], as_dict=True)
	submitted, decided = planned.submitted_at, planned.decided_at
	begins = decided if planned.needs_approval else submitted
	finished = planned.resolved_at or (decided if planned.is_rejected else None)
	last = max(filter(None, [submitted, decided, *[t.started_at for t in planned.tasks]]), default=submitted)
	last = max(filter(None, [last, finished, *[t.resolved_at for t in planned.tasks]]))
	hold = (decided - submitted) if planned.needs_approval and decided else timedelta(0)
	waiting = planned.needs_approval and not decided  # still on hold for the manager, as Helpdesk keeps it
	backdate_ticket(request.hd_ticket, submitted, finished, last, hold, on_hold=waiting)
	set_values("SSP Request", {"name": name}, {"creation": submitted, "modified": last})
	set_values("SSP Request Answer", {"parent": name}, {"creation": submitted, "modified": submitted})
	if decided:
		set_values(
			"SSP Request Approval",
			{"parent": name, "decision": ("!=", "Pending")},
			{"creation": submitted, "modified": decided, "decided_on": decided},
		)
	set_values(
		"SSP Portal Event", {"hd_ticket": request.hd_ticket}, {"creation": submitted, "modified": submitted}
	)
	set_values(
		"Communication",
		{"reference_doctype": "HD Ticket", "reference_name": request.hd_ticket},
		{
			"creation": decided or submitted,
			"modified": decided or submitted,
			"communication_date": decided or submitted,
		},
	)
	tasks = {t.label: t for t in planned.tasks}
	for row in frappe.get_all(
		"SSP Request Task", filters={"request": name}, fields=["name", "task_label", "hd_ticket"]
	):
		task = tasks.get(row.task_label)
		if not task or not begins:
			continue
		changed = task.resolved_at or task.started_at or begins
		set_values(
			"SSP Request Task",
			{"name": row.name},
			{
				"creation": begins,
				"modified": changed,
				"started_on": task.started_at if row.hd_ticket else None,
				"resolved_on": task.resolved_at if row.hd_ticket else None,
			},
		)
		if row.hd_ticket and task.started_at:
			backdate_ticket(row.hd_ticket, task.started_at, task.resolved_at, changed, timedelta(0))
	if finished:
		set_values(
			"HD Ticket Comment",
			{"reference_ticket": request.hd_ticket},
			{"creation": finished, "modified": finished},
		)


def backdate_ticket(
	ticket: str,
	opened: datetime,
	resolved: datetime | None,
	last: datetime,
	hold: timedelta,
	on_hold: bool = False,
) -> None:
	"""Move a ticket to when it was planned: its SLA's dates by as much as its creation (plus the
	approval wait, Helpdesk's hold time), its resolution when it was resolved."""
	current = frappe.db.get_value(
		"HD Ticket", ticket, ["creation", "status_category", *SLA_SHIFTED], as_dict=True
	)
	shift = opened - get_datetime(current.creation)
	values = {
		"creation": opened,
		"modified": last,
		"opening_date": opened.date(),
		"opening_time": opened.time(),
		"on_hold_since": opened if on_hold else None,
		"total_hold_time": hold.total_seconds() or None,
	}
	for fieldname in SLA_SHIFTED:
		if current[fieldname]:
			values[fieldname] = get_datetime(current[fieldname]) + shift
	if values.get("resolution_by") and hold:
		values["resolution_by"] += hold
	if resolved and current.status_category == "Resolved":
		values.update({"resolution_date": resolved, "resolution_time": (resolved - opened).total_seconds()})
		if values.get("first_responded_on"):
			values["first_responded_on"] = min(values["first_responded_on"], resolved)
		if values.get("resolution_by"):
			values["agreement_status"] = "Fulfilled" if resolved <= values["resolution_by"] else "Failed"
	set_values("HD Ticket", {"name": ticket}, values)
	# Helpdesk's assignment rules gave it to an agent when it was made.
	set_values(
		"ToDo",
		{"reference_type": "HD Ticket", "reference_name": ticket},
		{"creation": opened, "modified": last},
	)


def set_values(doctype: str, filters: dict, values: dict) -> None:
	frappe.db.set_value(doctype, filters, values, update_modified=False)
