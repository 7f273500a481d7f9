"""/service-catalog: departments and the services this user may request, with search."""

import frappe
from frappe import _

from selfservice_portal.db_routing import replica_page
from selfservice_portal.page_templates import www_page
from selfservice_portal.permissions import redirect_guest
from selfservice_portal.service_catalog import catalog

no_cache = 1


@www_page
@replica_page
def get_context(context: frappe._dict) -> frappe._dict:
	redirect_guest("/service-catalog")
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Service Catalog")
	context.update(catalog.catalog_page(catalog.get_viewer(), frappe.form_dict.get("department")))
	return context
