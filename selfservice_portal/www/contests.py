"""/contests: announcements, the leaderboard and the winners' post for a participant."""

import frappe
from frappe import _

from selfservice_portal.contests import leaderboard

no_cache = 1
PUBLIC_STATUSES = ("Announced", "Running", "Judging", "Awarded")


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/contests"
		raise frappe.Redirect
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Contests")
	user = frappe.session.user
	names = frappe.get_all(
		"SSP Contest",
		filters={"status": ("in", PUBLIC_STATUSES)},
		pluck="name",
		order_by="starts_on desc",
		limit=20,
	)
	if frappe.form_dict.get("contest"):
		names = [n for n in names if n == frappe.form_dict.contest]
	context.contests = [
		leaderboard.page_entry(doc, user)
		for doc in (frappe.get_doc("SSP Contest", name) for name in names)
		if leaderboard.is_participant(doc, user)
	]
	return context
