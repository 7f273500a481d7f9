# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""Inferred and confirmed deflections, deflection rate and self-service score by month and
department. Journeys are counted as journeys and tickets as distinct tickets; each row links to the
journeys behind it (SSP Journeys)."""

from datetime import date, datetime

import frappe
from frappe import _

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.figures import deflection_rate
from selfservice_portal.deflection.journeys import self_service_score

TOTALLED = (
	"kb_journeys",
	"confirmed",
	"inferred",
	"deflections",
	"journeys_then_ticket",
	"pending_journeys",
	"tickets_after_reading",
	"tickets",
)


def execute(filters: dict | None = None) -> tuple:
	filters = frappe._dict(filters or {})
	up_to = report_data.figures_up_to(filters)
	rows = [
		month_row(stat, filters, up_to)
		for stat in report_data.monthly(filters, by=("department",))
		if stat.kb_journeys or stat.tickets or stat.pending_journeys
	]
	totals = {key: sum(row[key] for row in rows) for key in TOTALLED}
	return columns(), rows, message(filters, up_to), chart(rows), summary(totals)


def month_row(stat: frappe._dict, filters: frappe._dict, up_to: datetime | date | None) -> dict:
	"""One month and department of the roll-up, with links to the journeys and tickets behind it."""
	from_date, to_date = report_data.date_range(filters)
	deflections = stat.confirmed_deflections + stat.inferred_deflections
	return {
		"month": stat.month,
		"covers": report_data.month_covers(stat.month, filters, up_to),
		"department": stat.department,
		"kb_journeys": stat.kb_journeys,
		"confirmed": stat.confirmed_deflections,
		"inferred": stat.inferred_deflections,
		"deflections": deflections,
		"journeys_then_ticket": stat.tickets_after_kb,
		"pending_journeys": stat.pending_journeys,
		"deflection_rate": deflection_rate(deflections, stat.tickets_after_kb),
		"tickets_after_reading": stat.tickets_after_reading,
		"tickets": stat.tickets,
		"self_service_score": round(self_service_score(stat.kb_journeys, stat.tickets), 2),
		"journeys": report_data.journeys_link(
			_("Journeys"), stat.month, from_date, to_date, kb_only=1, department=stat.department
		),
		"ticket_list": report_data.tickets_link(
			_("Tickets"), stat.month, from_date, to_date, ssp_department=stat.department
		),
	}


def summary(totals: dict[str, int]) -> list[dict]:
	figure = report_data.figure
	found = [
		figure(_("KB Journeys"), totals["kb_journeys"]),
		figure(_("Confirmed Deflections"), totals["confirmed"]),
		figure(_("Inferred Deflections"), totals["inferred"]),
		figure(_("Deflections"), totals["deflections"], indicator="Green"),
		figure(_("KB Journeys Then a Ticket"), totals["journeys_then_ticket"], indicator="Red"),
		figure(
			_("Deflection Rate %"),
			deflection_rate(totals["deflections"], totals["journeys_then_ticket"]),
			"Percent",
		),
		figure(_("Tickets"), totals["tickets"]),
		figure(_("Tickets After Reading"), totals["tickets_after_reading"]),
		figure(
			_("Self-Service Score"),
			round(self_service_score(totals["kb_journeys"], totals["tickets"]), 2),
			"Float",
		),
	]
	if totals["pending_journeys"]:
		found.append(
			figure(_("Journeys Still in Their Window"), totals["pending_journeys"], indicator="Grey")
		)
	return found


def message(filters: frappe._dict, up_to: datetime | date | None) -> str:
	return " ".join(
		[
			report_data.completeness_note(filters, up_to),
			_(
				"KB Journeys: portal journeys (one person's events without a pause longer than the inactivity gap) "
				"that read an article, rated one or were shown search results or suggestions. Confirmed: such a "
				"journey with a 'this helped' and no ticket within the deflection window. Inferred: the same without "
				"the 'this helped'. Deflections: confirmed + inferred. KB Journeys Then a Ticket: KB journeys followed "
				"by a ticket within the window (journeys, not tickets: one person may read several times before one "
				"ticket). Deflection Rate: deflections / (deflections + KB journeys then a ticket). Journeys still in "
				"their window are counted once it closes. Tickets: distinct tickets of the department raised in the "
				"month, every channel. Tickets After Reading: those of them whose requester used the knowledge base "
				"in the window before. Self-Service Score: KB journeys per ticket. Drill Down lists the journeys "
				"behind a row."
			),
		]
	)


def columns() -> list[dict]:
	column = report_data.column
	return [
		report_data.month_column(),
		report_data.covers_column(),
		report_data.department_column(130),
		column("kb_journeys", _("KB Journeys"), "Int", 100),
		column("confirmed", _("Confirmed"), "Int", 95),
		column("inferred", _("Inferred"), "Int", 90),
		column("deflections", _("Deflections"), "Int", 100),
		column("journeys_then_ticket", _("KB Journeys Then a Ticket"), "Int", 170),
		column("pending_journeys", _("Journeys Still in Their Window"), "Int", 190),
		column("deflection_rate", _("Deflection Rate %"), "Percent", 120),
		column("tickets", _("Tickets"), "Int", 80),
		column("tickets_after_reading", _("Tickets After Reading"), "Int", 150),
		column("self_service_score", _("Self-Service Score"), "Float", 120),
		column("journeys", _("Drill Down"), "HTML", 90),
		column("ticket_list", _("Ticket List"), "HTML", 90),
	]


def chart(rows: list[dict]) -> dict:
	months = sorted({row["month"] for row in rows})

	def per_month(key: str) -> list[int]:
		return [sum(row[key] for row in rows if row["month"] == month) for month in months]

	return report_data.stacked_bars(
		months,
		[
			{"name": _("Confirmed"), "values": per_month("confirmed")},
			{"name": _("Inferred"), "values": per_month("inferred")},
			{"name": _("KB Journeys Then a Ticket"), "values": per_month("journeys_then_ticket")},
		],
	)
