"""/service-catalog/request?service=…: a service's form, the articles that may already solve it,
and the submission (which goes through selfservice_portal.api.catalog.submit_request)."""

import frappe

from selfservice_portal.db_routing import replica_page
from selfservice_portal.page_templates import www_page
from selfservice_portal.permissions import redirect_guest
from selfservice_portal.service_catalog import catalog, intake

no_cache = 1


@www_page
@replica_page
def get_context(context: frappe._dict) -> frappe._dict:
	service_name = str(frappe.form_dict.get("service") or "")[:140]
	redirect_guest("/service-catalog/request?service=" + service_name)
	context.no_cache = 1
	context.show_sidebar = True
	context.update(intake.request_page(service_name, catalog.get_viewer()))
	# GET requests roll back: keep the page's deflection events (intake.request_page).
	frappe.local.flags.commit = True
	return context
