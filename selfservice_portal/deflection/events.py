"""Portal journey events: one cheap insert each, read later by the deflection reports.

The catalog writes "Service Viewed", "Articles Suggested" and "Ticket Submitted" here.
"""

import hashlib
import re
from functools import partial

import frappe
from frappe.utils import strip_html_tags

from selfservice_portal.db_routing import on_primary
from selfservice_portal.permissions import AGENT_ROLES, within_rate

SETTINGS = "SSP Deflection Settings"

EVENT_TYPES = (
	"KB Search",
	"Article View",
	"Article Helpful",
	"Article Not Helpful",
	"Articles Suggested",
	"New Ticket Opened",
	"Ticket Submitted",
	"Service Viewed",
)
MAX_QUERY_LENGTH = 140
DEFAULT_RATE_LIMIT = 600
# Result count of a knowledge-base search that failed (Helpdesk raised): neither "no results" nor
# engagement. The column is NOT NULL (Frappe Int), so failure needs its own value.
SEARCH_FAILED = -1
# Typed by the requester and shown in reports: stored as plain text.
FREE_TEXT_FIELDS = ("query", "articles")
ANGLE_BRACKETS = re.compile(r"[<>]")
# Desk users read and search the knowledge base too, and never raise tickets through the portal:
# their journeys would all look like deflections. Events of earlier versions may still hold some.


def not_agent_sql(column: str = "e.`user`") -> str:
	"""SQL condition: the event's user (``column``) is no desk user."""
	return f"""({column} IS NULL OR ({column} != 'Administrator'
		AND NOT EXISTS (SELECT 1 FROM `tabHD Agent` agent WHERE agent.name = {column})))"""


def session_key() -> str | None:
	"""A stable, non-reversible handle on the browser session (the sid itself is a secret).

	Guests all share the sid "Guest"; for them the handle is a daily hash of their address alone: a
	User-Agent is the client's to choose, and a new one per request would mint a journey (and an
	inferred deflection) per request.
	"""
	sid = getattr(frappe.session, "sid", None)
	if sid and sid != "Guest":
		return hashlib.sha256(sid.encode()).hexdigest()[:20]
	request = getattr(frappe.local, "request", None)
	if not request:
		return None
	seed = f"{frappe.local.request_ip}|{frappe.utils.today()}"
	return "anon-" + hashlib.sha256(seed.encode()).hexdigest()[:15]


def tracking_allowed() -> bool:
	if frappe.session.user != "Guest":
		return True
	return bool(frappe.get_cached_value(SETTINGS, SETTINGS, "enable_anonymous_tracking"))


def is_agent(user: str | None) -> bool:
	"""Helpdesk's rule (``helpdesk.utils.is_agent``) for any ``user``, by roles alone: Helpdesk gives
	every HD Agent the Agent role, and the roles are cached, so the hot path runs no query for it.
	(v1.25.1's own function asks ``is_admin()`` of the session user, so it calls everyone an agent
	while Administrator is signed in.)"""
	if not user or user == "Guest":
		return False
	return user == "Administrator" or bool(set(AGENT_ROLES) & set(frappe.get_roles(user)))


def agent_users(users: set[str]) -> set[str]:
	"""Which of ``users`` are desk users (one query), to leave their stored events out."""
	users = {u for u in users if u}
	if not users:
		return set()
	agents = set(frappe.get_all("HD Agent", filters={"name": ("in", list(users))}, pluck="name"))
	return agents | ({"Administrator"} & users)


def rate_limit_key() -> str:
	"""The signed-in user, or for guests the client address alone: a guest who changes browser or
	User-Agent is still the same client."""
	if frappe.session.user != "Guest":
		return frappe.session.user
	return "ip:" + (getattr(frappe.local, "request_ip", None) or "unknown")


def within_rate_limit(limit: int | None = None) -> bool:
	"""Per user (or guest address) and hour; one atomic Redis round trip."""
	if limit is None:
		limit = frappe.get_cached_value(SETTINGS, SETTINGS, "event_rate_limit") or DEFAULT_RATE_LIMIT
	return within_rate(f"event:{rate_limit_key()}", int(limit), 3600)


def plain_text(value) -> str | None:
	"""Free text as stored: no markup, so no report or list can render what a requester typed."""
	if value is None:
		return None
	return ANGLE_BRACKETS.sub("", strip_html_tags(str(value))).strip() or None


def build_event(event_type: str, user: str | None = None, **fields):
	if event_type not in EVENT_TYPES:
		raise ValueError(f"unknown portal event {event_type!r}")
	for fieldname in FREE_TEXT_FIELDS:
		if fieldname in fields:
			fields[fieldname] = plain_text(fields[fieldname])
	if fields.get("query"):
		fields["query"] = fields["query"][:MAX_QUERY_LENGTH]
	# get_doc(dict), not new_doc(): an event has no defaults to resolve, and new_doc's per-field
	# default and user-permission lookups were the largest cost of the endpoint.
	return frappe.get_doc(
		{
			"doctype": "SSP Portal Event",
			"name": frappe.generate_hash(length=12),
			"event_type": event_type,
			"user": user,
			"session_id": session_key(),
			**fields,
		}
	)


def event_user(user: str | None) -> str | None:
	return user or (None if frappe.session.user == "Guest" else frappe.session.user)


@on_primary
def log_event(event_type: str, user: str | None = None, **fields) -> str | None:
	"""One row, written directly: events are the hot path (the endpoint's throughput is benchmarked)
	and have no controller logic; callers validate what they pass. Agents' steps are not recorded
	(returns None)."""
	user = event_user(user)
	doc = build_event(event_type, user, **fields)
	if is_agent(user):
		return None
	doc.db_insert()
	return doc.name


def log_event_surviving_rollback(event_type: str, user: str | None = None, **fields) -> str | None:
	"""An event about a request that is failing: Frappe rolls the whole request back, so the event is
	written again, on its own, once that rollback has happened (nothing else is left to commit then).
	Kept as is when the caller handles the error and commits."""
	user = event_user(user)
	doc = build_event(event_type, user, **fields)
	if is_agent(user):
		return None
	doc.db_insert()
	frappe.db.after_rollback.add(partial(insert_after_rollback, doc))
	return doc.name


def insert_after_rollback(doc) -> None:
	try:
		doc.db_insert()
		frappe.db.commit()  # nosemgrep: runs after the failed request's rollback; this row is all it writes
	except Exception:
		frappe.log_error(title="selfservice_portal: portal event not recorded")
