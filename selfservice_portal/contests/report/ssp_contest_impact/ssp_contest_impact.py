# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""Portal share of the audience's requests before, during and after each contest (periods of the
contest's own length), so managers see whether a contest moved people to the portal — and whether
the move lasted."""

import frappe
from frappe import _
from frappe.utils import get_datetime

from selfservice_portal.contests.judging import audience_condition

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


def execute(filters=None):
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


def contest_rows(contest) -> list[dict]:
	start, end = get_datetime(contest.starts_on), get_datetime(contest.ends_on)
	length = end - start
	sql, params = audience_condition(contest)
	found = {
		r.phase: r
		for r in frappe.db.sql(
			IMPACT_SQL.format(audience=sql.format(user="raised_by")),
			{**params, "start": start, "end": end, "before": start - length, "after": end + length},
			as_dict=True,
		)
	}
	out = []
	for phase in PHASES:
		r = found.get(phase) or frappe._dict(requests=0, portal=0)
		out.append(
			{
				"contest": contest.name,
				"contest_title": contest.title,
				"phase": _(phase),
				"requests": int(r.requests or 0),
				"portal_requests": int(r.portal or 0),
				"portal_share": round(100 * (r.portal or 0) / r.requests, 1) if r.requests else 0.0,
			}
		)
	return out


def columns() -> list[dict]:
	return [
		# Shown by its title (the report's formatter), linking to the contest.
		{
			"fieldname": "contest",
			"label": _("Contest"),
			"fieldtype": "Link",
			"options": "SSP Contest",
			"width": 260,
		},
		{"fieldname": "phase", "label": _("Period"), "fieldtype": "Data", "width": 100},
		{"fieldname": "requests", "label": _("Requests"), "fieldtype": "Int", "width": 100},
		{"fieldname": "portal_requests", "label": _("Through the Portal"), "fieldtype": "Int", "width": 160},
		{"fieldname": "portal_share", "label": _("Portal Share %"), "fieldtype": "Percent", "width": 130},
	]


def chart(rows: list[dict]) -> dict | None:
	if not rows:
		return None
	return {
		"data": {
			"labels": [f"{r['contest_title']} · {r['phase']}" for r in rows],
			"datasets": [{"name": _("Portal Share %"), "values": [r["portal_share"] for r in rows]}],
		},
		"type": "bar",
	}
