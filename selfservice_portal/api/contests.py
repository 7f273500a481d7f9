"""Contest endpoints: `selfservice_portal.api.contests.<verb_noun>`.

Managers (System Manager, SSP Manager) run contests; participants see leaderboards and their own
standing; anyone signed in sees badges (they are meant to be shown off).
"""

import frappe
from frappe import _
from frappe.model.document import Document

from selfservice_portal.contests import announcements, awards, leaderboard
from selfservice_portal.contests.metrics import get_metrics as metric_registry
from selfservice_portal.permissions import MANAGER_ROLES as MANAGERS
from selfservice_portal.permissions import (
	bounded,
	check_name,
	check_text,
	login_required,
	require_login,
	require_roles,
	roles_required,
)


def contest_doc(name: str, for_reading: bool = False) -> Document:
	"""The contest, or a clear 404. ``for_reading``: Frappe's document cache (cleared whenever the
	contest is saved or set), for the leaderboard paths that portal users call most."""
	check_name(name, _("Contest"))
	if for_reading:
		# A cached contest is read without asking the database whether it exists.
		try:
			return frappe.get_cached_doc("SSP Contest", name)
		except frappe.DoesNotExistError:
			frappe.clear_last_message()  # Frappe's own "not found"; ours below says the same once
			not_found(name)
	if not frappe.db.exists("SSP Contest", name):
		not_found(name)
	return frappe.get_doc("SSP Contest", name)


def not_found(name: str) -> None:
	frappe.throw(_("Contest {0} was not found").format(bounded(name)), frappe.DoesNotExistError)


@frappe.whitelist(methods=["POST"])
@roles_required(*MANAGERS)
def announce_contest(contest: str = "") -> dict:
	doc = contest_doc(contest)
	doc.announce()
	announcements.notify_audience_of_announcement(doc)
	return {"status": doc.status}


@frappe.whitelist(methods=["POST"])
@roles_required(*MANAGERS)
def cancel_contest(contest: str = "") -> dict:
	doc = contest_doc(contest)
	doc.cancel_contest()
	return {"status": doc.status}


@frappe.whitelist(methods=["POST"])
@roles_required(*MANAGERS)
def judge_contest(contest: str = "") -> dict:
	"""Close a finished contest if needed and judge it in the background (progress on its Desk form)."""
	return {"job_id": contest_doc(contest).close_and_judge()}


@frappe.whitelist(methods=["POST"])
@roles_required(*MANAGERS)
def review_participant(standing: str = "", decision: str = "", reason: str = "") -> dict:
	check_name(standing, _("Standing"))
	reason = check_text(reason, _("Reason"), 1000)
	if not frappe.db.exists("SSP Contest Standing", standing):
		frappe.throw(_("Standing {0} was not found").format(bounded(standing)), frappe.DoesNotExistError)
	return awards.review_standing(standing, decision, reason, frappe.session.user)


@frappe.whitelist(methods=["POST"])
@roles_required(*MANAGERS)
def award_contest(contest: str = "") -> dict:
	"""Write the badges; the call that closes the contest announces the winners (re-runs stay quiet)."""
	contest_doc(contest)
	result = awards.award_contest(contest, frappe.session.user)
	if result["awarded"]:
		announcements.announce_winners(contest_doc(contest))
	return result


@frappe.whitelist(methods=["POST"])
@roles_required(*MANAGERS)
def revoke_badge(award: str = "", reason: str = "") -> dict:
	check_name(award, _("Badge"))
	reason = check_text(reason, _("Reason"), 1000)
	if not frappe.db.exists("SSP Badge Award", award):
		frappe.throw(_("Badge {0} was not found").format(bounded(award)), frappe.DoesNotExistError)
	return awards.revoke_award(award, reason, frappe.session.user)


@frappe.whitelist()
@roles_required(*MANAGERS)
@frappe.read_only()
def preview_next_contest(contest: str = "") -> dict:
	"""What *Draft Next Contest* would create (title, period, nominations), for the manager to confirm."""
	return contest_doc(contest).preview_next()


@frappe.whitelist(methods=["POST"])
@roles_required(*MANAGERS)
def draft_next_contest(contest: str = "") -> dict:
	"""Create the next edition as a draft, for the first period that has not begun yet."""
	return {"contest": contest_doc(contest).draft_next()}


@frappe.whitelist()
@login_required
@frappe.read_only()
def get_leaderboard(contest: str = "") -> dict:
	"""Top of each nomination (names only) and the caller's own rank and score."""
	return leaderboard.get_leaderboard(contest_doc(contest, for_reading=True), frappe.session.user)


@frappe.whitelist()
@login_required
@frappe.read_only()
def get_breakdown(contest: str = "", nomination_key: str = "", user: str | None = None) -> dict:
	"""Which records counted and which did not, and why: one's own, or anyone's for managers."""
	check_name(nomination_key, _("Nomination"))
	user = check_name(user, _("User")) if user else frappe.session.user
	if user != frappe.session.user:
		require_roles(*MANAGERS)
	return leaderboard.get_breakdown(
		contest_doc(contest, for_reading=True), nomination_key, user, viewer=frappe.session.user
	)


@frappe.whitelist()
@login_required
@frappe.read_only()
def get_user_badges(user: str | None = None) -> list[dict]:
	"""Active badges of a user (default: the caller) — what profiles and the ticket view show."""
	user = user or frappe.session.user
	# An unknown address answers like a user without badges: nobody learns who has an account.
	return awards.badges_for(user) if isinstance(user, str) and len(user) <= 140 else []


@frappe.whitelist()
@login_required
@frappe.read_only()
def get_metrics() -> list[dict]:
	"""The metric registry with the descriptions participants are shown."""
	return [
		{"key": metric.key, "label": metric.label, "description": metric.description, "unit": metric.unit}
		for metric in metric_registry().values()
	]
