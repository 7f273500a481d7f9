# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SSPPortalEvent(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		articles: DF.SmallText | None
		department: DF.Link | None
		event_type: DF.Literal[
			"KB Search",
			"Article View",
			"Article Helpful",
			"Article Not Helpful",
			"Articles Suggested",
			"New Ticket Opened",
			"Ticket Submitted",
			"Service Viewed",
		]
		hd_article: DF.Link | None
		hd_ticket: DF.Link | None
		query: DF.Data | None
		result_count: DF.Int
		service: DF.Link | None
		session_id: DF.Data | None
		user: DF.Link | None
	# end: auto-generated types
	pass


def on_doctype_update() -> None:
	# The roll-up reads a day's events by time, per user: both are range scans.
	frappe.db.add_index("SSP Portal Event", ["creation"])
	frappe.db.add_index("SSP Portal Event", ["user", "creation"])
