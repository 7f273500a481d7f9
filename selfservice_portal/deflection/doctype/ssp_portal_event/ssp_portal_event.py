# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SSPPortalEvent(Document):
	pass


def on_doctype_update() -> None:
	# The roll-up reads a day's events by time, per user: both are range scans.
	frappe.db.add_index("SSP Portal Event", ["creation"])
	frappe.db.add_index("SSP Portal Event", ["user", "creation"])
