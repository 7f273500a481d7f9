"""Seeds the demo catalog (idempotent: departments by name, services by department and title) and a
few requests through the real submit and approval code."""

import frappe

from selfservice_portal.demo import catalog_plan, fulfilment_plan, plan
from selfservice_portal.service_catalog import catalog, intake, requests


def seed_catalog() -> None:
	heads = catalog_plan.department_heads()
	articles = dict(frappe.get_all("HD Article", fields=["title", "name"], as_list=True))
	# Every department first: a service's fulfilment plan gives work to other departments.
	for order, department in enumerate(catalog_plan.SERVICES):
		icon, description = catalog_plan.DESCRIPTION[department]
		if not frappe.db.exists("SSP Department", department):
			frappe.get_doc(
				{
					"doctype": "SSP Department",
					"department_name": department,
					"icon": icon,
					"description": description,
					"hd_team": department,
					"head_user": heads[department],
					"sort_order": order,
				}
			).insert(ignore_permissions=True)
	for department, services in catalog_plan.SERVICES.items():
		for position, (title, kind, short, hours, fields, steps, related) in enumerate(services):
			if frappe.db.exists("SSP Service", {"department": department, "title": title}):
				continue
			frappe.get_doc(
				{
					"doctype": "SSP Service",
					"department": department,
					"title": title,
					"service_kind": kind,
					"short_description": short,
					"fulfilment_hours": hours,
					"sort_order": position,
					"form_fields": fields,
					"approval_steps": steps,
					"plan_tasks": fulfilment_plan.PLANS.get((department, title), []),
					"articles": [{"hd_article": articles[t]} for t in related if t in articles],
				}
			).insert(ignore_permissions=True)
	emails = [p.email for p in plan.PORTAL_USERS]
	for i, email in enumerate(emails):
		if not frappe.db.get_value("User", email, "ssp_manager"):
			frappe.db.set_value("User", email, "ssp_manager", catalog_plan.manager_of(i, emails))


SAMPLES = (
	# (requester index, department, service title, answers, decisions [(approver, decision, comment)])
	(1, "HR", "Leave", {"leave_type": "Annual", "dates": {"from": "2026-12-21", "to": "2026-12-31"}}, []),
	(2, "Facilities", "New chair", {"model": "Ergonomic", "room": "3.14"}, [("Approved", "Back pain, fine")]),
	(
		3,
		"IT",
		"Install software",
		{"software": "Gimp"},
		[("Rejected", "Use the approved image editor instead")],
	),
	(4, "Facilities", "Office supplies", {"items": "Two notebooks", "room": "2.01"}, []),
)


def seed_sample_requests() -> None:
	emails = [p.email for p in plan.PORTAL_USERS]
	for index, department, title, answers, decisions in SAMPLES:
		requester = emails[index]
		service = frappe.db.get_value("SSP Service", {"department": department, "title": title})
		if not service or frappe.db.exists("SSP Request", {"requester": requester, "service": service}):
			continue
		frappe.set_user(requester)
		try:
			result = intake.submit_request(service, answers, catalog.get_viewer(requester))
		finally:
			frappe.set_user("Administrator")
		for decision, comment in decisions:
			approver = frappe.db.get_value(
				"SSP Request Approval", {"parent": result["request"], "decision": "Pending"}, "approver"
			)
			requests.decide(result["request"], decision, comment, approver, is_admin=False)
