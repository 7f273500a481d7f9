# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""How often requesters classify their portal tickets right: the share an agent did not reclassify
(type, team or service changed afterwards)."""

import frappe
from frappe import _

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.figures import share


def execute(filters=None):
	filters = frappe._dict(filters or {})
	from_date, to_date = report_data.date_range(filters)
	up_to = report_data.figures_up_to(filters)
	rows = []
	for r in report_data.monthly(filters, by=("department", "channel")):
		if r.channel != "Portal" or not r.tickets:
			continue
		rows.append(
			{
				"month": r.month,
				"covers": report_data.month_covers(r.month, filters, up_to),
				"department": r.department,
				"portal_tickets": int(r.tickets),
				"reclassified": int(r.reclassified_tickets or 0),
				"accuracy": round(100 - share(int(r.reclassified_tickets or 0), int(r.tickets)), 1),
				"reclassified_list": report_data.tickets_link(
					_("Reclassified"),
					r.month,
					from_date,
					to_date,
					ssp_channel="Portal",
					ssp_department=r.department,
					ssp_reclassified=1,
				),
			}
		)
	columns = [
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 90},
		report_data.covers_column(),
		{
			"fieldname": "department",
			"label": _("Department"),
			"fieldtype": "Link",
			"options": "SSP Department",
			"width": 140,
		},
		{"fieldname": "portal_tickets", "label": _("Portal Tickets"), "fieldtype": "Int", "width": 110},
		{"fieldname": "reclassified", "label": _("Reclassified by Agents"), "fieldtype": "Int", "width": 160},
		{"fieldname": "accuracy", "label": _("Accuracy %"), "fieldtype": "Percent", "width": 100},
		{"fieldname": "reclassified_list", "label": _("Drill Down"), "fieldtype": "HTML", "width": 110},
	]
	portal, reclassified = sum(r["portal_tickets"] for r in rows), sum(r["reclassified"] for r in rows)
	summary = [
		{"label": _("Portal Tickets"), "value": portal, "datatype": "Int"},
		{
			"label": _("Reclassified by Agents"),
			"value": reclassified,
			"datatype": "Int",
			"indicator": "Red",
		},
		{
			"label": _("Accuracy %"),
			"value": round(100 - share(reclassified, portal), 1) if portal else 0.0,
			"datatype": "Percent",
			"indicator": "Green",
		},
	]
	message = report_data.completeness_note(filters, up_to) + " "
	message += _(
		"Portal tickets whose ticket type, team or service an agent changed after submission count as "
		"reclassified. Accuracy: the share the requester classified right."
	)
	return columns, rows, message, None, summary
