# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""What self-service saved, per month: deflections x (first-line - self-service cost) plus channel
shift (portal requests x (average assisted-channel cost - portal cost)), against the targets."""

from datetime import date, datetime

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import fmt_money

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.figures import savings, share, weighted_cost

PORTAL = "Portal"


def execute(filters: dict | None = None) -> tuple:
	filters = frappe._dict(filters or {})
	settings = report_data.settings()
	months = month_totals(filters)
	up_to = report_data.figures_up_to(filters)
	costs = report_data.channel_costs()
	rows = [month_row(month, months[month], filters, up_to, settings, costs) for month in sorted(months)]
	note = report_data.completeness_note(filters, up_to)
	return (
		columns(),
		rows,
		f"{note} {message(settings)}",
		chart(rows, settings),
		summary(rows, months, settings),
	)


def month_totals(filters: frappe._dict) -> dict[str, dict]:
	"""Per month: deflections, journeys still in their window and the contacts of each channel."""
	months: dict[str, dict] = {}
	for stat in report_data.monthly(filters, by=("channel",)):
		totals = months.setdefault(stat.month, {"deflections": 0, "pending": 0, "volumes": {}})
		totals["deflections"] += stat.confirmed_deflections + stat.inferred_deflections
		totals["pending"] += stat.pending_journeys
		channel = stat.channel or "Other"
		totals["volumes"][channel] = totals["volumes"].get(channel, 0) + stat.tickets + stat.contacts
	return months


def month_row(
	month: str,
	totals: dict,
	filters: frappe._dict,
	up_to: datetime | date | None,
	settings: Document,
	costs: dict[str, float],
) -> dict:
	from_date, to_date = report_data.date_range(filters)
	portal = totals["volumes"].get(PORTAL, 0)
	portal_share = share(portal, sum(totals["volumes"].values()))
	assisted = weighted_cost(costs, totals["volumes"], exclude=PORTAL)
	saved = savings(
		totals["deflections"],
		settings.first_line_cost or 0,
		settings.self_service_cost or 0,
		portal,
		assisted,
		costs.get(PORTAL, settings.self_service_cost or 0),
	)
	scope = {"department": filters.department} if filters.get("department") else {}
	ticket_scope = {"ssp_department": filters.department} if filters.get("department") else {}
	return {
		"month": month,
		"covers": report_data.month_covers(month, filters, up_to),
		"deflections": totals["deflections"],
		"pending_journeys": totals["pending"],
		"deflection_savings": saved["deflection"],
		"portal_requests": portal,
		"assisted_cost": round(assisted, 2),
		"channel_shift_savings": saved["channel_shift"],
		"total_savings": saved["total"],
		"portal_share": portal_share,
		"savings_vs_target": share(saved["total"], settings.target_monthly_savings)
		if settings.target_monthly_savings
		else None,
		"share_vs_target": share(portal_share, settings.target_portal_share)
		if settings.target_portal_share
		else None,
		"journeys": report_data.journeys_link(_("Journeys"), month, from_date, to_date, kb_only=1, **scope),
		"portal_list": report_data.tickets_link(
			_("Portal Tickets"), month, from_date, to_date, ssp_channel=PORTAL, **ticket_scope
		),
	}


def summary(rows: list[dict], months: dict[str, dict], settings: Document) -> list[dict]:
	"""Totals and progress: average monthly savings against the monthly target, the portal's share of
	all contacts in the range against the target share (green once reached)."""
	total_saved = round(sum(row["total_savings"] for row in rows), 2)
	# a month in progress (or cut by the dates) would drag the average down: whole months only
	whole = [row for row in rows if row["covers"] == _("Whole month")] or rows
	average = round(sum(row["total_savings"] for row in whole) / len(whole), 2) if whole else 0.0
	all_portal = sum(row["portal_requests"] for row in rows)
	all_contacts = sum(sum(totals["volumes"].values()) for totals in months.values())
	portal_share = share(all_portal, all_contacts)
	target_savings, target_share = settings.target_monthly_savings or 0, settings.target_portal_share or 0
	figure = report_data.figure
	return [
		figure(_("Saved", context="Money saved"), total_saved, "Currency", indicator="Green"),
		figure(_("Saved per Month"), average, "Currency"),
		figure(_("Target Savings per Month"), target_savings, "Currency"),
		figure(
			_("Savings, % of Target"),
			share(average, target_savings),
			"Percent",
			indicator=progress_colour(average, target_savings),
		),
		figure(
			_("Portal Share %"),
			portal_share,
			"Percent",
			indicator=progress_colour(portal_share, target_share),
		),
		figure(_("Target Portal Share %"), target_share, "Percent"),
	]


def progress_colour(value: float, target: float) -> str:
	if not target:
		return "Grey"
	return "Green" if value >= target else "Red"


def chart(rows: list[dict], settings: Document) -> dict:
	"""Progress towards the targets (100 % = target reached) when targets are set, else the savings."""
	labels = [row["month"] for row in rows]
	if settings.target_monthly_savings or settings.target_portal_share:
		datasets = []
		if settings.target_monthly_savings:
			datasets.append(
				{"name": _("Savings, % of Target"), "values": [row["savings_vs_target"] for row in rows]}
			)
		if settings.target_portal_share:
			datasets.append(
				{"name": _("Portal Share, % of Target"), "values": [row["share_vs_target"] for row in rows]}
			)
		return {
			"data": {
				"labels": labels,
				"datasets": datasets,
				"yMarkers": [{"label": _("Target"), "value": 100}],
			},
			"type": "line",
			"fieldtype": "Percent",
		}
	savings_bars = [
		{"name": _("Deflection Savings"), "values": [row["deflection_savings"] for row in rows]},
		{"name": _("Channel Shift Savings"), "values": [row["channel_shift_savings"] for row in rows]},
	]
	return {**report_data.stacked_bars(labels, savings_bars), "fieldtype": "Currency"}


def message(settings: Document) -> str:
	return _(
		"Deflection savings = deflections x (first-line cost {0} - self-service cost {1}). Channel shift = portal "
		"requests x (volume-weighted cost per contact of the other channels - the portal's). Costs and targets: "
		"SSP Deflection Settings. Deflections count once a journey's deflection window has closed: a month in "
		"progress shows its journeys still in their window, which add to its savings later. Saved per Month "
		"averages the whole months of the range."
	).format(fmt_money(settings.first_line_cost or 0), fmt_money(settings.self_service_cost or 0))


def columns() -> list[dict]:
	column = report_data.column
	return [
		report_data.month_column(),
		report_data.covers_column(),
		column("deflections", _("Deflections"), "Int", 100),
		column("pending_journeys", _("Journeys Still in Their Window"), "Int", 190),
		column("deflection_savings", _("Deflection Savings"), "Currency", 140),
		column("portal_requests", _("Portal Requests"), "Int", 120),
		column("assisted_cost", _("Assisted Cost per Contact"), "Currency", 160),
		column("channel_shift_savings", _("Channel Shift Savings"), "Currency", 160),
		column("total_savings", _("Total Savings"), "Currency", 120),
		column("portal_share", _("Portal Share %"), "Percent", 110),
		column("savings_vs_target", _("Savings, % of Target"), "Percent", 140),
		column("share_vs_target", _("Portal Share, % of Target"), "Percent", 160),
		column("journeys", _("Deflections"), "HTML", 90),
		column("portal_list", _("Portal Requests"), "HTML", 120),
	]
