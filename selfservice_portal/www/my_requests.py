"""/my-requests: the signed-in user's own catalog requests, newest first, with their approval state
and a link to each Helpdesk ticket."""

import frappe
from frappe import _

from selfservice_portal.db_routing import replica_page
from selfservice_portal.page_templates import www_page
from selfservice_portal.permissions import redirect_guest
from selfservice_portal.service_catalog import requests

no_cache = 1


@www_page
@replica_page
def get_context(context: frappe._dict) -> frappe._dict:
	redirect_guest("/my-requests")
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("My Requests")
	context.requests = requests.get_requests_of(frappe.session.user)
	context.limit = requests.MY_REQUESTS_LIMIT
	return context
