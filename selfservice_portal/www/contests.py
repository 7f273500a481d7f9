"""/contests: announcements, the leaderboard and the winners' post for a participant."""

import frappe
from frappe import _

from selfservice_portal.contests import leaderboard
from selfservice_portal.contests.metrics import get_metric

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
	contests = []
	for name in names:
		doc = frappe.get_doc("SSP Contest", name)
		if not leaderboard.is_participant(doc, user):
			continue
		board = leaderboard.get_leaderboard(doc, user) if doc.status != "Announced" else None
		winners = (
			frappe.get_all(
				"SSP Badge Award",
				filters={"contest": name, "status": "Active"},
				fields=["user", "nomination_title", "tier", "place"],
				order_by="nomination_title, place",
			)
			if doc.status == "Awarded"
			else []
		)
		for w in winners:
			w.full_name = frappe.utils.get_fullname(w.user)  # names, never e-mail addresses
		contests.append(
			{
				"doc": doc,
				"period": _("{0} to {1}").format(
					frappe.utils.format_datetime(doc.starts_on), frappe.utils.format_datetime(doc.ends_on)
				),
				"board": board,
				"rules": [(n.nomination_title, get_metric(n.metric).description) for n in doc.nominations],
				"winners": winners,
			}
		)
	context.contests = contests
	return context
