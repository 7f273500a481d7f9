"""/service-catalog: departments and the services this user may request, with search."""

import frappe
from frappe import _

from selfservice_portal.db_routing import replica_page
from selfservice_portal.permissions import redirect_guest
from selfservice_portal.service_catalog import catalog

no_cache = 1


@replica_page
def get_context(context: frappe._dict) -> frappe._dict:
	redirect_guest("/service-catalog")
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Service Catalog")
	departments = catalog.get_catalog(catalog.get_viewer())
	selected = frappe.form_dict.get("department")
	context.selected = next((d for d in departments if d["name"] == selected), None)
	context.departments = [context.selected] if context.selected else departments
	return context
