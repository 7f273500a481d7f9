"""/contests: announcements, the leaderboard and the winners' post for a participant."""

import frappe
from frappe import _

from selfservice_portal.contests.leaderboard import page_entries
from selfservice_portal.db_routing import replica_page
from selfservice_portal.page_templates import www_page
from selfservice_portal.permissions import redirect_guest

no_cache = 1
SHOWN = 20


@www_page
@replica_page
def get_context(context: frappe._dict) -> frappe._dict:
	redirect_guest("/contests")
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Contests")
	only = str(frappe.form_dict.contest)[:140] if frappe.form_dict.get("contest") else None
	context.contests = page_entries(frappe.session.user, only, SHOWN)
	return context
