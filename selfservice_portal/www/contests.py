"""/contests: announcements, the leaderboard and the winners' post for a participant."""

import frappe
from frappe import _

from selfservice_portal.contests import leaderboard
from selfservice_portal.db_routing import replica_page
from selfservice_portal.permissions import redirect_guest

no_cache = 1
PUBLIC_STATUSES = ("Announced", "Running", "Judging", "Awarded")
SHOWN = 20


@replica_page
def get_context(context):
	redirect_guest("/contests")
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Contests")
	user = frappe.session.user
	filters = {"status": ("in", PUBLIC_STATUSES)}
	if frappe.form_dict.get("contest"):
		filters["name"] = str(frappe.form_dict.contest)[:140]
	context.contests = [
		leaderboard.page_entry(doc, user) for doc in leaderboard.contests_of(user, filters, SHOWN)
	]
	return context
