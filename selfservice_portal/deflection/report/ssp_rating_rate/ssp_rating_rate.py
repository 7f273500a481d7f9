# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""Share of closed tickets that received the customer's rating, by channel."""

import frappe
from frappe import _

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.figures import share


def execute(filters: dict | None = None) -> tuple:
	filters = frappe._dict(filters or {})
	rows = [channel_row(totals, filters) for totals in channel_totals(filters) if totals["closed"]]
	rows.sort(key=lambda row: -row["closed"])
	message = report_data.completeness_note(filters, report_data.figures_up_to(filters)) + " "
	message += _(
		"Closed tickets: tickets resolved or closed, counted on the day they were opened. Rated: those with the "
		"customer's rating or feedback. Rating rate: rated / closed."
	)
	return columns(), rows, message, chart(rows), summary(rows)


def channel_totals(filters: frappe._dict) -> list[dict]:
	"""Closed and rated tickets of the range per channel."""
	by_channel: dict[str, dict] = {}
	for stat in report_data.monthly(filters, by=("channel",)):
		label = stat.channel or _("Unknown")
		totals = by_channel.setdefault(
			label, {"channel": label, "raw_channel": stat.channel, "closed": 0, "rated": 0}
		)
		totals["closed"] += stat.closed_tickets
		totals["rated"] += stat.rated_tickets
	return list(by_channel.values())


def channel_row(totals: dict, filters: frappe._dict) -> dict:
	from_date, to_date = report_data.date_range(filters)
	scope = {"ssp_department": filters.department} if filters.get("department") else {}
	closed = {"ssp_channel": totals["raw_channel"], "status_category": "Resolved", **scope}
	return {
		**totals,
		"rating_rate": share(totals["rated"], totals["closed"]),
		"closed_list": report_data.tickets_between_link(_("Closed"), from_date, to_date, **closed),
		"rated_list": report_data.tickets_between_link(
			_("Rated"), from_date, to_date, feedback_rating=[">", 0], **closed
		),
	}


def columns() -> list[dict]:
	column = report_data.column
	return [
		column("channel", _("Channel"), "Link", 120, options="SSP Channel"),
		column("closed", _("Closed Tickets"), "Int", 120),
		column("rated", _("Rated"), "Int", 90),
		column("rating_rate", _("Rating Rate %"), "Percent", 110),
		column("closed_list", _("Closed List"), "HTML", 90),
		column("rated_list", _("Rated List"), "HTML", 90),
	]


def chart(rows: list[dict]) -> dict:
	return {
		"data": {
			"labels": [row["channel"] for row in rows],
			"datasets": [{"name": _("Rating Rate %"), "values": [row["rating_rate"] for row in rows]}],
		},
		"type": "bar",
	}


def summary(rows: list[dict]) -> list[dict]:
	closed, rated = sum(row["closed"] for row in rows), sum(row["rated"] for row in rows)
	return [
		report_data.figure(_("Closed Tickets"), closed),
		report_data.figure(_("Rated"), rated),
		report_data.figure(_("Rating Rate %"), share(rated, closed), "Percent", indicator="Blue"),
	]
