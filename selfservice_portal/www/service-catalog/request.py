"""/service-catalog/request?service=…: a service's form, the articles that may already solve it,
and the submission (which goes through selfservice_portal.api.catalog.submit_request)."""

import frappe
from frappe import _

from selfservice_portal.db_routing import replica_page
from selfservice_portal.permissions import redirect_guest
from selfservice_portal.service_catalog import articles, catalog, intake

no_cache = 1


@replica_page
def get_context(context: frappe._dict) -> frappe._dict:
	service_name = str(frappe.form_dict.get("service") or "")[:140]
	redirect_guest("/service-catalog/request?service=" + service_name)
	try:
		catalog.get_visible_service(service_name, catalog.get_viewer())
	except frappe.DoesNotExistError:
		# 403, never 404: a 404 is cached per URL for every visitor (see www/service_approval.py).
		raise frappe.PermissionError(_("This service is not available to you"))
	service = frappe.get_cached_doc("SSP Service", service_name)
	department = frappe.get_cached_doc("SSP Department", service.department)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = service.title
	context.service = service
	context.department = department
	form = intake.request_form(service)
	context.fields = form["fields"]
	context.approval_steps = form["approval_steps"]
	# The page is the deflection point (the same events as the API); GET requests roll back.
	articles.log_service_viewed(service)
	context.suggestions = articles.suggest_and_log(service)
	frappe.local.flags.commit = True
	return context
