"""What the deflection reports read: SSP Daily Stat grouped by month (one query per report) and the
settings. Reports stay fast as events grow because they never touch the event table (except the
knowledge-gap and journey drill-downs, which are bounded by their date range)."""

import json
from datetime import date, datetime
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.model.document import Document
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

from selfservice_portal.deflection.figures import share
from selfservice_portal.deflection.journeys import self_service_score
from selfservice_portal.deflection.rollup import LAST_RUN_KEY, METRICS, PORTAL, day_stats
from selfservice_portal.deflection.rollup_jobs import get_last_run
from selfservice_portal.deflection.settings import get_rules

DateLike = str | date
# A drill-down filter: a value, None for "not set", or [operator, value].
FilterValue = str | int | list | None
# Every roll-up metric, including the journeys whose deflection window was still open when counted.
METRIC_COLUMNS = METRICS
# Days after the last roll-up that a report computes itself (the nightly job leaves out today; a
# stopped scheduler leaves out more, and then the report says up to when its figures go).
LIVE_DAYS = 7
NUMBER_CARD_METRICS = ("deflections", "portal_share", "self_service_score")


def date_range(filters: dict) -> tuple[date, date]:
	to_date = getdate(filters.get("to_date") or today())
	from_date = getdate(filters.get("from_date") or add_months(to_date, -12))
	if from_date > to_date:
		frappe.throw(_("From date {0} is after to date {1}").format(from_date, to_date))
	return from_date, to_date


def monthly(filters: dict, by: tuple[str, ...] = ()) -> list[frappe._dict]:
	"""SUM of every metric per month (and per ``by`` columns: department, channel): the roll-up up to
	the day it covers, and the few days since computed now (see ``coverage``). Every metric is a whole
	number here, so that no report converts its figures again."""
	from_date, to_date = date_range(filters)
	through, live_days = coverage(filters)
	stat = frappe.qb.DocType("SSP Daily Stat")
	month = frappe.qb.functions("LEFT", stat.stat_date, 7)
	query = (
		frappe.qb.from_(stat)
		.select(
			month.as_("month"),
			*[stat[column] for column in by],
			*[frappe.qb.functions("SUM", stat[metric]).as_(metric) for metric in METRIC_COLUMNS],
		)
		.where(stat.stat_date[from_date:to_date])
		.groupby(month, *[stat[column] for column in by])
		.orderby(month)
	)
	if live_days:
		# the days computed live replace whatever an earlier roll-up stored for them
		query = query.where(stat.stat_date <= through)
	if filters.get("department"):
		query = query.where(stat.department == filters.get("department"))
	rows = [whole_numbers(row) for row in query.run(as_dict=True)]
	if live_days:
		rows = merge_live(rows, live_days, by, filters.get("department"))
	return rows


def whole_numbers(row: dict) -> frappe._dict:
	"""A roll-up row with every metric as an int: SUM gives a Decimal, and NULL over no rows."""
	return frappe._dict(row, **{metric: int(row.get(metric) or 0) for metric in METRICS})


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


def coverage(filters: dict) -> tuple[date | None, list[date]]:
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
	days = [getdate(add_days(through, offset)) for offset in range(1, missing + 1)]
	return through, [day for day in days if from_date <= day <= to_date]


def merge_live(
	rows: list[frappe._dict], days: list[date], by: tuple[str, ...], department: str | None
) -> list[frappe._dict]:
	"""Add the live days' figures to the monthly rows, as the roll-up would have stored them."""
	rules, now = get_rules(), now_datetime()
	merged = {(row["month"], *[row[column] for column in by]): row for row in rows}
	for day in days:
		for stat in day_stats(day, rules, now):
			if department and stat["department"] != department:
				continue
			key = (str(day)[:7], *[stat[column] for column in by])
			target = merged.get(key)
			if target is None:
				target = frappe._dict(
					{"month": key[0], **{column: stat[column] for column in by}, **dict.fromkeys(METRICS, 0)}
				)
				merged[key] = target
			for metric in METRICS:
				target[metric] += stat[metric]
	return sorted(merged.values(), key=lambda row: row["month"])


def figures_up_to(filters: dict) -> datetime | date | None:
	"""The moment up to which the report's figures are complete: now when the days since the roll-up
	were computed live, else the end of the last rolled-up day (None: nothing rolled up yet)."""
	through, live_days = coverage(filters)
	_from_date, to_date = date_range(filters)
	if live_days or (through and through >= to_date):
		return now_datetime() if to_date >= getdate(today()) else to_date
	return through


def completeness_note(filters: dict, up_to: datetime | date | None) -> str:
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


def month_covers(month: str, filters: dict, up_to: datetime | date | None) -> str:
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


# --------------------------------------------------------------------------- columns and figures


def column(
	fieldname: str, label: str, fieldtype: str = "Data", width: int = 100, options: str | None = None
) -> dict:
	"""One report column; ``options`` names the DocType a Link column points to."""
	found = {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, "width": width}
	return {**found, "options": options} if options else found


def month_column() -> dict:
	return column("month", _("Month"), "Data", 90)


def covers_column() -> dict:
	return column("covers", _("Covers"), "Data", 200)


def department_column(width: int = 130) -> dict:
	return column("department", _("Department"), "Link", width, options="SSP Department")


def figure(label: str, value: float | None, datatype: str = "Int", indicator: str | None = None) -> dict:
	"""One figure of a report's summary strip."""
	found = {"label": label, "value": value, "datatype": datatype}
	return {**found, "indicator": indicator} if indicator else found


def stacked_bars(labels: list[str], datasets: list[dict]) -> dict:
	return {"data": {"labels": labels, "datasets": datasets}, "type": "bar", "barOptions": {"stacked": 1}}


def number_card(metric: str) -> tuple[float, str] | None:
	"""A Number Card of the Self-Service workspace, this month so far: (value, fieldtype), or None for
	a metric no card shows."""
	if metric not in NUMBER_CARD_METRICS:
		return None
	month = monthly({"from_date": get_first_day(today()), "to_date": today()}, by=("channel",))
	if metric == "deflections":
		return sum(row.confirmed_deflections + row.inferred_deflections for row in month), "Int"
	if metric == "portal_share":
		contacts = sum(row.tickets + row.contacts for row in month)
		portal = sum(row.tickets + row.contacts for row in month if row.channel == PORTAL)
		return share(portal, contacts), "Percent"
	kb_journeys, tickets = sum(row.kb_journeys for row in month), sum(row.tickets for row in month)
	return round(self_service_score(kb_journeys, tickets), 2), "Float"


def settings() -> Document:
	return frappe.get_cached_doc("SSP Deflection Settings")


def channel_costs() -> dict[str, float]:
	return {row.channel: row.cost_per_contact or 0 for row in settings().channel_costs}


def milestones(from_date: date, to_date: date) -> dict[str, list[str]]:
	found: dict[str, list[str]] = {}
	for milestone in settings().milestones:
		if from_date <= getdate(milestone.milestone_date) <= to_date:
			found.setdefault(str(milestone.milestone_date)[:7], []).append(escape_html(milestone.label))
	return found


# --------------------------------------------------------------------------- drill-downs
# Every figure links to the records behind it: Desk lists (tickets, logged contacts) with the filters
# that made the figure, or the SSP Journeys report. A None filter value means "not set".


def month_bounds(month: str, from_date: DateLike, to_date: DateLike) -> tuple[date, date]:
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


def tickets_link(
	label: str, month: str, from_date: DateLike, to_date: DateLike, **filters: FilterValue
) -> str:
	"""HD Tickets opened in the row's month (the day the roll-up counts them on) matching ``filters``."""
	first, last = month_bounds(month, from_date, to_date)
	params = list_filters({"creation": ["Between", [str(first), str(last)]], **filters})
	return drill_link("hd-ticket", label, params)


def tickets_between_link(label: str, from_date: DateLike, to_date: DateLike, **filters: FilterValue) -> str:
	"""HD Tickets opened within the report's dates matching ``filters``."""
	params = list_filters({"creation": ["Between", [str(from_date), str(to_date)]], **filters})
	return drill_link("hd-ticket", label, params)


def contacts_link(
	label: str, month: str, from_date: DateLike, to_date: DateLike, **filters: FilterValue
) -> str:
	"""Logged contacts without a ticket in the row's month matching ``filters``."""
	first, last = month_bounds(month, from_date, to_date)
	params = list_filters(
		{"contact_on": ["Between", [str(first), str(last)]], "hd_ticket": ["is", "not set"], **filters}
	)
	return drill_link("ssp-contact-log", label, params)


def journeys_link(
	label: str, month: str, from_date: DateLike, to_date: DateLike, **filters: FilterValue
) -> str:
	"""The SSP Journeys report for the row's month (within the report's dates) and ``filters``."""
	first, last = month_bounds(month, from_date, to_date)
	params = {
		"from_date": str(first),
		"to_date": str(last),
		**{key: value for key, value in filters.items() if value},
	}
	return drill_link("query-report/SSP%20Journeys", label, params)
