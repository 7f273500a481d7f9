"""HD Ticket doc_events for tickets that name a catalog service outside our own submit path
(Helpdesk's new-ticket form, agents, the REST API)."""

import frappe
from frappe import _

from selfservice_portal.service_catalog import catalog


def validate(doc, method=None) -> None:
	if not doc.get("ssp_service") or doc.flags.ssp_from_catalog:
		return
	if not (doc.is_new() or doc.has_value_changed("ssp_service")):
		return
	check_requester_may_use(doc)
	apply_service_defaults(doc)


def check_requester_may_use(doc) -> None:
	"""A portal user picking a service in Helpdesk's form sees the same catalog as on our pages."""
	viewer = catalog.get_viewer()
	if viewer.sees_everything:
		return
	catalog.get_visible_service(doc.ssp_service, viewer)


def apply_service_defaults(doc) -> None:
	service = frappe.get_cached_doc("SSP Service", doc.ssp_service)
	team = frappe.get_cached_value("SSP Department", service.department, "hd_team")
	doc.ssp_department = service.department
	if not doc.ticket_type and service.hd_ticket_type:
		doc.ticket_type = service.hd_ticket_type
	if doc.is_new() and service.approval_steps:
		# The team gets it after the last approval (see requests.start_approvals).
		doc.agent_group = None
	elif not doc.agent_group:
		doc.agent_group = team


def after_insert(doc, method=None) -> None:
	if not doc.get("ssp_service") or doc.flags.ssp_from_catalog:
		return
	from selfservice_portal.service_catalog.requests import start_request_for_ticket

	start_request_for_ticket(doc)
