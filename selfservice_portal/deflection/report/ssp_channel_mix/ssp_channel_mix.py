# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""Contacts (tickets and logged contacts without a ticket) by channel per month, with the portal's
share and the milestones of the self-service programme on the timeline."""

import frappe
from frappe import _

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.figures import share

UNKNOWN = "Unknown"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	from_date, to_date = report_data.date_range(filters)
	channels = frappe.get_all("SSP Channel", order_by="sort_order asc, name asc", pluck="name")
	marks = report_data.milestones(from_date, to_date)
	up_to = report_data.figures_up_to(filters)
	months: dict[str, dict] = {}
	for r in report_data.monthly(filters, by=("channel",)):
		row = months.setdefault(r.month, {"month": r.month, "total": 0})
		if (r.channel or UNKNOWN) not in channels:
			# a deleted channel or tickets not yet classified: shown, so that the columns add up
			channels.append(r.channel or UNKNOWN)
		key = frappe.scrub(r.channel or UNKNOWN)
		row[key] = row.get(key, 0) + int(r.tickets or 0) + int(r.contacts or 0)
		row["total"] += int(r.tickets or 0) + int(r.contacts or 0)
	rows = []
	for month in sorted(months):
		row = months[month]
		row["covers"] = report_data.month_covers(month, filters, up_to)
		row["portal_share"] = share(row.get("portal", 0), row["total"])
		row["milestones"] = ", ".join(marks.get(month, []))
		scope = {"ssp_department": filters.department} if filters.get("department") else {}
		row["ticket_list"] = report_data.tickets_link(_("Tickets"), month, from_date, to_date, **scope)
		row["contact_list"] = report_data.contacts_link(
			_("Contacts", context="Contacts logged without a ticket"),
			month,
			from_date,
			to_date,
			**({"department": filters.department} if scope else {}),
		)
		rows.append(row)
	columns = [{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 90}]
	columns += [
		{"fieldname": frappe.scrub(c), "label": _(c), "fieldtype": "Int", "width": 90} for c in channels
	]
	columns += [
		{"fieldname": "total", "label": _("Total"), "fieldtype": "Int", "width": 80},
		{"fieldname": "portal_share", "label": _("Portal Share %"), "fieldtype": "Percent", "width": 110},
		report_data.covers_column(),
		{"fieldname": "milestones", "label": _("Milestones"), "fieldtype": "Data", "width": 220},
		{"fieldname": "ticket_list", "label": _("Ticket List"), "fieldtype": "HTML", "width": 90},
		{"fieldname": "contact_list", "label": _("Contact List"), "fieldtype": "HTML", "width": 100},
	]
	chart = {
		"data": {
			"labels": [f"{r['month']} ◆" if r["milestones"] else r["month"] for r in rows],
			"datasets": [
				{"name": _(c), "values": [r.get(frappe.scrub(c), 0) for r in rows]} for c in channels
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
	}
	message = " ".join(
		[
			report_data.completeness_note(filters, up_to),
			_(
				"Contacts: distinct tickets raised in the month plus logged contacts that never became a ticket, "
				"by channel. Portal Share: the portal's part of the total."
			),
		]
	)
	if marks:
		message += " " + _("◆ marks a milestone: {0}").format(
			"; ".join(f"{m}: {', '.join(labels)}" for m, labels in sorted(marks.items()))
		)
	return columns, rows, message, chart
