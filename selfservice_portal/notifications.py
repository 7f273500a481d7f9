"""Messages to people in their own language.

A notification is written while someone else's request is being served (the requester's, the
manager's, the scheduler's), so the session's language is the wrong one: each recipient reads it in
the language of their user record, or the site's default.
"""

from collections.abc import Iterator

import frappe
from frappe.translate import print_language


def in_each_language(users: list[str]) -> Iterator[list[str]]:
	"""The recipients grouped by language; while a group is being handled, `_()` translates into
	that group's language."""
	default = frappe.db.get_single_value("System Settings", "language") or "en"
	chosen = dict(
		frappe.get_all("User", filters={"name": ("in", users)}, fields=["name", "language"], as_list=True)
	)
	groups: dict[str, list[str]] = {}
	for user in users:
		groups.setdefault(chosen.get(user) or default, []).append(user)
	for language, group in groups.items():
		with print_language(language):
			yield group
