"""/my-badges: a user's contest stars — the portal profile card (``?user=`` shows someone else's)."""

import frappe
from frappe import _

from selfservice_portal.contests.awards import badge_card
from selfservice_portal.db_routing import replica_page
from selfservice_portal.page_templates import www_page
from selfservice_portal.permissions import redirect_guest

no_cache = 1


@www_page
@replica_page
def get_context(context: frappe._dict) -> frappe._dict:
	redirect_guest("/my-badges")
	user = str(frappe.form_dict.get("user") or frappe.session.user)[:140]
	context.no_cache = 1
	context.show_sidebar = True
	context.update(badge_card(user, frappe.session.user))
	# No user text in the title: base.html prints it through `striptags`, which unescapes entities.
	context.title = _("My Badges") if context.is_me else _("Badges")
	return context
