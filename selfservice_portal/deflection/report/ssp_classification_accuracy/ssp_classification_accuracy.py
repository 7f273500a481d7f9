# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""How often requesters classify their portal tickets right: the share an agent did not reclassify
(type, team or service changed afterwards)."""

from datetime import date, datetime

import frappe
from frappe import _

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.figures import share


def execute(filters: dict | None = None) -> tuple:
	filters = frappe._dict(filters or {})
	up_to = report_data.figures_up_to(filters)
	rows = [
		month_row(stat, filters, up_to)
		for stat in report_data.monthly(filters, by=("department", "channel"))
		if stat.channel == "Portal" and stat.tickets
	]
	message = report_data.completeness_note(filters, up_to) + " "
	message += _(
		"Portal tickets whose ticket type, team or service an agent changed after submission count as "
		"reclassified. Accuracy: the share the requester classified right."
	)
	return columns(), rows, message, None, summary(rows)


def month_row(stat: frappe._dict, filters: frappe._dict, up_to: datetime | date | None) -> dict:
	from_date, to_date = report_data.date_range(filters)
	return {
		"month": stat.month,
		"covers": report_data.month_covers(stat.month, filters, up_to),
		"department": stat.department,
		"portal_tickets": stat.tickets,
		"reclassified": stat.reclassified_tickets,
		"accuracy": round(100 - share(stat.reclassified_tickets, stat.tickets), 1),
		"reclassified_list": report_data.tickets_link(
			_("Reclassified"),
			stat.month,
			from_date,
			to_date,
			ssp_channel="Portal",
			ssp_department=stat.department,
			ssp_reclassified=1,
		),
	}


def columns() -> list[dict]:
	column = report_data.column
	return [
		report_data.month_column(),
		report_data.covers_column(),
		report_data.department_column(140),
		column("portal_tickets", _("Portal Tickets"), "Int", 110),
		column("reclassified", _("Reclassified by Agents"), "Int", 160),
		column("accuracy", _("Accuracy %"), "Percent", 100),
		column("reclassified_list", _("Drill Down"), "HTML", 110),
	]


def summary(rows: list[dict]) -> list[dict]:
	portal, reclassified = (
		sum(row["portal_tickets"] for row in rows),
		sum(row["reclassified"] for row in rows),
	)
	accuracy = round(100 - share(reclassified, portal), 1) if portal else 0.0
	return [
		report_data.figure(_("Portal Tickets"), portal),
		report_data.figure(_("Reclassified by Agents"), reclassified, indicator="Red"),
		report_data.figure(_("Accuracy %"), accuracy, "Percent", indicator="Green"),
	]
