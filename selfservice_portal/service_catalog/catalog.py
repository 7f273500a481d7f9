"""The catalog as a requester sees it.

The whole catalog (departments, services, their visibility rules) is read in four set-based queries
and cached site-wide; per request we only work out who the viewer is and filter in memory. The cache
is cleared whenever a department or a service changes (see ``clear_catalog_cache``).
"""

import frappe
from frappe import _
from frappe.model.document import Document

from selfservice_portal.contests.audience import memberships_of
from selfservice_portal.permissions import STAFF_ROLES, bounded
from selfservice_portal.service_catalog.visibility import EVERYONE, ServiceAccess, Viewer, can_see

CACHE_KEY = "ssp:catalog_index"


def clear_catalog_cache(doc: Document | None = None, method: str | None = None) -> None:
	frappe.cache.delete_value(CACHE_KEY)


def get_catalog_index() -> dict:
	return frappe.cache.get_value(CACHE_KEY, generator=build_catalog_index)


def build_catalog_index() -> dict:
	departments = frappe.get_all(
		"SSP Department",
		filters={"is_enabled": 1},
		fields=["name", "department_name", "icon", "description", "hd_team", "head_user", "sort_order"],
		order_by="sort_order asc, department_name asc",
	)
	enabled = [d.name for d in departments]
	services = (
		frappe.get_all(
			"SSP Service",
			filters={"is_enabled": 1, "department": ("in", enabled)},
			fields=[
				"name",
				"title",
				"department",
				"short_description",
				"service_kind",
				"fulfilment_hours",
				"visibility",
				"sort_order",
			],
			order_by="sort_order asc, title asc",
		)
		if enabled
		else []
	)
	roles: dict[str, list[str]] = {}
	for row in frappe.get_all(
		"SSP Service Role", fields=["parent", "role"], filters={"parenttype": "SSP Service"}
	):
		roles.setdefault(row.parent, []).append(row.role)
	audience: dict[str, list[list[str]]] = {}
	for row in frappe.get_all(
		"SSP Service Audience",
		fields=["parent", "audience_doctype", "audience_name"],
		filters={"parenttype": "SSP Service"},
	):
		audience.setdefault(row.parent, []).append([row.audience_doctype, row.audience_name])
	for service in services:
		service["roles"] = roles.get(service.name, [])
		service["audience"] = audience.get(service.name, [])
	return {"departments": departments, "services": services}


def get_viewer(user: str | None = None) -> Viewer:
	user = user or frappe.session.user
	if user == "Guest":
		return Viewer(user="Guest")
	roles = frozenset(frappe.get_roles(user))
	return Viewer(
		user=user,
		roles=roles,
		memberships=memberships_of(user, by_email=True),
		sees_everything=bool(roles & set(STAFF_ROLES)) or user == "Administrator",
	)


def service_access(service: dict) -> ServiceAccess:
	return ServiceAccess(
		visibility=service["visibility"],
		roles=frozenset(service.get("roles") or ()),
		audience=frozenset(tuple(a) for a in service.get("audience") or ()),
	)


def visible_services(viewer: Viewer) -> list[dict]:
	# A service for everyone (most of a catalog) needs no access rules built to know a user sees it.
	return [
		s
		for s in get_catalog_index()["services"]
		if (s["visibility"] == EVERYONE and viewer.user != "Guest") or can_see(viewer, service_access(s))
	]


def get_catalog(viewer: Viewer) -> list[dict]:
	"""Departments with the services this viewer may request; empty departments are left out."""
	index = get_catalog_index()
	by_department: dict[str, list[dict]] = {}
	for service in visible_services(viewer):
		by_department.setdefault(service["department"], []).append(public_service(service))
	return [
		{
			"name": d.name,
			"title": d.department_name,
			"icon": d.icon,
			"description": d.description,
			"services": by_department[d.name],
		}
		for d in index["departments"]
		if d.name in by_department
	]


def public_service(service: dict) -> dict:
	"""What a requester may know about a service (visibility rules stay server-side)."""
	return {
		"name": service["name"],
		"title": service["title"],
		"department": service["department"],
		"short_description": service["short_description"],
		"kind": service["service_kind"],
		"fulfilment_hours": service["fulfilment_hours"],
	}


def get_visible_service(name: str, viewer: Viewer) -> dict:
	"""The service row from the index, or a not-found error that does not reveal hidden services."""
	service = next((s for s in get_catalog_index()["services"] if s["name"] == name), None)
	if not service or not can_see(viewer, service_access(service)):
		frappe.throw(
			_("Service {0} was not found").format(frappe.bold(bounded(name))),
			frappe.DoesNotExistError,
		)
	return service


def search_services(viewer: Viewer, query: str, limit: int = 20) -> list[dict]:
	words = [w for w in query.lower().split() if w]
	departments = {d.name: d.department_name.lower() for d in get_catalog_index()["departments"]}
	hits = []
	for service in visible_services(viewer):
		haystack = " ".join(
			[
				service["title"] or "",
				service["short_description"] or "",
				departments.get(service["department"], ""),
			]
		).lower()
		if all(w in haystack for w in words):
			hits.append(public_service(service))
	return hits[:limit]


def catalog_page(viewer: Viewer, department: str | None) -> dict:
	"""/service-catalog: every department the viewer may use, or the one chosen (``selected``)."""
	departments = get_catalog(viewer)
	selected = next((d for d in departments if d["name"] == department), None)
	return {"selected": selected, "departments": [selected] if selected else departments}
