"""A service's expected fulfilment time, kept by Helpdesk's own SLA engine.

A service with *Expected Fulfilment (hours)* and no SLA of the admin's choosing gets an app-owned
*HD Service Level Agreement* named ``SSP <service>``: its condition matches the service's tickets
(``doc.ssp_service``), every priority is resolved within the promised hours, and its working hours,
holiday list and statuses are those of Helpdesk's default SLA. Helpdesk then computes ``response_by``
and ``resolution_by`` with working hours and holidays, and the approval wait (the ticket is paused)
is hold time. Helpdesk takes the first enabled SLA whose condition matches, in no set order; so a
catalog ticket's SLA is settled by ``set_ticket_sla`` (the service's SLA, app-owned or linked by an
admin) after Helpdesk's choice and before Helpdesk applies it.

Only the request's ticket carries the service. A plan's task tickets (fulfilment.py) are each team's
work with their own due dates; Helpdesk's SLAs for that team apply to them, not the service's promise.
"""

import json

import frappe
from frappe import _
from frappe.model.document import Document

DOCTYPE = "HD Service Level Agreement"
NAME_PREFIX = "SSP "
# The fields of our SLA that follow the service and the default SLA; compared before saving, so a
# service saved without a change to them rewrites nothing.
SYNCED_FIELDS = (
	"enabled",
	"description",
	"condition",
	"condition_json",
	"holiday_list",
	"apply_sla_for_resolution",
	"default_ticket_status",
	"ticket_reopen_status",
)


def sla_name(service: str) -> str:
	return f"{NAME_PREFIX}{service}"


def is_app_owned(service: str, sla: str | None) -> bool:
	return bool(sla) and sla == sla_name(service)


def sync(service: Document) -> None:
	"""Create, update, disable or remove the service's own SLA after the service is saved.

	An admin's SLA on the service wins: ours is then retired. Without promised hours there is no SLA.
	"""
	own = sla_name(service.name)
	linked = service.get("service_level_agreement")
	wanted = not (linked and linked != own) and (service.fulfilment_hours or 0) > 0
	if not wanted:
		retire(own)
		if linked == own:
			service.db_set("service_level_agreement", None, update_modified=False)
		return
	default = get_default_sla()
	if not default:
		frappe.msgprint(
			_(
				"Helpdesk has no default SLA to take working hours from, so no SLA was made for the expected"
				" fulfilment of {0}. Link an SLA on the service instead."
			).format(frappe.bold(frappe.utils.escape_html(service.title))),
			title=_("Expected fulfilment"),
		)
		return
	write_sla(service, default)
	if linked != own:
		service.db_set("service_level_agreement", own, update_modified=False)


def write_sla(service: Document, default: Document) -> None:
	name = sla_name(service.name)
	exists = frappe.db.exists(DOCTYPE, name)
	doc = frappe.get_doc(DOCTYPE, name) if exists else frappe.new_doc(DOCTYPE)
	wanted = desired_values(service, default)
	if exists and current_values(doc) == wanted:
		return
	doc.update({k: v for k, v in wanted.items() if k not in ("priorities", "support_and_resolution")})
	doc.service_level = name
	doc.default_sla = 0
	doc.set("priorities", [dict(row) for row in wanted["priorities"]])
	doc.set("support_and_resolution", [dict(row) for row in wanted["support_and_resolution"]])
	doc.flags.ssp_sync = True
	if exists:
		doc.save(ignore_permissions=True)
	else:
		doc.insert(ignore_permissions=True)


def desired_values(service: Document, default: Document) -> dict:
	"""Every priority resolved within the promise; a first response as fast as the default SLA asks,
	never later than the promise itself."""
	seconds = round(service.fulfilment_hours * 3600)
	responses = {row.priority: row.response_time for row in default.priorities}
	priorities = frappe.get_all("HD Ticket Priority", filters={"disabled": 0}, pluck="name", order_by="name")
	default_priority = default.default_priority if default.default_priority in priorities else None
	default_priority = default_priority or (priorities[0] if priorities else None)
	return {
		"enabled": int(bool(service.is_enabled)),
		"description": _("Expected fulfilment of catalog service {0}").format(service.title)[:140],
		"condition": f"doc.ssp_service == {json.dumps(service.name)}",
		"condition_json": json.dumps([["ssp_service", "==", service.name]]),
		"holiday_list": default.holiday_list,
		"apply_sla_for_resolution": 1,
		"default_ticket_status": default.default_ticket_status,
		"ticket_reopen_status": default.ticket_reopen_status,
		"priorities": tuple(
			frappe._dict(
				priority=p,
				default_priority=int(p == default_priority),
				response_time=min(responses.get(p) or seconds, seconds),
				resolution_time=seconds,
			)
			for p in priorities
		),
		"support_and_resolution": tuple(
			frappe._dict(workday=row.workday, start_time=row.start_time, end_time=row.end_time)
			for row in default.support_and_resolution
		),
	}


def current_values(doc: Document) -> dict:
	values = {f: doc.get(f) for f in SYNCED_FIELDS}
	values["enabled"] = int(bool(values["enabled"]))
	values["apply_sla_for_resolution"] = int(bool(values["apply_sla_for_resolution"]))
	values["priorities"] = tuple(
		frappe._dict(
			priority=row.priority,
			default_priority=int(bool(row.default_priority)),
			response_time=row.response_time,
			resolution_time=row.resolution_time,
		)
		for row in doc.priorities
	)
	values["support_and_resolution"] = tuple(
		frappe._dict(
			workday=row.workday,
			start_time=frappe.utils.to_timedelta(row.start_time),
			end_time=frappe.utils.to_timedelta(row.end_time),
		)
		for row in doc.support_and_resolution
	)
	return values


def get_default_sla() -> Document | None:
	name = frappe.db.get_value(DOCTYPE, {"default_sla": 1, "enabled": 1})
	return frappe.get_doc(DOCTYPE, name) if name else None


def retire(name: str) -> None:
	"""Tickets that used the SLA keep it (disabled, Helpdesk no longer picks it); otherwise it goes."""
	if not frappe.db.exists(DOCTYPE, name):
		return
	if frappe.db.exists("HD Ticket", {"sla": name}):
		if frappe.db.get_value(DOCTYPE, name, "enabled"):
			doc = frappe.get_doc(DOCTYPE, name)
			doc.enabled = 0
			doc.flags.ssp_sync = True
			doc.save(ignore_permissions=True)
		return
	frappe.delete_doc(DOCTYPE, name, ignore_permissions=True, force=True)


def on_service_deleted(service: str) -> None:
	retire(sla_name(service))


def on_sla_update(doc: Document, method: str | None = None) -> None:
	"""The default SLA's working hours, holiday list or response times changed: our SLAs follow."""
	if not doc.default_sla or doc.flags.ssp_sync or not doc.enabled:
		return
	for service in frappe.get_all(
		"SSP Service", filters={"service_level_agreement": ("like", f"{NAME_PREFIX}%")}, pluck="name"
	):
		service_doc = frappe.get_doc("SSP Service", service)
		if is_app_owned(service, service_doc.service_level_agreement):
			write_sla(service_doc, doc)


def set_ticket_sla(doc: Document, method: str | None = None) -> None:
	"""A catalog ticket is held to its service's SLA, whichever other SLA's condition also matches it
	(Helpdesk picks the first match, in no set order). Runs after Helpdesk's set_sla and before it
	applies the SLA; an SLA that is disabled or lacks the ticket's priority is left to Helpdesk."""
	if not doc.get("ssp_service"):
		return
	sla = frappe.get_cached_value("SSP Service", doc.ssp_service, "service_level_agreement")
	if not sla or sla == doc.sla or not frappe.db.exists(DOCTYPE, sla):
		return  # an SLA deleted behind the service's back: Helpdesk's choice stands
	agreement = frappe.get_cached_doc(DOCTYPE, sla)
	if agreement.enabled and doc.priority in {row.priority for row in agreement.priorities}:
		doc.sla = sla


def remove_all() -> None:
	"""Uninstall: every app-owned SLA goes; tickets that used one are pointed at the default SLA (their
	due dates stay as computed)."""
	default = frappe.db.get_value(DOCTYPE, {"default_sla": 1})
	for service in frappe.get_all("SSP Service", pluck="name"):
		name = sla_name(service)
		if not frappe.db.exists(DOCTYPE, name):
			continue
		frappe.db.set_value("HD Ticket", {"sla": name}, "sla", default, update_modified=False)
		frappe.db.set_value(
			"SSP Service", {"name": service, "service_level_agreement": name}, "service_level_agreement", None
		)
		frappe.delete_doc(DOCTYPE, name, ignore_permissions=True, force=True)
