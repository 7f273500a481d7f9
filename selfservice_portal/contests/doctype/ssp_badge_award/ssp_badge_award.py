# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime


class SSPBadgeAward(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		awarded_on: DF.Datetime | None
		contest: DF.Link
		contest_title: DF.Data | None
		nomination_key: DF.Data
		nomination_title: DF.Data | None
		period_label: DF.Data | None
		place: DF.Int
		revoked_by: DF.Link | None
		revoked_on: DF.Datetime | None
		revoked_reason: DF.SmallText | None
		status: DF.Literal["Active", "Revoked"]
		tier: DF.Literal["Gold", "Silver", "Bronze"]
		user: DF.Link
	# end: auto-generated types
	"""Written by contests.awards only; revoked, never deleted."""

	def revoke(self, reason: str, user: str) -> None:
		"""Take the badge back, keeping it on record with why, by whom and when."""
		if not (reason or "").strip():
			frappe.throw(_("Please give the reason for revoking the badge"))
		if self.status == "Revoked":
			frappe.throw(_("Badge {0} was already revoked on {1}").format(self.name, self.revoked_on))
		self.update(
			{"status": "Revoked", "revoked_reason": reason, "revoked_by": user, "revoked_on": now_datetime()}
		)
		self.save(ignore_permissions=True)


def on_doctype_update() -> None:
	# "Award once" is the database's job: a second or concurrent award run cannot insert a duplicate.
	frappe.db.add_unique(
		"SSP Badge Award", ["contest", "nomination_key", "user"], constraint_name="ssp_award_once"
	)
