# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""What self-service saved, per month: deflections x (first-line - self-service cost) plus channel
shift (portal requests x (average assisted-channel cost - portal cost)), against the targets."""

import frappe
from frappe import _
from frappe.utils import fmt_money

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.figures import savings, share, weighted_cost

PORTAL = "Portal"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	settings = report_data.settings()
	costs = report_data.channel_costs()
	months: dict[str, dict] = {}
	for r in report_data.monthly(filters, by=("channel",)):
		m = months.setdefault(r.month, {"deflections": 0, "pending": 0, "volumes": {}})
		m["deflections"] += int(r.confirmed_deflections or 0) + int(r.inferred_deflections or 0)
		m["pending"] += int(r.pending_journeys or 0)
		m["volumes"][r.channel or "Other"] = (
			m["volumes"].get(r.channel or "Other", 0) + int(r.tickets or 0) + int(r.contacts or 0)
		)
	from_date, to_date = report_data.date_range(filters)
	up_to = report_data.figures_up_to(filters)
	scope = {"department": filters.department} if filters.get("department") else {}
	ticket_scope = {"ssp_department": filters.department} if filters.get("department") else {}
	rows = []
	for month in sorted(months):
		m = months[month]
		portal = m["volumes"].get(PORTAL, 0)
		total = sum(m["volumes"].values())
		assisted = weighted_cost(costs, m["volumes"], exclude=PORTAL)
		saved = savings(
			m["deflections"],
			settings.first_line_cost or 0,
			settings.self_service_cost or 0,
			portal,
			assisted,
			costs.get(PORTAL, settings.self_service_cost or 0),
		)
		rows.append(
			{
				"month": month,
				"covers": report_data.month_covers(month, filters, up_to),
				"deflections": m["deflections"],
				"pending_journeys": m["pending"],
				"deflection_savings": saved["deflection"],
				"portal_requests": portal,
				"assisted_cost": round(assisted, 2),
				"channel_shift_savings": saved["channel_shift"],
				"total_savings": saved["total"],
				"portal_share": share(portal, total),
				"savings_vs_target": share(saved["total"], settings.target_monthly_savings)
				if settings.target_monthly_savings
				else None,
				"share_vs_target": share(share(portal, total), settings.target_portal_share)
				if settings.target_portal_share
				else None,
				"journeys": report_data.journeys_link(
					_("Journeys"), month, from_date, to_date, kb_only=1, **scope
				),
				"portal_list": report_data.tickets_link(
					_("Portal Tickets"), month, from_date, to_date, ssp_channel=PORTAL, **ticket_scope
				),
			}
		)
	note = report_data.completeness_note(filters, up_to)
	return (
		columns(),
		rows,
		f"{note} {message(settings)}",
		chart(rows, settings),
		summary(rows, months, settings),
	)


def summary(rows: list[dict], months: dict, settings) -> list[dict]:
	"""Totals and progress: average monthly savings against the monthly target, the portal's share of
	all contacts in the range against the target share (green once reached)."""
	total_saved = round(sum(r["total_savings"] for r in rows), 2)
	# a month in progress (or cut by the dates) would drag the average down: whole months only
	whole = [r for r in rows if r["covers"] == _("Whole month")] or rows
	average = round(sum(r["total_savings"] for r in whole) / len(whole), 2) if whole else 0.0
	all_portal = sum(r["portal_requests"] for r in rows)
	portal_share = share(all_portal, sum(sum(m["volumes"].values()) for m in months.values()))
	target_savings, target_share = settings.target_monthly_savings or 0, settings.target_portal_share or 0
	return [
		{
			"label": _("Saved", context="Money saved"),
			"value": total_saved,
			"datatype": "Currency",
			"indicator": "Green",
		},
		{"label": _("Saved per Month"), "value": average, "datatype": "Currency"},
		{"label": _("Target Savings per Month"), "value": target_savings, "datatype": "Currency"},
		{
			"label": _("Savings, % of Target"),
			"value": share(average, target_savings),
			"datatype": "Percent",
			"indicator": progress_colour(average, target_savings),
		},
		{
			"label": _("Portal Share %"),
			"value": portal_share,
			"datatype": "Percent",
			"indicator": progress_colour(portal_share, target_share),
		},
		{"label": _("Target Portal Share %"), "value": target_share, "datatype": "Percent"},
	]


def progress_colour(value: float, target: float) -> str:
	if not target:
		return "Grey"
	return "Green" if value >= target else "Red"


def chart(rows: list[dict], settings) -> dict:
	"""Progress towards the targets (100 % = target reached) when targets are set, else the savings."""
	labels = [r["month"] for r in rows]
	if settings.target_monthly_savings or settings.target_portal_share:
		datasets = []
		if settings.target_monthly_savings:
			datasets.append(
				{"name": _("Savings, % of Target"), "values": [r["savings_vs_target"] for r in rows]}
			)
		if settings.target_portal_share:
			datasets.append(
				{"name": _("Portal Share, % of Target"), "values": [r["share_vs_target"] for r in rows]}
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
	return {
		"data": {
			"labels": labels,
			"datasets": [
				{"name": _("Deflection Savings"), "values": [r["deflection_savings"] for r in rows]},
				{"name": _("Channel Shift Savings"), "values": [r["channel_shift_savings"] for r in rows]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"fieldtype": "Currency",
	}


def message(settings) -> str:
	return _(
		"Deflection savings = deflections x (first-line cost {0} - self-service cost {1}). Channel shift = portal "
		"requests x (volume-weighted cost per contact of the other channels - the portal's). Costs and targets: "
		"SSP Deflection Settings. Deflections count once a journey's deflection window has closed: a month in "
		"progress shows its journeys still in their window, which add to its savings later. Saved per Month "
		"averages the whole months of the range."
	).format(fmt_money(settings.first_line_cost or 0), fmt_money(settings.self_service_cost or 0))


def columns():
	return [
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 90},
		report_data.covers_column(),
		{"fieldname": "deflections", "label": _("Deflections"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "pending_journeys",
			"label": _("Journeys Still in Their Window"),
			"fieldtype": "Int",
			"width": 190,
		},
		{
			"fieldname": "deflection_savings",
			"label": _("Deflection Savings"),
			"fieldtype": "Currency",
			"width": 140,
		},
		{"fieldname": "portal_requests", "label": _("Portal Requests"), "fieldtype": "Int", "width": 120},
		{
			"fieldname": "assisted_cost",
			"label": _("Assisted Cost per Contact"),
			"fieldtype": "Currency",
			"width": 160,
		},
		{
			"fieldname": "channel_shift_savings",
			"label": _("Channel Shift Savings"),
			"fieldtype": "Currency",
			"width": 160,
		},
		{"fieldname": "total_savings", "label": _("Total Savings"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "portal_share", "label": _("Portal Share %"), "fieldtype": "Percent", "width": 110},
		{
			"fieldname": "savings_vs_target",
			"label": _("Savings, % of Target"),
			"fieldtype": "Percent",
			"width": 140,
		},
		{
			"fieldname": "share_vs_target",
			"label": _("Portal Share, % of Target"),
			"fieldtype": "Percent",
			"width": 160,
		},
		{"fieldname": "journeys", "label": _("Deflections"), "fieldtype": "HTML", "width": 90},
		{"fieldname": "portal_list", "label": _("Portal Requests"), "fieldtype": "HTML", "width": 120},
	]
