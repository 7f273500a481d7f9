"""What the deflection reports read: SSP Daily Stat grouped by month (one query per report) and the
settings. Reports stay fast as events grow because they never touch the event table (except the
knowledge-gap and journey drill-downs, which are bounded by their date range)."""

import frappe
from frappe import _
from frappe.utils import add_months, escape_html, getdate, today

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
