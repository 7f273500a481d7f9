"""Reviews, awarding and revocation.

Awarding writes one SSP Badge Award per winner. "Exactly once" rests on the table's unique key
(contest, nomination, user): a second run, or a concurrent one, meets the key and adds nothing.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, get_datetime, now_datetime

from selfservice_portal.contests import ranking
from selfservice_portal.contests.lifecycle import AWARDED, JUDGING


def review_standing(standing_name: str, decision: str, reason: str, user: str) -> dict:
	"""Clear or disqualify a participant in one nomination (``SSPContestStanding.review``), then rank
	the nomination again: the disqualified drop out."""
	standing = frappe.get_doc("SSP Contest Standing", standing_name, for_update=True)
	standing.review(decision, reason, user)
	rerank(standing.contest, standing.nomination_key)
	return {"standing": standing.name, "review_status": decision}


def rerank(contest_name: str, nomination_key: str) -> None:
	"""Re-rank one nomination from its stored standings after a review (disqualified drop out)."""
	contest = frappe.get_doc("SSP Contest", contest_name)
	nomination = next(row for row in contest.nominations if row.nomination_key == nomination_key)
	rows = frappe.get_all(
		"SSP Contest Standing",
		filters={"contest": contest_name, "nomination_key": nomination_key},
		fields=["name", "user", "score", "base", "achieved_on", "review_status"],
	)
	ranked = {
		result.user: result
		for result in ranking.rank(
			[
				ranking.Entry(
					row.user, row.score, row.base, row.achieved_on, row.review_status == "Disqualified"
				)
				for row in rows
			],
			nomination.direction,
			nomination.eligibility_floor or 0,
			nomination.places or 3,
			nomination.tie_rule,
		)
	}
	for row in rows:
		result = ranked[row.user]
		frappe.db.set_value(
			"SSP Contest Standing",
			row.name,
			{"rank": result.rank, "place": result.place, "is_eligible": int(result.is_eligible)},
			update_modified=False,
		)


def unreviewed_podium(contest_name: str) -> list[dict]:
	return frappe.get_all(
		"SSP Contest Standing",
		filters={"contest": contest_name, "place": (">", 0), "review_status": "Pending"},
		fields=["name", "user", "nomination_title", "flag_reasons"],
	)


def award_contest(contest_name: str, user: str | None = None) -> dict:
	"""Write the badges of a judged contest; safe to run twice or concurrently. Nobody awards a contest
	they win (the energy points would be given to oneself, too): another manager must."""
	user = user or frappe.session.user
	frappe.db.sql("SELECT name FROM `tabSSP Contest` WHERE name = %s FOR UPDATE", contest_name)
	contest = frappe.get_doc("SSP Contest", contest_name)
	if contest.status not in (JUDGING, AWARDED):
		frappe.throw(_("Only a judged contest can be awarded (this one is {0})").format(_(contest.status)))
	if not contest.judged_on:
		frappe.throw(_("Judge the contest before awarding it"))
	pending = unreviewed_podium(contest_name)
	if pending:
		frappe.throw(
			_("Review the flagged participants first: {0}").format(
				escape_html(", ".join(f"{row.user} ({row.nomination_title})" for row in pending))
			),
			title=_("Fair-play review pending"),
		)
	label = ranking.period_label(get_datetime(contest.starts_on), get_datetime(contest.ends_on))
	winners = frappe.get_all(
		"SSP Contest Standing",
		filters={"contest": contest_name, "place": (">", 0)},
		fields=["user", "nomination_key", "nomination_title", "place"],
		order_by="nomination_key, place",
	)
	if user in {winner.user for winner in winners}:
		frappe.throw(
			_("You are among the winners of {0}: another manager must award it").format(
				escape_html(contest.title)
			),
			frappe.PermissionError,
		)
	created = 0
	for winner in winners:
		if insert_award(contest, winner, label):
			created += 1
	awarded = contest.status == JUDGING  # this run closes the contest: the one to announce the winners
	if awarded:
		contest.mark_awarded()
	return {"created": created, "winners": len(winners), "awarded": awarded}


def insert_award(contest: Document, winner: dict, period_label: str) -> bool:
	award = frappe.get_doc(
		{
			"doctype": "SSP Badge Award",
			"user": winner.user,
			"contest": contest.name,
			"contest_title": contest.title,
			"nomination_key": winner.nomination_key,
			"nomination_title": winner.nomination_title,
			"place": winner.place,
			"tier": ranking.TIERS.get(winner.place),
			"period_label": period_label,
			"awarded_on": now_datetime(),
			"status": "Active",
		}
	)
	try:
		award.db_insert()
	except frappe.UniqueValidationError:
		frappe.clear_last_message()  # not an error for the caller: the badge exists already
		return False  # awarded before: the unique key keeps it to one
	grant_energy_points(contest, award)
	return True


def grant_energy_points(contest: Document, award: Document) -> None:
	points = {
		"Gold": contest.energy_points_gold,
		"Silver": contest.energy_points_silver,
		"Bronze": contest.energy_points_bronze,
	}
	amount = points.get(award.tier) or 0
	if not amount or not frappe.db.get_single_value("Energy Point Settings", "enabled"):
		return
	frappe.get_doc(
		{
			"doctype": "Energy Point Log",
			"type": "Appreciation",
			"points": amount,
			"user": award.user,
			"reference_doctype": "SSP Badge Award",
			"reference_name": award.name,
			"reason": _("{0} · {1}, {2}").format(award.nomination_title, _(award.tier), award.period_label),
		}
	).insert(ignore_permissions=True)


def revoke_award(award_name: str, reason: str, user: str) -> dict:
	award = frappe.get_doc("SSP Badge Award", award_name, for_update=True)
	award.revoke(reason, user)
	return {"award": award.name, "status": award.status}


# Badge reads for pages and the profile card are frappe.qb queries: no DocType meta loaded per request.
BADGE_FIELDS = (
	"name",
	"contest",
	"contest_title",
	"nomination_title",
	"place",
	"tier",
	"period_label",
	"awarded_on",
	"status",
)


def active_winners(contest_name: str) -> list[dict]:
	"""The contest's badges not revoked, by nomination and place: its winners as people are told."""
	award = frappe.qb.DocType("SSP Badge Award")
	return (
		frappe.qb.from_(award)
		.select(award.user, award.nomination_title, award.tier, award.place)
		.where((award.contest == contest_name) & (award.status == "Active"))
		.orderby(award.nomination_title)
		.orderby(award.place)
		.run(as_dict=True)
	)


def badges_for(user: str, include_revoked: bool = False) -> list[dict]:
	award = frappe.qb.DocType("SSP Badge Award")
	condition = award.user == user
	if not include_revoked:
		condition &= award.status == "Active"
	return (
		frappe.qb.from_(award)
		.select(*BADGE_FIELDS)
		.where(condition)
		.orderby(award.awarded_on, order=frappe.qb.desc)
		.orderby(award.place)
		.run(as_dict=True)
	)


def badge_card(user: str, viewer: str) -> dict:
	"""``user``'s badges as their profile card shows them to ``viewer``. Someone else's card names them
	only when there are stars to show: an unknown address, a disabled account and a user without
	badges all read the same, so the card tells nobody who has an account."""
	is_me = user == viewer
	# The cached User (None for an unknown address), cleared by Frappe whenever the user is saved.
	badges = badges_for(user) if frappe.get_cached_value("User", user, "enabled") else []
	for badge in badges:
		badge.awarded = frappe.utils.format_date(badge.awarded_on)
	return {
		"is_me": is_me,
		"badges": badges,
		"profile_name": frappe.utils.get_fullname(user) if is_me or badges else "",
	}
