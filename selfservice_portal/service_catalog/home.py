"""The self-service home (/self-service): one page that tells a signed-in portal user what the portal
gives them and where they stand.

Everything is read here, in one page load, with a fixed number of set-based queries whatever the size
of the catalog or the user's history: the catalog comes from its cached index, open requests and their
approval rows in two queries, what waits for the user's decision in at most three, the running contests,
the user's audiences and places in three, badges in one.
"""

import frappe
from frappe import _
from frappe.utils import cint, format_date, html_utils

from selfservice_portal.contests.audience import is_member, memberships_of
from selfservice_portal.contests.awards import badges_for
from selfservice_portal.deflection.events import log_event, within_rate_limit
from selfservice_portal.deflection.polls import open_polls_for
from selfservice_portal.languages import offered_languages
from selfservice_portal.service_catalog import catalog, plan_progress
from selfservice_portal.service_catalog.approver_inbox import get_pending_for
from selfservice_portal.service_catalog.articles import article_url, query_words
from selfservice_portal.service_catalog.request_status import (
	PENDING_APPROVAL,
	child_rows,
	status_text,
	with_open_ticket,
)
from selfservice_portal.service_catalog.visibility import Viewer

SETTINGS = "SSP Portal Settings"
SEARCH_LIMIT = 10
MAX_QUERY = 140
OPEN_REQUESTS_SHOWN = 5
VISIBLE_CONTEST_STATUSES = ("Announced", "Running", "Judging")


def welcome() -> dict:
	"""The admin's welcome (sanitised again on the way out), or the built-in one in the user's language."""
	settings = frappe.get_cached_doc(SETTINGS)
	text = (settings.welcome_text or "").strip()
	return {
		"title": settings.welcome_title or _("Welcome to self-service"),
		"html": html_utils.sanitize_html(text)
		if text
		else "<p>{}</p>".format(
			frappe.utils.escape_html(
				_(
					"Ask for what you need from every department in one place, follow your requests and "
					"approvals, and find answers in the knowledge base at any hour, without waiting in a queue."
				)
			)
		),
		"show_contests": not cint(settings.hide_contests),
		"show_badges": not cint(settings.hide_badges),
	}


def get_home(user: str, query: str = "") -> dict:
	viewer = catalog.get_viewer(user)
	departments = catalog.get_catalog(viewer)
	intro = welcome()
	home = {
		"welcome": intro,
		"departments": [
			{
				"name": d["name"],
				"title": d["title"],
				"icon": d["icon"],
				"description": d["description"],
				"service_count": len(d["services"]),
			}
			for d in departments
		],
		"open_requests": open_requests(user),
		"to_approve": get_pending_for(user),
		"contests": running_contests(user) if intro["show_contests"] else [],
		"badges": [badge_card(b) for b in badges_for(user)] if intro["show_badges"] else [],
		"polls": open_polls_for(user),
		"query": (query or "").strip()[:MAX_QUERY],
		"languages": offered_languages(),
		"language": frappe.local.lang,
	}
	home["results"] = search(viewer, departments, home["query"]) if home["query"] else None
	return home


# --------------------------------------------------------------------------- search


def search(viewer: Viewer, departments: list[dict], query: str) -> dict:
	"""Services and published articles matching every word of the query; recorded as a KB search,
	the first step of a deflection journey."""
	titles = {d["name"]: d["title"] for d in departments}
	services = [
		{**s, "department_title": titles.get(s["department"], "")}
		for s in catalog.search_services(viewer, query, limit=SEARCH_LIMIT)
	]
	found = search_articles(query)
	if within_rate_limit():
		log_event(
			"KB Search",
			query=query,
			result_count=len(found),
			articles=",".join(a["name"] for a in found),
		)
	return {"services": services, "articles": found}


def search_articles(query: str, limit: int = SEARCH_LIMIT) -> list[dict]:
	"""Published articles whose title or text holds every meaningful word (titles first)."""
	words = query_words(query) or [query.lower()]
	article = frappe.qb.DocType("HD Article")
	condition = article.status == "Published"
	for word in words:
		pattern = f"%{word}%"
		condition &= article.title.like(pattern) | article.content.like(pattern)
	rows = (
		frappe.qb.from_(article)
		.select(article.name, article.title)
		.where(condition)
		.orderby(article.title)
		.limit(50)
		.run(as_dict=True)
	)

	def in_title(row: frappe._dict) -> int:
		title = row.title.lower()
		return -sum(w in title for w in words)

	return [
		{"name": r.name, "title": r.title, "url": article_url(r.name)}
		for r in sorted(rows, key=in_title)[:limit]
	]


# --------------------------------------------------------------------------- requests


def open_requests(user: str) -> list[dict]:
	"""The user's requests whose ticket is neither resolved nor closed, newest first, each with the
	sentence that says where it stands. Two queries."""
	request = frappe.qb.DocType("SSP Request")
	query, ticket_open = with_open_ticket(frappe.qb.from_(request), request)
	rows = (
		query.select(
			request.name,
			request.hd_ticket,
			request.service,
			request.status,
			request.creation,
			request.plan_status,
			request.plan_snapshot,
		)
		.where((request.requester == user) & request.status.notin(("Rejected", "Cancelled")) & ticket_open)
		.orderby(request.creation, order=frappe.qb.desc)
		.limit(OPEN_REQUESTS_SHOWN + 1)
		.run(as_dict=True)
	)
	approvals = child_rows(
		"SSP Request Approval",
		[r.name for r in rows if r.status == PENDING_APPROVAL],
		["step", "step_label", "approver", "approval_rule", "decision"],
	)
	plans = plan_progress.progress_texts(rows)
	return [
		{
			"name": r.name,
			"ticket": r.hd_ticket,
			"url": f"/helpdesk/my-tickets/{r.hd_ticket}",
			"service_title": frappe.get_cached_value("SSP Service", r.service, "title") or r.service,
			"submitted": format_date(r.creation),
			"state": plans.get(r.name) or status_text(r.status, approvals.get(r.name, [])),
			"waiting": r.status == PENDING_APPROVAL,
		}
		for r in rows
	]


# --------------------------------------------------------------------------- contests and badges


def running_contests(user: str) -> list[dict]:
	"""Announced, running and judged contests this user takes part in, with their best place so far."""
	contest = frappe.qb.DocType("SSP Contest")
	candidates = (
		frappe.qb.from_(contest)
		.select(
			contest.name,
			contest.title,
			contest.status,
			contest.starts_on,
			contest.ends_on,
		)
		.where(contest.status.isin(VISIBLE_CONTEST_STATUSES))
		.orderby(contest.starts_on)
		.limit(3)
		.run(as_dict=True)
	)
	memberships = memberships_of(user) if candidates else frozenset()  # once, not a query per contest
	mine = [
		c for c in candidates if is_member(frappe.get_cached_doc("SSP Contest", c.name), user, memberships)
	]
	places = best_places(user, [c.name for c in mine])
	return [
		{
			"name": c.name,
			"title": c.title,
			"status": c.status,
			"period": _("{0} to {1}").format(format_date(c.starts_on), format_date(c.ends_on)),
			"place": places.get(c.name),
			"url": f"/contests?contest={frappe.utils.quote(c.name)}",
		}
		for c in mine
	]


def best_places(user: str, contests: list[str]) -> dict[str, int]:
	if not contests:
		return {}
	standing = frappe.qb.DocType("SSP Contest Standing")
	rows = (
		frappe.qb.from_(standing)
		.select(standing.contest, frappe.qb.functions("MIN", standing.rank).as_("place"))
		.where((standing.user == user) & standing.contest.isin(contests) & (standing.rank > 0))
		.groupby(standing.contest)
		.run(as_dict=True)
	)
	return {r.contest: cint(r.place) for r in rows}


STARS = {"Gold": "★", "Silver": "☆", "Bronze": "✪"}


def badge_card(badge: frappe._dict) -> dict:
	return {
		"tier": badge.tier,
		"star": STARS.get(badge.tier, "★"),
		"nomination_title": badge.nomination_title,
		"contest_title": badge.contest_title,
		"period_label": badge.period_label,
		"awarded": format_date(badge.awarded_on),
	}
