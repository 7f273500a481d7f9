# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SSPContestStanding(Document):
	"""Written by contests.judging; reviews go through contests.awards.review_standing (audited)."""


def on_doctype_update() -> None:
	frappe.db.add_unique(
		"SSP Contest Standing", ["contest", "nomination_key", "user"], constraint_name="ssp_one_standing"
	)
