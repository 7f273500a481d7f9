# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""Share of closed tickets that received the customer's rating, by channel."""

import frappe
from frappe import _

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.figures import share


def execute(filters=None):
	filters = frappe._dict(filters or {})
	by_channel: dict[str, dict] = {}
	for r in report_data.monthly(filters, by=("channel",)):
		row = by_channel.setdefault(
			r.channel or _("Unknown"),
			{"channel": r.channel or _("Unknown"), "raw_channel": r.channel, "closed": 0, "rated": 0},
		)
		row["closed"] += int(r.closed_tickets or 0)
		row["rated"] += int(r.rated_tickets or 0)
	from_date, to_date = report_data.date_range(filters)
	scope = {"ssp_department": filters.department} if filters.get("department") else {}
	rows = []
	for r in by_channel.values():
		if not r["closed"]:
			continue
		closed = {"ssp_channel": r["raw_channel"], "status_category": "Resolved", **scope}
		rows.append(
			{
				**r,
				"rating_rate": share(r["rated"], r["closed"]),
				"closed_list": report_data.tickets_between_link(_("Closed"), from_date, to_date, **closed),
				"rated_list": report_data.tickets_between_link(
					_("Rated"), from_date, to_date, feedback_rating=[">", 0], **closed
				),
			}
		)
	rows.sort(key=lambda r: -r["closed"])
	columns = [
		{
			"fieldname": "channel",
			"label": _("Channel"),
			"fieldtype": "Link",
			"options": "SSP Channel",
			"width": 120,
		},
		{"fieldname": "closed", "label": _("Closed Tickets"), "fieldtype": "Int", "width": 120},
		{"fieldname": "rated", "label": _("Rated"), "fieldtype": "Int", "width": 90},
		{"fieldname": "rating_rate", "label": _("Rating Rate %"), "fieldtype": "Percent", "width": 110},
		{"fieldname": "closed_list", "label": _("Closed List"), "fieldtype": "HTML", "width": 90},
		{"fieldname": "rated_list", "label": _("Rated List"), "fieldtype": "HTML", "width": 90},
	]
	chart = {
		"data": {
			"labels": [r["channel"] for r in rows],
			"datasets": [{"name": _("Rating Rate %"), "values": [r["rating_rate"] for r in rows]}],
		},
		"type": "bar",
	}
	closed, rated = sum(r["closed"] for r in rows), sum(r["rated"] for r in rows)
	summary = [
		{"label": _("Closed Tickets"), "value": closed, "datatype": "Int"},
		{"label": _("Rated"), "value": rated, "datatype": "Int"},
		{
			"label": _("Rating Rate %"),
			"value": share(rated, closed),
			"datatype": "Percent",
			"indicator": "Blue",
		},
	]
	message = report_data.completeness_note(filters, report_data.figures_up_to(filters)) + " "
	message += _(
		"Closed tickets: tickets resolved or closed, counted on the day they were opened. Rated: those with the "
		"customer's rating or feedback. Rating rate: rated / closed."
	)
	return columns, rows, message, chart, summary
