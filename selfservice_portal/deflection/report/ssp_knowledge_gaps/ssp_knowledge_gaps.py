# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""What the knowledge base is missing: searches that found nothing, searches followed by a ticket,
articles read before a ticket anyway, and articles marked "did not help". Each view is one GROUP BY
over the portal events of the date range; "followed by a ticket" means the same person raised a ticket
within the deflection window after the event. Desk users' own searches and reads are left out, and a
search that failed is not a search without results. Searches are what requesters typed: escaped."""

from datetime import datetime, timedelta

import frappe
from frappe import _
from frappe.utils import add_days, escape_html, get_datetime

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.events import not_agent_sql
from selfservice_portal.deflection.settings import get_rules

LIMIT = 50
TICKETS_SHOWN = 5
PERSON = "COALESCE(portal_event.`user`, portal_event.session_id)"
IN_RANGE = f"""portal_event.creation >= %(from)s AND portal_event.creation < %(to)s
			AND {not_agent_sql()}"""
FOLLOWED_BY_TICKET = """JOIN `tabHD Ticket` ticket ON ticket.raised_by = portal_event.`user`
			AND ticket.creation BETWEEN portal_event.creation
				AND portal_event.creation + INTERVAL %(window)s SECOND"""
SOME_TICKETS = (
	f"SUBSTRING_INDEX(GROUP_CONCAT(DISTINCT ticket.name ORDER BY ticket.name DESC), ',', {TICKETS_SHOWN})"
)

SEARCHES_WITHOUT_RESULTS = "Searches Without Results"
SEARCHES_FOLLOWED_BY_TICKET = "Searches Followed by a Ticket"
ARTICLES_READ_BEFORE_TICKET = "Articles Read Before a Ticket"
ARTICLES_NOT_HELPFUL = "Articles Marked Not Helpful"

VIEWS = {
	SEARCHES_WITHOUT_RESULTS: f"""
		SELECT LOWER(TRIM(portal_event.query)) AS item, COUNT(*) AS times, COUNT(DISTINCT {PERSON}) AS people,
			NULL AS tickets
		FROM `tabSSP Portal Event` portal_event
		WHERE portal_event.event_type = 'KB Search' AND portal_event.result_count = 0
			AND IFNULL(portal_event.query, '') != '' AND {IN_RANGE}
		GROUP BY item ORDER BY times DESC, item LIMIT {LIMIT}""",
	SEARCHES_FOLLOWED_BY_TICKET: f"""
		SELECT LOWER(TRIM(portal_event.query)) AS item, COUNT(DISTINCT portal_event.name) AS times,
			COUNT(DISTINCT {PERSON}) AS people, {SOME_TICKETS} AS tickets
		FROM `tabSSP Portal Event` portal_event
		{FOLLOWED_BY_TICKET}
		WHERE portal_event.event_type = 'KB Search' AND IFNULL(portal_event.query, '') != '' AND {IN_RANGE}
		GROUP BY item ORDER BY times DESC, item LIMIT {LIMIT}""",
	ARTICLES_READ_BEFORE_TICKET: f"""
		SELECT portal_event.hd_article AS item, COUNT(DISTINCT portal_event.name) AS times,
			COUNT(DISTINCT {PERSON}) AS people, {SOME_TICKETS} AS tickets
		FROM `tabSSP Portal Event` portal_event
		{FOLLOWED_BY_TICKET}
		WHERE portal_event.event_type = 'Article View' AND IFNULL(portal_event.hd_article, '') != ''
			AND {IN_RANGE}
		GROUP BY item ORDER BY times DESC, item LIMIT {LIMIT}""",
	ARTICLES_NOT_HELPFUL: f"""
		SELECT portal_event.hd_article AS item, COUNT(*) AS times, COUNT(DISTINCT {PERSON}) AS people,
			NULL AS tickets
		FROM `tabSSP Portal Event` portal_event
		WHERE portal_event.event_type = 'Article Not Helpful' AND IFNULL(portal_event.hd_article, '') != ''
			AND {IN_RANGE}
		GROUP BY item ORDER BY times DESC, item LIMIT {LIMIT}""",
}


def execute(filters: dict | None = None) -> tuple:
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


def gap_rows(view: str, start: datetime, end: datetime, window: timedelta) -> list[dict]:
	rows = frappe.db.sql(
		VIEWS[view],
		{"from": start, "to": end, "window": int(window.total_seconds())},
		as_dict=True,
	)
	is_article = view.startswith("Articles")
	titles = article_titles([row.item for row in rows]) if is_article else {}
	for row in rows:
		if not is_article:
			row["item"] = escape_html(row.item)
		row["title"] = escape_html(titles.get(row.item, "")) if is_article else row.item
		row["tickets"] = ticket_links(row.tickets)
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
		'<a href="/app/hd-ticket/{0}">{0}</a>'.format(escape_html(name))
		for name in (names or "").split(",")
		if name
	)


def columns(view: str) -> list[dict]:
	column = report_data.column
	if view.startswith("Articles"):
		found = [
			column("item", _("Article"), "Link", 160, options="HD Article"),
			column("title", _("Title"), "Data", 260),
		]
	else:
		found = [column("item", _("Search"), "Data", 240)]
	found += [column("times", _("Times"), "Int", 80), column("people", _("People"), "Int", 80)]
	if view in (SEARCHES_FOLLOWED_BY_TICKET, ARTICLES_READ_BEFORE_TICKET):
		found.append(column("tickets", _("Latest Tickets"), "HTML", 220))
	return found
