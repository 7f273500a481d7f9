# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""Per service and department: requests, time to fulfil (median, 90th percentile), the share
fulfilled within the promise and the slowest task kind — read from SSP Fulfilment Stat only."""

import frappe
from frappe import _
from frappe.utils import add_days, formatdate, getdate, today

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.figures import share
from selfservice_portal.service_catalog import durations, fulfilment_rollup

CHART_SERVICES = 12


def execute(filters=None):
	filters = frappe._dict(filters or {})
	filters.from_date, filters.to_date = report_data.date_range(filters)
	through = report_data.rolled_up_through(fulfilment_rollup.DOCTYPE, fulfilment_rollup.LAST_RUN_KEY)
	# The drill-down lists the tickets of the days the figures count: none after the roll-up's last day.
	filters.links_to = min(filters.to_date, through) if through else filters.to_date
	groups = fulfilment_rollup.summed(filters)
	known = services({g["service"] for g in groups})
	rows = [row(g, known.get(g["service"], (None, None))[1], filters) for g in groups]
	rows.sort(key=lambda r: (-r["requests"], r["service"] or "", r["department"] or ""))
	return columns(), rows, message(filters, through), chart(rows, known), summary(groups)


def row(g: dict, promise: float | None, filters) -> dict:
	scope = {
		"ssp_service": g["service"],
		"ssp_department": g["department"],
		"ssp_request": ["is", "set"],
	}
	fulfilled = {
		**scope,
		"status_category": "Resolved",
		"ssp_approval_status": ["not in", list(fulfilment_rollup.NOT_FULFILLED)],
	}
	slowest = durations.slowest(g["tasks"])
	link = report_data.tickets_between_link
	return {
		"service": g["service"],
		"department": g["department"],
		"requests": g["requests"],
		"requests_list": link(_("Requests"), filters.from_date, filters.links_to, **scope),
		"fulfilled": g["fulfilled"],
		"fulfilled_list": link(
			_("Fulfilled", context="Requests fulfilled"), filters.from_date, filters.links_to, **fulfilled
		),
		"median_hours": durations.hours(durations.percentile(g["histogram"], 50)),
		"p90_hours": durations.hours(durations.percentile(g["histogram"], 90)),
		"promise_hours": promise or None,
		"within_promise": g["within_promise"] if g["promised"] else None,
		"within_share": share(g["within_promise"], g["promised"]) if g["promised"] else None,
		"slowest_task": slowest[0] if slowest else None,
		"slowest_task_hours": durations.hours(slowest[1]) if slowest else None,
	}


def services(names: set) -> dict:
	"""{service: (title, promised hours)} of the report's services, in one query."""
	if not names:
		return {}
	service = frappe.qb.DocType("SSP Service")
	rows = (
		frappe.qb.from_(service)
		.select(service.name, service.title, service.fulfilment_hours)
		.where(service.name.isin(list(names)))
		.run()
	)
	return {name: (title, hours) for name, title, hours in rows}


def columns() -> list[dict]:
	return [
		{
			"fieldname": "service",
			"label": _("Service"),
			"fieldtype": "Link",
			"options": "SSP Service",
			"width": 200,
		},
		{
			"fieldname": "department",
			"label": _("Department"),
			"fieldtype": "Link",
			"options": "SSP Department",
			"width": 140,
		},
		{"fieldname": "requests", "label": _("Requests"), "fieldtype": "Int", "width": 90},
		{"fieldname": "requests_list", "label": _("Requests List"), "fieldtype": "HTML", "width": 90},
		{
			"fieldname": "fulfilled",
			"label": _("Fulfilled", context="Requests fulfilled"),
			"fieldtype": "Int",
			"width": 90,
		},
		{"fieldname": "fulfilled_list", "label": _("Fulfilled List"), "fieldtype": "HTML", "width": 90},
		{
			"fieldname": "median_hours",
			"label": _("Median Hours to Fulfil"),
			"fieldtype": "Float",
			"width": 120,
		},
		{"fieldname": "p90_hours", "label": _("90th Percentile Hours"), "fieldtype": "Float", "width": 120},
		{"fieldname": "promise_hours", "label": _("Promise (Hours)"), "fieldtype": "Float", "width": 110},
		{"fieldname": "within_promise", "label": _("Within the Promise"), "fieldtype": "Int", "width": 110},
		{
			"fieldname": "within_share",
			"label": _("Within the Promise %"),
			"fieldtype": "Percent",
			"width": 120,
		},
		{"fieldname": "slowest_task", "label": _("Slowest Task"), "fieldtype": "Data", "width": 140},
		{
			"fieldname": "slowest_task_hours",
			"label": _("Slowest Task Median Hours"),
			"fieldtype": "Float",
			"width": 130,
		},
	]


def chart(rows: list[dict], known: dict) -> dict:
	shown = [r for r in rows if r["median_hours"] is not None][:CHART_SERVICES]
	return {
		"data": {
			"labels": [known.get(r["service"], (r["service"],))[0] or r["service"] for r in shown],
			"datasets": [
				{"name": _("Median Hours to Fulfil"), "values": [r["median_hours"] for r in shown]},
				{"name": _("90th Percentile Hours"), "values": [r["p90_hours"] for r in shown]},
			],
		},
		"type": "bar",
	}


def summary(groups: list[dict]) -> list[dict]:
	every = durations.merge(g["histogram"] for g in groups)
	requests, fulfilled = sum(g["requests"] for g in groups), sum(g["fulfilled"] for g in groups)
	promised, within = sum(g["promised"] for g in groups), sum(g["within_promise"] for g in groups)
	return [
		{"label": _("Requests"), "value": requests, "datatype": "Int"},
		{"label": _("Fulfilled", context="Requests fulfilled"), "value": fulfilled, "datatype": "Int"},
		{
			"label": _("Median Hours to Fulfil"),
			"value": durations.hours(durations.percentile(every, 50)),
			"datatype": "Float",
		},
		{
			"label": _("90th Percentile Hours"),
			"value": durations.hours(durations.percentile(every, 90)),
			"datatype": "Float",
		},
		{
			"label": _("Within the Promise %"),
			"value": share(within, promised) if promised else None,
			"datatype": "Percent",
			"indicator": "Blue",
		},
	]


def message(filters, through) -> str:
	yesterday = getdate(add_days(today(), -1))
	if through and through >= yesterday and filters.to_date > yesterday:
		note = _("Figures up to the end of {0}: today's requests are rolled up tonight.").format(
			formatdate(through)
		)
	else:
		note = report_data.completeness_note(filters, through)
	return (
		note
		+ " "
		+ _(
			"Requests are counted on the day they were submitted. Time to fulfil: from the submission to the "
			"resolution of the request's ticket, in calendar hours (the approval wait included). Fulfilled: "
			"resolved or closed, neither rejected nor cancelled. Median and 90th percentile are read from log-scale "
			"histograms and are within 5 % of the exact values. Within the promise: fulfilled within "
			"the service's expected fulfilment time, as a share of the fulfilled requests of services with a "
			"promise (blank: no promise). Slowest task: the plan task with the longest median time from its "
			"start to its resolution."
		)
	)
