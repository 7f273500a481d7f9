"""Roll-ups gain "Tickets After Reading" (distinct tickets raised after using the knowledge base);
the stored days are rebuilt in the background so that past months show it too."""

import frappe
from frappe.utils import add_days, today

from selfservice_portal.deflection.rollup import enqueue_rollup


def execute() -> None:
	first = frappe.db.sql("SELECT MIN(stat_date) FROM `tabSSP Daily Stat`")[0][0]
	if first:
		enqueue_rollup(str(first), str(add_days(today(), -1)))
