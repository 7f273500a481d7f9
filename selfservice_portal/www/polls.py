"""/polls: the open polls of the signed-in user (answered or not) and, with ?poll=NAME, one poll's
one-page form. Answers go to selfservice_portal.api.polls.submit_poll; the logic is in
deflection.polls."""

import frappe

from selfservice_portal.db_routing import replica_page
from selfservice_portal.deflection import polls
from selfservice_portal.page_templates import www_page
from selfservice_portal.permissions import redirect_guest

no_cache = 1


@www_page
@replica_page
def get_context(context: frappe._dict) -> frappe._dict:
	redirect_guest("/polls")
	context.no_cache = 1
	context.show_sidebar = True
	context.update(polls.polls_page(frappe.session.user, frappe.form_dict.get("poll")))
	return context
