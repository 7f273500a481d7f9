# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""Contacts (tickets and logged contacts without a ticket) by channel per month, with the portal's
share and the milestones of the self-service programme on the timeline."""

from datetime import date, datetime

import frappe
from frappe import _

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.figures import share

UNKNOWN = "Unknown"


def execute(filters: dict | None = None) -> tuple:
	filters = frappe._dict(filters or {})
	from_date, to_date = report_data.date_range(filters)
	channels = frappe.get_all("SSP Channel", order_by="sort_order asc, name asc", pluck="name")
	marks = report_data.milestones(from_date, to_date)
	up_to = report_data.figures_up_to(filters)
	months: dict[str, dict] = {}
	for stat in report_data.monthly(filters, by=("channel",)):
		row = months.setdefault(stat.month, {"month": stat.month, "total": 0})
		channel = stat.channel or UNKNOWN
		if channel not in channels:
			# a deleted channel or tickets not yet classified: shown, so that the columns add up
			channels.append(channel)
		key = frappe.scrub(channel)
		row[key] = row.get(key, 0) + stat.tickets + stat.contacts
		row["total"] += stat.tickets + stat.contacts
	rows = [month_row(months[month], filters, up_to, marks) for month in sorted(months)]
	return columns(channels), rows, message(filters, up_to, marks), chart(rows, channels)


def month_row(row: dict, filters: frappe._dict, up_to: datetime | date | None, marks: dict) -> dict:
	"""A month's contacts per channel, completed with the portal's share, milestones and drill-downs."""
	from_date, to_date = report_data.date_range(filters)
	month = row["month"]
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
	return row


def columns(channels: list[str]) -> list[dict]:
	column = report_data.column
	return [
		report_data.month_column(),
		*[column(frappe.scrub(channel), _(channel), "Int", 90) for channel in channels],
		column("total", _("Total"), "Int", 80),
		column("portal_share", _("Portal Share %"), "Percent", 110),
		report_data.covers_column(),
		column("milestones", _("Milestones"), "Data", 220),
		column("ticket_list", _("Ticket List"), "HTML", 90),
		column("contact_list", _("Contact List"), "HTML", 100),
	]


def chart(rows: list[dict], channels: list[str]) -> dict:
	return report_data.stacked_bars(
		[f"{row['month']} ◆" if row["milestones"] else row["month"] for row in rows],
		[
			{"name": _(channel), "values": [row.get(frappe.scrub(channel), 0) for row in rows]}
			for channel in channels
		],
	)


def message(filters: frappe._dict, up_to: datetime | date | None, marks: dict[str, list[str]]) -> str:
	found = " ".join(
		[
			report_data.completeness_note(filters, up_to),
			_(
				"Contacts: distinct tickets raised in the month plus logged contacts that never became a ticket, "
				"by channel. Portal Share: the portal's part of the total."
			),
		]
	)
	if marks:
		found += " " + _("◆ marks a milestone: {0}").format(
			"; ".join(f"{month}: {', '.join(labels)}" for month, labels in sorted(marks.items()))
		)
	return found
