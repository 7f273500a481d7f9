# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""Portal share of the audience's requests before, during and after each contest (periods of the
contest's own length), so managers see whether a contest moved people to the portal — and whether
the move lasted."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime

from selfservice_portal.contests.audience import audience_condition
from selfservice_portal.deflection import report_data

PHASES = ("Before", "During", "After")

IMPACT_SQL = """
SELECT
	CASE WHEN creation < %(start)s THEN 'Before' WHEN creation < %(end)s THEN 'During' ELSE 'After' END AS phase,
	COUNT(*) AS requests,
	SUM(IFNULL(ssp_channel, '') = 'Portal') AS portal
FROM `tabHD Ticket`
WHERE creation >= %(before)s AND creation < %(after)s AND {audience}
GROUP BY phase
"""


def execute(filters: dict | None = None) -> tuple:
	filters = frappe._dict(filters or {})
	contests = frappe.get_all(
		"SSP Contest",
		filters={
			"status": ("in", ["Running", "Judging", "Awarded"]),
			**({"name": filters.contest} if filters.contest else {}),
		},
		pluck="name",
		order_by="starts_on asc",
	)
	rows = []
	for name in contests:
		rows.extend(contest_rows(frappe.get_doc("SSP Contest", name)))
	return columns(), rows, message(), chart(rows)


def message() -> str:
	"""What the figures mean, shown above the table."""
	return "<p>{}</p><p>{}</p>".format(
		_(
			"For each running, judged or awarded contest: the requests its audience raised in three periods "
			"of the contest's own length — <b>Before</b> (just before it started), <b>During</b> and "
			"<b>After</b> (right after it ended) — and how many of them came through the portal."
		),
		_(
			"Portal share = requests through the portal ÷ all requests. A higher share during the contest "
			"than before means it moved people to the portal; the share after it shows whether the move "
			"lasted. Periods that have not ended yet count the requests raised so far."
		),
	)


def contest_rows(contest: Document) -> list[dict]:
	start, end = get_datetime(contest.starts_on), get_datetime(contest.ends_on)
	length = end - start
	sql, params = audience_condition(contest)
	found = {
		counted.phase: counted
		for counted in frappe.db.sql(
			IMPACT_SQL.format(audience=sql.format(user="raised_by")),
			{**params, "start": start, "end": end, "before": start - length, "after": end + length},
			as_dict=True,
		)
	}
	rows = []
	for phase in PHASES:
		counted = found.get(phase) or frappe._dict(requests=0, portal=0)
		requests, portal = int(counted.requests or 0), int(counted.portal or 0)
		rows.append(
			{
				"contest": contest.name,
				"contest_title": contest.title,
				"phase": _(phase),
				"requests": requests,
				"portal_requests": portal,
				"portal_share": round(100 * portal / requests, 1) if requests else 0.0,
			}
		)
	return rows


def columns() -> list[dict]:
	column = report_data.column
	return [
		# Shown by its title (the report's formatter), linking to the contest.
		column("contest", _("Contest"), "Link", 260, options="SSP Contest"),
		column("phase", _("Period"), "Data", 100),
		column("requests", _("Requests"), "Int", 100),
		column("portal_requests", _("Through the Portal"), "Int", 160),
		column("portal_share", _("Portal Share %"), "Percent", 130),
	]


def chart(rows: list[dict]) -> dict | None:
	if not rows:
		return None
	return {
		"data": {
			"labels": [f"{row['contest_title']} · {row['phase']}" for row in rows],
			"datasets": [{"name": _("Portal Share %"), "values": [row["portal_share"] for row in rows]}],
		},
		"type": "bar",
	}
