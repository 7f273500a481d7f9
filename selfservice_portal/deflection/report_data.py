"""What the deflection reports read: SSP Daily Stat grouped by month (one query per report) and the
settings. Reports stay fast as events grow because they never touch the event table (except the
knowledge-gap and journey drill-downs, which are bounded by their date range)."""

import json
from datetime import date, datetime
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import (
	add_days,
	add_months,
	escape_html,
	formatdate,
	get_first_day,
	get_last_day,
	getdate,
	now_datetime,
	today,
)

from selfservice_portal.deflection.rollup import LAST_RUN_KEY, METRICS, day_stats, get_last_run
from selfservice_portal.deflection.settings import get_rules

# Every roll-up metric, including the journeys whose deflection window was still open when counted.
METRIC_COLUMNS = METRICS
# Days after the last roll-up that a report computes itself (the nightly job leaves out today; a
# stopped scheduler leaves out more, and then the report says up to when its figures go).
LIVE_DAYS = 7


def date_range(filters) -> tuple:
	to_date = getdate(filters.get("to_date") or today())
	from_date = getdate(filters.get("from_date") or add_months(to_date, -12))
	if from_date > to_date:
		frappe.throw(_("From date {0} is after to date {1}").format(from_date, to_date))
	return from_date, to_date


def monthly(filters, by: tuple[str, ...] = ()) -> list[dict]:
	"""SUM of every metric per month (and per ``by`` columns: department, channel): the roll-up up to
	the day it covers, and the few days since computed now (see ``coverage``)."""
	from_date, to_date = date_range(filters)
	through, live_days = coverage(filters)
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
	if live_days:
		# the days computed live replace whatever an earlier roll-up stored for them
		query = query.where(stat.stat_date <= through)
	if filters.get("department"):
		query = query.where(stat.department == filters.get("department"))
	rows = query.run(as_dict=True)
	if live_days:
		rows = merge_live(rows, live_days, by, filters.get("department"))
	return rows


def rolled_up_through(doctype: str = "SSP Daily Stat", last_run_key: str = LAST_RUN_KEY) -> date | None:
	"""The last day the stored roll-up covers: the day before the nightly job last ran, or the latest
	day it stored (a recompute), never today (which is only rolled up once it is over). ``doctype``
	and ``last_run_key`` name another roll-up (a constant, never input) with the same rules."""
	candidates = []
	last_run = get_last_run(last_run_key)
	if last_run:
		candidates.append(getdate(add_days(getdate(last_run), -1)))
	latest = frappe.db.sql(f"SELECT MAX(stat_date) FROM `tab{doctype}`")[0][0]
	if latest:
		candidates.append(min(getdate(latest), getdate(add_days(today(), -1))))
	return max(candidates) if candidates else None


def coverage(filters) -> tuple[date | None, list[date]]:
	"""(last day of the stored roll-up, days of the range the report computes itself). When the
	roll-up is more than ``LIVE_DAYS`` behind, nothing is computed and the figures end with it."""
	from_date, to_date = date_range(filters)
	through = rolled_up_through()
	if through is None:
		return None, []
	current = getdate(today())
	missing = (current - through).days
	if missing <= 0 or missing > LIVE_DAYS:
		return through, []
	days = [getdate(add_days(through, i)) for i in range(1, missing + 1)]
	return through, [d for d in days if from_date <= d <= to_date]


def merge_live(rows: list[dict], days: list[date], by: tuple[str, ...], department: str | None) -> list[dict]:
	"""Add the live days' figures to the monthly rows, as the roll-up would have stored them."""
	rules, now = get_rules(), now_datetime()
	merged = {(r["month"], *[r[c] for c in by]): r for r in rows}
	for day in days:
		for stat in day_stats(day, rules, now):
			if department and stat["department"] != department:
				continue
			key = (str(day)[:7], *[stat[c] for c in by])
			target = merged.get(key)
			if target is None:
				target = frappe._dict(
					{"month": key[0], **{c: stat[c] for c in by}, **dict.fromkeys(METRICS, 0)}
				)
				merged[key] = target
			for m in METRICS:
				target[m] = int(target.get(m) or 0) + int(stat[m] or 0)
	return sorted(merged.values(), key=lambda r: r["month"])


def figures_up_to(filters) -> datetime | date | None:
	"""The moment up to which the report's figures are complete: now when the days since the roll-up
	were computed live, else the end of the last rolled-up day (None: nothing rolled up yet)."""
	through, live_days = coverage(filters)
	_from_date, to_date = date_range(filters)
	if live_days or (through and through >= to_date):
		return now_datetime() if to_date >= getdate(today()) else to_date
	return through


def completeness_note(filters, up_to: datetime | date | None) -> str:
	"""One sentence for the top of a report's explanation: up to when its figures go."""
	if up_to is None:
		return _("No figures rolled up yet: the nightly roll-up fills them, or a manager recomputes a range.")
	if isinstance(up_to, datetime):
		return _("Figures up to {0} (the current month so far).").format(human_datetime(up_to))
	_from, to_date = date_range(filters)
	if up_to >= to_date:  # the whole range is rolled up: its figures end where the range ends
		return _("Figures up to the end of {0}.").format(formatdate(to_date))
	return _(
		"Figures up to the end of {0}: the nightly roll-up has not run since; later days are not counted yet."
	).format(formatdate(up_to))


def human_datetime(moment: datetime) -> str:
	return "{0} {1}".format(formatdate(getdate(moment)), moment.strftime("%H:%M"))


def month_covers(month: str, filters, up_to: datetime | date | None) -> str:
	"""What part of ``month`` a row counts: 'Whole month', or the days in the site's date format.
	``up_to`` is ``figures_up_to(filters)``, computed once per report."""
	from_date, to_date = date_range(filters)
	first, last = getdate(get_first_day(f"{month}-01")), getdate(get_last_day(f"{month}-01"))
	end = min(last, to_date, getdate(up_to) if up_to else last)
	start = max(first, from_date)
	if (start, end) == (first, last):
		return _("Whole month")
	if isinstance(up_to, datetime) and end == getdate(up_to):
		return _("{0} to {1} (so far)").format(formatdate(start), human_datetime(up_to))
	return _("{0} to {1}").format(formatdate(start), formatdate(end))


def covers_column() -> dict:
	return {"fieldname": "covers", "label": _("Covers"), "fieldtype": "Data", "width": 200}


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
