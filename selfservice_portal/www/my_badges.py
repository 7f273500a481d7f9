"""/my-badges: a user's contest stars — the portal profile card (``?user=`` shows someone else's)."""

import frappe
from frappe import _

from selfservice_portal.contests.awards import badges_for
from selfservice_portal.db_routing import replica_page
from selfservice_portal.permissions import redirect_guest

no_cache = 1


@replica_page
def get_context(context):
	redirect_guest("/my-badges")
	user = str(frappe.form_dict.get("user") or frappe.session.user)[:140]
	context.no_cache = 1
	context.show_sidebar = True
	context.is_me = user == frappe.session.user
	# Someone else's card names them only when there are stars to show: an unknown address, a disabled
	# account and a user without badges all read the same, so the page tells nobody who has an account.
	context.badges = badges_for(user) if user_is_enabled(user) else []
	context.profile_name = frappe.utils.get_fullname(user) if context.is_me or context.badges else ""
	for badge in context.badges:
		badge.awarded = frappe.utils.format_date(badge.awarded_on)
	# No user text in the title: base.html prints it through `striptags`, which unescapes entities.
	context.title = _("My Badges") if context.is_me else _("Badges")
	return context


def user_is_enabled(user: str) -> bool:
	return bool(frappe.db.exists("User", {"name": user, "enabled": 1}))
