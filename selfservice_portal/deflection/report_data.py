"""What the deflection reports read: SSP Daily Stat grouped by month (one query per report) and the
settings. Reports stay fast as events grow because they never touch the event table (except the
knowledge-gap and journey drill-downs, which are bounded by their date range)."""

import json
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import add_months, escape_html, get_last_day, getdate, today

from selfservice_portal.deflection.rollup import METRICS

# Every roll-up metric but the transient count of journeys whose deflection window is still open.
METRIC_COLUMNS = tuple(m for m in METRICS if m != "pending_journeys")


def date_range(filters) -> tuple:
	to_date = getdate(filters.get("to_date") or today())
	from_date = getdate(filters.get("from_date") or add_months(to_date, -12))
	if from_date > to_date:
		frappe.throw(_("From date {0} is after to date {1}").format(from_date, to_date))
	return from_date, to_date


def monthly(filters, by: tuple[str, ...] = ()) -> list[dict]:
	"""SUM of every metric per month (and per ``by`` columns: department, channel)."""
	from_date, to_date = date_range(filters)
	stat = frappe.qb.DocType("SSP Daily Stat")
	month = frappe.qb.functions("LEFT", stat.stat_date, 7)
	query = (
		frappe.qb.from_(stat)
		.select(
			month.as_("month"),
			*[stat[c] for c in by],
			*[frappe.qb.functions("SUM", stat[m]).as_(m) for m in METRIC_COLUMNS],
		)
		.where(stat.stat_date[from_date:to_date])
		.groupby(month, *[stat[c] for c in by])
		.orderby(month)
	)
	if filters.get("department"):
		query = query.where(stat.department == filters.get("department"))
	return query.run(as_dict=True)


def settings():
	return frappe.get_cached_doc("SSP Deflection Settings")


def channel_costs() -> dict[str, float]:
	return {row.channel: row.cost_per_contact or 0 for row in settings().channel_costs}


def milestones(from_date, to_date) -> dict[str, list[str]]:
	found: dict[str, list[str]] = {}
	for m in settings().milestones:
		if from_date <= getdate(m.milestone_date) <= to_date:
			found.setdefault(str(m.milestone_date)[:7], []).append(escape_html(m.label))
	return found


def department_filter() -> dict:
	return {
		"fieldname": "department",
		"label": _("Department"),
		"fieldtype": "Link",
		"options": "SSP Department",
	}


# --------------------------------------------------------------------------- drill-downs
# Every figure links to the records behind it: Desk lists (tickets, logged contacts) with the filters
# that made the figure, or the SSP Journeys report. A None filter value means "not set".


def month_bounds(month: str, from_date, to_date) -> tuple:
	"""The days of ``month`` (YYYY-MM) that lie within the report's dates."""
	first, last = getdate(f"{month}-01"), getdate(get_last_day(f"{month}-01"))
	return max(first, getdate(from_date)), min(last, getdate(to_date))


def list_filters(filters: dict) -> dict:
	"""Route options for a Desk list: values as they are, None as 'is not set', lists as operators."""
	out = {}
	for field, value in filters.items():
		if value is None:
			value = ["is", "not set"]
		out[field] = json.dumps(value) if isinstance(value, list | tuple) else value
	return out


def drill_link(route: str, label: str, params: dict) -> str:
	return '<a href="/app/{0}?{1}">{2}</a>'.format(route, escape_html(urlencode(params)), escape_html(label))


def tickets_link(label: str, month: str, from_date, to_date, **filters) -> str:
	"""HD Tickets opened in the row's month (the day the roll-up counts them on) matching ``filters``."""
	first, last = month_bounds(month, from_date, to_date)
	params = list_filters({"creation": ["Between", [str(first), str(last)]], **filters})
	return drill_link("hd-ticket", label, params)


def tickets_between_link(label: str, from_date, to_date, **filters) -> str:
	"""HD Tickets opened within the report's dates matching ``filters``."""
	params = list_filters({"creation": ["Between", [str(from_date), str(to_date)]], **filters})
	return drill_link("hd-ticket", label, params)


def contacts_link(label: str, month: str, from_date, to_date, **filters) -> str:
	"""Logged contacts without a ticket in the row's month matching ``filters``."""
	first, last = month_bounds(month, from_date, to_date)
	params = list_filters(
		{"contact_on": ["Between", [str(first), str(last)]], "hd_ticket": ["is", "not set"], **filters}
	)
	return drill_link("ssp-contact-log", label, params)


def journeys_link(label: str, month: str, from_date, to_date, **filters) -> str:
	"""The SSP Journeys report for the row's month (within the report's dates) and ``filters``."""
	first, last = month_bounds(month, from_date, to_date)
	params = {"from_date": str(first), "to_date": str(last), **{k: v for k, v in filters.items() if v}}
	return drill_link("query-report/SSP%20Journeys", label, params)
