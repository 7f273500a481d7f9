# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""Per service and department: requests, time to fulfil (median, 90th percentile), the share
fulfilled within the promise and the slowest task kind — read from SSP Fulfilment Stat only."""

from datetime import date

import frappe
from frappe import _
from frappe.utils import add_days, formatdate, getdate, today

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.figures import share
from selfservice_portal.service_catalog import durations, fulfilment_rollup

CHART_SERVICES = 12


def execute(filters: dict | None = None) -> tuple:
	filters = frappe._dict(filters or {})
	filters.from_date, filters.to_date = report_data.date_range(filters)
	through = report_data.rolled_up_through(fulfilment_rollup.DOCTYPE, fulfilment_rollup.LAST_RUN_KEY)
	# The drill-down lists the tickets of the days the figures count: none after the roll-up's last day.
	filters.links_to = min(filters.to_date, through) if through else filters.to_date
	groups = fulfilment_rollup.summed(filters)
	known = services({group["service"] for group in groups})
	rows = [service_row(group, known.get(group["service"], (None, None))[1], filters) for group in groups]
	rows.sort(key=lambda row: (-row["requests"], row["service"] or "", row["department"] or ""))
	return columns(), rows, message(filters, through), chart(rows, known), summary(groups)


def service_row(group: dict, promise: float | None, filters: frappe._dict) -> dict:
	"""One service and department: its figures and the drill-downs to its request tickets."""
	scope = {
		"ssp_service": group["service"],
		"ssp_department": group["department"],
		"ssp_request": ["is", "set"],
	}
	fulfilled = {
		**scope,
		"status_category": "Resolved",
		"ssp_approval_status": ["not in", list(fulfilment_rollup.NOT_FULFILLED)],
	}
	slowest = durations.slowest(group["tasks"])
	link = report_data.tickets_between_link
	return {
		"service": group["service"],
		"department": group["department"],
		"requests": group["requests"],
		"requests_list": link(_("Requests"), filters.from_date, filters.links_to, **scope),
		"fulfilled": group["fulfilled"],
		"fulfilled_list": link(
			_("Fulfilled", context="Requests fulfilled"), filters.from_date, filters.links_to, **fulfilled
		),
		"median_hours": durations.hours(durations.percentile(group["histogram"], 50)),
		"p90_hours": durations.hours(durations.percentile(group["histogram"], 90)),
		"promise_hours": promise or None,
		"within_promise": group["within_promise"] if group["promised"] else None,
		"within_share": share(group["within_promise"], group["promised"]) if group["promised"] else None,
		"slowest_task": slowest[0] if slowest else None,
		"slowest_task_hours": durations.hours(slowest[1]) if slowest else None,
	}


def services(names: set[str]) -> dict[str, tuple]:
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
	column = report_data.column
	return [
		column("service", _("Service"), "Link", 200, options="SSP Service"),
		report_data.department_column(140),
		column("requests", _("Requests"), "Int", 90),
		column("requests_list", _("Requests List"), "HTML", 90),
		column("fulfilled", _("Fulfilled", context="Requests fulfilled"), "Int", 90),
		column("fulfilled_list", _("Fulfilled List"), "HTML", 90),
		column("median_hours", _("Median Hours to Fulfil"), "Float", 120),
		column("p90_hours", _("90th Percentile Hours"), "Float", 120),
		column("promise_hours", _("Promise (Hours)"), "Float", 110),
		column("within_promise", _("Within the Promise"), "Int", 110),
		column("within_share", _("Within the Promise %"), "Percent", 120),
		column("slowest_task", _("Slowest Task"), "Data", 140),
		column("slowest_task_hours", _("Slowest Task Median Hours"), "Float", 130),
	]


def chart(rows: list[dict], known: dict[str, tuple]) -> dict:
	shown = [row for row in rows if row["median_hours"] is not None][:CHART_SERVICES]
	return {
		"data": {
			"labels": [known.get(row["service"], (row["service"],))[0] or row["service"] for row in shown],
			"datasets": [
				{"name": _("Median Hours to Fulfil"), "values": [row["median_hours"] for row in shown]},
				{"name": _("90th Percentile Hours"), "values": [row["p90_hours"] for row in shown]},
			],
		},
		"type": "bar",
	}


def summary(groups: list[dict]) -> list[dict]:
	every = durations.merge(group["histogram"] for group in groups)
	total = {key: sum(group[key] for group in groups) for key in ("requests", "fulfilled", "promised")}
	within = sum(group["within_promise"] for group in groups)
	figure = report_data.figure
	return [
		figure(_("Requests"), total["requests"]),
		figure(_("Fulfilled", context="Requests fulfilled"), total["fulfilled"]),
		figure(_("Median Hours to Fulfil"), durations.hours(durations.percentile(every, 50)), "Float"),
		figure(_("90th Percentile Hours"), durations.hours(durations.percentile(every, 90)), "Float"),
		figure(
			_("Within the Promise %"),
			share(within, total["promised"]) if total["promised"] else None,
			"Percent",
			indicator="Blue",
		),
	]


def message(filters: frappe._dict, through: date | None) -> str:
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
