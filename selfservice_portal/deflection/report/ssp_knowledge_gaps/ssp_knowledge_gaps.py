# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""What the knowledge base is missing: searches that found nothing, searches followed by a ticket,
articles read before a ticket anyway, and articles marked "did not help". Each view is one GROUP BY
over the portal events of the date range; "followed by a ticket" means the same person raised a ticket
within the deflection window after the event. Desk users' own searches and reads are left out, and a
search that failed is not a search without results. Searches are what requesters typed: escaped."""

import frappe
from frappe import _
from frappe.utils import add_days, escape_html, get_datetime

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.events import not_agent_sql
from selfservice_portal.deflection.settings import get_rules

LIMIT = 50
TICKETS_SHOWN = 5
PERSON = "COALESCE(e.`user`, e.session_id)"
IN_RANGE = f"e.creation >= %(from)s AND e.creation < %(to)s AND {not_agent_sql()}"
FOLLOWED_BY_TICKET = """JOIN `tabHD Ticket` t ON t.raised_by = e.`user`
			AND t.creation BETWEEN e.creation AND e.creation + INTERVAL %(window)s SECOND"""
SOME_TICKETS = f"SUBSTRING_INDEX(GROUP_CONCAT(DISTINCT t.name ORDER BY t.name DESC), ',', {TICKETS_SHOWN})"

SEARCHES_WITHOUT_RESULTS = "Searches Without Results"
SEARCHES_FOLLOWED_BY_TICKET = "Searches Followed by a Ticket"
ARTICLES_READ_BEFORE_TICKET = "Articles Read Before a Ticket"
ARTICLES_NOT_HELPFUL = "Articles Marked Not Helpful"

VIEWS = {
	SEARCHES_WITHOUT_RESULTS: f"""
		SELECT LOWER(TRIM(e.query)) AS item, COUNT(*) AS times, COUNT(DISTINCT {PERSON}) AS people,
			NULL AS tickets
		FROM `tabSSP Portal Event` e
		WHERE e.event_type = 'KB Search' AND e.result_count = 0 AND IFNULL(e.query, '') != ''
			AND {IN_RANGE}
		GROUP BY item ORDER BY times DESC, item LIMIT {LIMIT}""",
	SEARCHES_FOLLOWED_BY_TICKET: f"""
		SELECT LOWER(TRIM(e.query)) AS item, COUNT(DISTINCT e.name) AS times,
			COUNT(DISTINCT {PERSON}) AS people, {SOME_TICKETS} AS tickets
		FROM `tabSSP Portal Event` e
		{FOLLOWED_BY_TICKET}
		WHERE e.event_type = 'KB Search' AND IFNULL(e.query, '') != '' AND {IN_RANGE}
		GROUP BY item ORDER BY times DESC, item LIMIT {LIMIT}""",
	ARTICLES_READ_BEFORE_TICKET: f"""
		SELECT e.hd_article AS item, COUNT(DISTINCT e.name) AS times, COUNT(DISTINCT {PERSON}) AS people,
			{SOME_TICKETS} AS tickets
		FROM `tabSSP Portal Event` e
		{FOLLOWED_BY_TICKET}
		WHERE e.event_type = 'Article View' AND IFNULL(e.hd_article, '') != '' AND {IN_RANGE}
		GROUP BY item ORDER BY times DESC, item LIMIT {LIMIT}""",
	ARTICLES_NOT_HELPFUL: f"""
		SELECT e.hd_article AS item, COUNT(*) AS times, COUNT(DISTINCT {PERSON}) AS people, NULL AS tickets
		FROM `tabSSP Portal Event` e
		WHERE e.event_type = 'Article Not Helpful' AND IFNULL(e.hd_article, '') != '' AND {IN_RANGE}
		GROUP BY item ORDER BY times DESC, item LIMIT {LIMIT}""",
}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	view = filters.get("view") or SEARCHES_WITHOUT_RESULTS
	if view not in VIEWS:
		frappe.throw(_("Unknown view {0}").format(view))
	from_date, to_date = report_data.date_range(filters)
	window = get_rules().window
	rows = gap_rows(view, get_datetime(from_date), get_datetime(add_days(to_date, 1)), window)
	message = explain(view, int(window.total_seconds() // 3600))
	return columns(view), rows, message


def explain(view: str, hours: int) -> str:
	if view == SEARCHES_WITHOUT_RESULTS:
		return _("Knowledge-base searches that found no article: write the missing articles.")
	if view == SEARCHES_FOLLOWED_BY_TICKET:
		return _(
			"Searches after which the same person raised a ticket within {0} hours: what they found did not "
			"answer them."
		).format(hours)
	if view == ARTICLES_READ_BEFORE_TICKET:
		return _(
			"Articles read before the reader raised a ticket within {0} hours anyway: improve or split them."
		).format(hours)
	return _("Articles readers marked 'this did not help'.")


def gap_rows(view: str, start, end, window) -> list[dict]:
	rows = frappe.db.sql(
		VIEWS[view],
		{"from": start, "to": end, "window": int(window.total_seconds())},
		as_dict=True,
	)
	is_article = view.startswith("Articles")
	titles = article_titles([r.item for r in rows]) if is_article else {}
	for r in rows:
		if not is_article:
			r["item"] = escape_html(r.item)
		r["title"] = escape_html(titles.get(r.item, "")) if is_article else r.item
		r["tickets"] = ticket_links(r.tickets)
	return rows


def article_titles(names: list[str]) -> dict[str, str]:
	if not names:
		return {}
	return dict(
		frappe.get_all("HD Article", filters={"name": ("in", names)}, fields=["name", "title"], as_list=True)
	)


def ticket_links(names: str | None) -> str:
	"""The latest few tickets behind a row, each a link to the ticket."""
	return ", ".join(
		'<a href="/app/hd-ticket/{0}">{0}</a>'.format(escape_html(n)) for n in (names or "").split(",") if n
	)


def columns(view: str) -> list[dict]:
	is_article = view.startswith("Articles")
	cols = [
		{
			"fieldname": "item",
			"label": _("Article") if is_article else _("Search"),
			"fieldtype": "Link" if is_article else "Data",
			"options": "HD Article" if is_article else None,
			"width": 160 if is_article else 240,
		},
		{"fieldname": "times", "label": _("Times"), "fieldtype": "Int", "width": 80},
		{"fieldname": "people", "label": _("People"), "fieldtype": "Int", "width": 80},
	]
	if is_article:
		cols.insert(1, {"fieldname": "title", "label": _("Title"), "fieldtype": "Data", "width": 260})
	if view in (SEARCHES_FOLLOWED_BY_TICKET, ARTICLES_READ_BEFORE_TICKET):
		cols.append({"fieldname": "tickets", "label": _("Latest Tickets"), "fieldtype": "HTML", "width": 220})
	return cols
