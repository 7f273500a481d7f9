"""/self-service: the portal's home for a signed-in user — what the portal gives them, one search over
services and knowledge-base articles, the departments, their open requests, what waits for their
approval, the running contest and their badges. One round trip; the data comes from
service_catalog.home."""

import frappe
from frappe import _

from selfservice_portal.db_routing import replica_page
from selfservice_portal.page_templates import www_page
from selfservice_portal.permissions import redirect_guest
from selfservice_portal.service_catalog.home import get_home

no_cache = 1


@www_page
@replica_page
def get_context(context: frappe._dict) -> frappe._dict:
	redirect_guest("/self-service")
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Self-Service")
	context.home = get_home(frappe.session.user, str(frappe.form_dict.get("q") or ""))
	if context.home["results"] is not None:
		# The search is a journey step (service_catalog.home.search); GET requests roll back otherwise.
		frappe.local.flags.commit = True
	return context
