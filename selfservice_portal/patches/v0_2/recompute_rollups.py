"""Rebuild the daily roll-ups already stored, in the background: they counted desk users' own
knowledge-base use as portal journeys, missed later closures, ratings and reclassifications, and
predate the departments backfilled for e-mail and phone tickets."""

import frappe
from frappe.utils import add_days, today

from selfservice_portal.deflection.rollup import enqueue_rollup


def execute() -> None:
	first = frappe.db.sql("SELECT MIN(stat_date) FROM `tabSSP Daily Stat`")[0][0]
	if first:
		enqueue_rollup(str(first), str(add_days(today(), -1)))
