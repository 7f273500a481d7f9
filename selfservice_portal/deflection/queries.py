"""Database helpers the deflection modules share: the doc-event modules (``ticket_channels``,
``ticket_events``) and the roll-up import them from here, never from one another."""

import frappe
from frappe.utils import cint

BACKFILL_BATCH = 10_000


def affected_rows() -> int:
	"""Rows the connection's last INSERT, UPDATE or DELETE wrote (0 after a SELECT): MariaDB's
	``ROW_COUNT()``, the figure the driver reports for the statement. Frappe 15 has no public call for
	it."""
	return max(cint(frappe.db.sql("SELECT ROW_COUNT()")[0][0]), 0)


def has_call_log_tables() -> bool:
	"""Telephony is installed and its call log exists (Helpdesk ships it; a site may remove it)."""
	return "telephony" in frappe.get_installed_apps() and frappe.db.table_exists("TP Call Log")


def update_tickets_in_ranges(sql: str, params: dict, batch_size: int = BACKFILL_BATCH) -> int:
	"""Run an UPDATE of ``tabHD Ticket ticket`` bounded by ``ticket.name > %(lo)s AND ticket.name <=
	%(hi)s`` once per primary-key range of ``batch_size`` tickets: set-based, yet each statement locks
	one slice and the undo log stays small. Returns rows updated."""
	updated = 0
	lo = ""
	while True:
		hi = frappe.db.sql(
			"SELECT name FROM `tabHD Ticket` WHERE name > %s ORDER BY name LIMIT 1 OFFSET %s",
			(lo, batch_size - 1),
		)
		hi = hi[0][0] if hi else frappe.db.sql("SELECT MAX(name) FROM `tabHD Ticket`")[0][0]
		if hi is None or hi <= lo:
			return updated
		frappe.db.sql(sql, {**params, "lo": lo, "hi": hi})
		updated += affected_rows()
		lo = hi
