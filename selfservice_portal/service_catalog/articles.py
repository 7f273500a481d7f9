"""Knowledge-base articles offered before a request is submitted (a deflection point).

Plain SQL matching on published titles and a service's curated list: it must work on any site, with
or without RediSearch.
"""

import re

import frappe
from frappe.model.document import Document

from selfservice_portal.deflection.events import log_event, within_rate_limit

MIN_WORD = 3
MAX_WORDS = 6
STOP_WORDS = frozenset({"the", "and", "for", "with", "from", "new", "need", "request", "please", "my", "not"})


def query_words(text: str) -> list[str]:
	words = [
		w for w in re.findall(r"\w+", (text or "").lower()) if len(w) >= MIN_WORD and w not in STOP_WORDS
	]
	return list(dict.fromkeys(words))[:MAX_WORDS]


def article_url(name: str) -> str:
	return f"/helpdesk/kb-public/articles/{name}"


def suggest_articles(service: Document, query: str = "", limit: int = 5) -> list[dict]:
	"""The service's related articles first, then published articles whose title matches the words."""
	related = [row.hd_article for row in service.articles]
	words = query_words(f"{query} {service.title}")
	article = frappe.qb.DocType("HD Article")
	condition = article.name.isin(related) if related else None
	for word in words:
		like = article.title.like(f"%{word}%")
		condition = like if condition is None else condition | like
	if condition is None:
		return []
	rows = (
		frappe.qb.from_(article)
		.select(article.name, article.title)
		.where(article.status == "Published")
		.where(condition)
		.limit(50)
		.run(as_dict=True)
	)

	def score(row: frappe._dict) -> tuple[bool, int, str]:
		title = row.title.lower()
		return (row.name not in related, -sum(w in title for w in words), title)

	return [
		{"name": r.name, "title": r.title, "url": article_url(r.name), "is_related": r.name in related}
		for r in sorted(rows, key=score)[:limit]
	]


def log_service_viewed(service: Document) -> None:
	"""The requester opened a service's form: the start of a catalog journey (deflection reports).
	Within the portal's event rate limit only: reloading a page a thousand times is no journey."""
	if not within_rate_limit():
		return
	log_event("Service Viewed", service=service.name, department=service.department)


def suggest_and_log(service: Document, query: str = "") -> list[dict]:
	"""Offer the articles and record what was offered: the deflection point the reports read."""
	found = suggest_articles(service, query)
	if not within_rate_limit():
		return found
	log_event(
		"Articles Suggested",
		service=service.name,
		department=service.department,
		query=query or None,
		result_count=len(found),
		articles=",".join(a["name"] for a in found),
	)
	return found
