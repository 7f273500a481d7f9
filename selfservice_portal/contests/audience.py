"""Who a contest (or a poll, which shares the model) speaks to: its audience as a SQL condition, as a
list of users, as a yes/no for one user, and the contests one user may see."""

import frappe
from frappe.model.document import Document

ALL_PORTAL_USERS = "All Portal Users"

# The users of the contacts named in a contest's audience or linked to the customers named in it.
AUDIENCE_MEMBERS = (
	"SELECT contact.user FROM `tabContact` contact LEFT JOIN `tabDynamic Link` customer_link "
	"ON customer_link.parent = contact.name AND customer_link.parenttype = 'Contact' "
	"AND customer_link.link_doctype = 'HD Customer' WHERE contact.user IS NOT NULL "
	"AND (contact.name IN %(audience_contacts)s OR customer_link.link_name IN %(audience_customers)s)"
)
PORTAL_USERS = "SELECT name FROM `tabUser` WHERE user_type = 'Website User' AND enabled = 1"

# The contests whose audience includes %(user)s: every portal user, or a contact of theirs (or a
# customer their contact is linked to) named in the audience rows.
VISIBLE_CONTESTS = (
	"""
SELECT contest.name FROM `tabSSP Contest` contest
WHERE contest.status IN %(statuses)s {only_one}
	AND (
		(contest.audience_type = 'All Portal Users' AND %(user)s IN ("""
	+ PORTAL_USERS
	+ """))
		OR (IFNULL(contest.audience_type, '') != 'All Portal Users' AND EXISTS (
			SELECT 1 FROM `tabSSP Contest Audience` audience
			JOIN `tabContact` contact ON contact.user = %(user)s
			LEFT JOIN `tabDynamic Link` customer_link ON customer_link.parent = contact.name
				AND customer_link.parenttype = 'Contact' AND customer_link.link_doctype = 'HD Customer'
			WHERE audience.parent = contest.name AND audience.parenttype = 'SSP Contest'
				AND audience.parentfield = 'audience'
				AND ((audience.audience_doctype = 'Contact' AND audience.audience_name = contact.name)
					OR (audience.audience_doctype = 'HD Customer'
						AND audience.audience_name = customer_link.link_name))
		))
	)
ORDER BY contest.starts_on DESC
LIMIT %(limit)s
"""
)


def audience_condition(contest: Document) -> tuple[str, dict]:
	"""A SQL condition on ``{user}`` (a user id column) restricting it to the contest's audience."""
	if contest.audience_type == ALL_PORTAL_USERS:
		return "{user} IN (" + PORTAL_USERS + ")", {}
	customers = [row.audience_name for row in contest.audience if row.audience_doctype == "HD Customer"] or [
		""
	]
	contacts = [row.audience_name for row in contest.audience if row.audience_doctype == "Contact"] or [""]
	return (
		"{user} IN (" + AUDIENCE_MEMBERS + ")",
		{"audience_contacts": tuple(contacts), "audience_customers": tuple(customers)},
	)


def audience_users(contest: Document) -> list[str]:
	sql, params = audience_condition(contest)
	return frappe.db.sql_list(
		f"SELECT name FROM `tabUser` WHERE enabled = 1 AND {sql.format(user='name')}", params
	)


def is_participant(contest: Document, user: str) -> bool:
	"""Whether ``user`` belongs to the audience of ``contest`` (or of a poll, which shares the model)."""
	if contest.audience_type == ALL_PORTAL_USERS:
		# The same rule as audience_condition, read from the cached user: no query per contest.
		account = frappe.get_cached_value("User", user, ["user_type", "enabled"]) if user else None
		return bool(account) and account[0] == "Website User" and bool(account[1])
	sql, params = audience_condition(contest)
	return bool(
		frappe.db.sql(
			f"SELECT 1 FROM `tabUser` WHERE name = %(me)s AND {sql.format(user='name')}",
			{**params, "me": user},
		)
	)


def memberships_of(user: str, by_email: bool = False) -> frozenset[tuple[str, str]]:
	"""("Contact", name) and ("HD Customer", name) for the contacts whose user is ``user`` (or, with
	``by_email``, whose e-mail address it is) and the customers those contacts are linked to: what a
	selected audience's rows name (AUDIENCE_MEMBERS from the user's side). One query, for a page that
	checks many contests, polls or services."""
	contact = frappe.qb.DocType("Contact")
	link = frappe.qb.DocType("Dynamic Link")
	rows = (
		frappe.qb.from_(contact)
		.left_join(link)
		.on(
			(link.parent == contact.name)
			& (link.parenttype == "Contact")
			& (link.link_doctype == "HD Customer")
		)
		.select(contact.name, link.link_name)
		.where((contact.user == user) | (contact.email_id == user) if by_email else contact.user == user)
		.run()
	)
	return frozenset({("Contact", name) for name, _ in rows} | {("HD Customer", c) for _, c in rows if c})


def is_member(contest: Document, user: str, memberships: frozenset[tuple[str, str]]) -> bool:
	"""is_participant for a signed-in ``user`` whose ``memberships_of`` a page already read."""
	if contest.audience_type == ALL_PORTAL_USERS:
		return is_participant(contest, user)
	return any((row.audience_doctype, row.audience_name) in memberships for row in contest.audience)


def visible_contest_names(
	user: str, statuses: tuple[str, ...], limit: int, only: str | None = None
) -> list[str]:
	"""The newest ``limit`` contests in ``statuses`` whose audience includes ``user``, in one query: the
	audience is checked before the limit, so older contests of one's own are not crowded out by others'.
	``only`` narrows it to one contest (by name)."""
	return frappe.db.sql_list(
		VISIBLE_CONTESTS.format(only_one="AND contest.name = %(only)s" if only else ""),
		{"statuses": tuple(statuses), "user": user, "limit": limit, "only": only},
	)
