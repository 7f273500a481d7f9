# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""Inferred and confirmed deflections, deflection rate and self-service score by month and
department. Journeys are counted as journeys and tickets as distinct tickets; each row links to the
journeys behind it (SSP Journeys)."""

import frappe
from frappe import _

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.figures import deflection_rate
from selfservice_portal.deflection.journeys import self_service_score


def execute(filters=None):
	filters = frappe._dict(filters or {})
	from_date, to_date = report_data.date_range(filters)
	up_to = report_data.figures_up_to(filters)
	rows = []
	for r in report_data.monthly(filters, by=("department",)):
		deflections = int(r.confirmed_deflections or 0) + int(r.inferred_deflections or 0)
		if not (r.kb_journeys or r.tickets or r.pending_journeys):
			continue
		rows.append(
			{
				"month": r.month,
				"covers": report_data.month_covers(r.month, filters, up_to),
				"department": r.department,
				"kb_journeys": int(r.kb_journeys or 0),
				"confirmed": int(r.confirmed_deflections or 0),
				"inferred": int(r.inferred_deflections or 0),
				"deflections": deflections,
				"journeys_then_ticket": int(r.tickets_after_kb or 0),
				"pending_journeys": int(r.pending_journeys or 0),
				"deflection_rate": deflection_rate(deflections, int(r.tickets_after_kb or 0)),
				"tickets_after_reading": int(r.tickets_after_reading or 0),
				"tickets": int(r.tickets or 0),
				"self_service_score": round(
					self_service_score(int(r.kb_journeys or 0), int(r.tickets or 0)), 2
				),
				"journeys": report_data.journeys_link(
					_("Journeys"), r.month, from_date, to_date, kb_only=1, department=r.department
				),
				"ticket_list": report_data.tickets_link(
					_("Tickets"), r.month, from_date, to_date, ssp_department=r.department
				),
			}
		)
	totals = {
		k: sum(r[k] for r in rows)
		for k in (
			"kb_journeys",
			"confirmed",
			"inferred",
			"deflections",
			"journeys_then_ticket",
			"pending_journeys",
			"tickets_after_reading",
			"tickets",
		)
	}
	summary = [
		{"label": _("KB Journeys"), "value": totals["kb_journeys"], "datatype": "Int"},
		{"label": _("Confirmed Deflections"), "value": totals["confirmed"], "datatype": "Int"},
		{"label": _("Inferred Deflections"), "value": totals["inferred"], "datatype": "Int"},
		{"label": _("Deflections"), "value": totals["deflections"], "indicator": "Green", "datatype": "Int"},
		{
			"label": _("KB Journeys Then a Ticket"),
			"value": totals["journeys_then_ticket"],
			"indicator": "Red",
			"datatype": "Int",
		},
		{
			"label": _("Deflection Rate %"),
			"value": deflection_rate(totals["deflections"], totals["journeys_then_ticket"]),
			"datatype": "Percent",
		},
		{"label": _("Tickets"), "value": totals["tickets"], "datatype": "Int"},
		{"label": _("Tickets After Reading"), "value": totals["tickets_after_reading"], "datatype": "Int"},
		{
			"label": _("Self-Service Score"),
			"value": round(self_service_score(totals["kb_journeys"], totals["tickets"]), 2),
			"datatype": "Float",
		},
	]
	if totals["pending_journeys"]:
		summary.append(
			{
				"label": _("Journeys Still in Their Window"),
				"value": totals["pending_journeys"],
				"indicator": "Grey",
				"datatype": "Int",
			}
		)
	message = " ".join(
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
	return columns(), rows, message, chart(rows), summary


def columns():
	return [
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 90},
		report_data.covers_column(),
		{
			"fieldname": "department",
			"label": _("Department"),
			"fieldtype": "Link",
			"options": "SSP Department",
			"width": 130,
		},
		{"fieldname": "kb_journeys", "label": _("KB Journeys"), "fieldtype": "Int", "width": 100},
		{"fieldname": "confirmed", "label": _("Confirmed"), "fieldtype": "Int", "width": 95},
		{"fieldname": "inferred", "label": _("Inferred"), "fieldtype": "Int", "width": 90},
		{"fieldname": "deflections", "label": _("Deflections"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "journeys_then_ticket",
			"label": _("KB Journeys Then a Ticket"),
			"fieldtype": "Int",
			"width": 170,
		},
		{
			"fieldname": "pending_journeys",
			"label": _("Journeys Still in Their Window"),
			"fieldtype": "Int",
			"width": 190,
		},
		{
			"fieldname": "deflection_rate",
			"label": _("Deflection Rate %"),
			"fieldtype": "Percent",
			"width": 120,
		},
		{"fieldname": "tickets", "label": _("Tickets"), "fieldtype": "Int", "width": 80},
		{
			"fieldname": "tickets_after_reading",
			"label": _("Tickets After Reading"),
			"fieldtype": "Int",
			"width": 150,
		},
		{
			"fieldname": "self_service_score",
			"label": _("Self-Service Score"),
			"fieldtype": "Float",
			"width": 120,
		},
		{"fieldname": "journeys", "label": _("Drill Down"), "fieldtype": "HTML", "width": 90},
		{"fieldname": "ticket_list", "label": _("Ticket List"), "fieldtype": "HTML", "width": 90},
	]


def chart(rows):
	months = sorted({r["month"] for r in rows})
	by_month = {m: [r for r in rows if r["month"] == m] for m in months}
	return {
		"data": {
			"labels": months,
			"datasets": [
				{
					"name": _("Confirmed"),
					"values": [sum(r["confirmed"] for r in by_month[m]) for m in months],
				},
				{"name": _("Inferred"), "values": [sum(r["inferred"] for r in by_month[m]) for m in months]},
				{
					"name": _("KB Journeys Then a Ticket"),
					"values": [sum(r["journeys_then_ticket"] for r in by_month[m]) for m in months],
				},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
	}
