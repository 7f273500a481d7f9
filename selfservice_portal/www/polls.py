"""/polls: the open polls of the signed-in user (answered or not) and, with ?poll=NAME, one poll's
one-page form. Answers go to selfservice_portal.api.polls.submit_poll; the logic is in
deflection.polls."""

import frappe
from frappe import _

from selfservice_portal.db_routing import replica_page
from selfservice_portal.deflection import polls
from selfservice_portal.permissions import redirect_guest

no_cache = 1


@replica_page
def get_context(context):
	redirect_guest("/polls")
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Polls")
	user = frappe.session.user
	name = frappe.form_dict.get("poll")
	context.poll = None
	if name:
		doc = find_poll(str(name))
		if not doc or not polls.visible_to(doc, user):
			# 403, not 404: Frappe caches a 404 of a page for every visitor of the URL.
			raise frappe.PermissionError(_("This poll is not open to you."))
		context.poll = polls.poll_form(doc, user)
		context.poll["status"] = doc.status
		context.title = doc.title
	context.polls = polls.open_polls_for(user)
	return context


def find_poll(name: str):
	if len(name) > 140 or not frappe.db.exists("SSP Poll", name):
		return None
	return frappe.get_doc("SSP Poll", name)
