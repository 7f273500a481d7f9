# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SSPBadgeAward(Document):
	"""Written by contests.awards only; revoked, never deleted."""


def on_doctype_update():
	# "Award once" is the database's job: a second or concurrent award run cannot insert a duplicate.
	frappe.db.add_unique(
		"SSP Badge Award", ["contest", "nomination_key", "user"], constraint_name="ssp_award_once"
	)
