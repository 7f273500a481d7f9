"""Portal journey events: one cheap insert each, read later by the deflection reports.

The catalog writes "Service Viewed", "Articles Suggested" and "Ticket Submitted" here.
"""

import hashlib

import frappe

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


def session_key() -> str | None:
	"""A stable, non-reversible handle on the browser session (the sid itself is a secret).

	Guests all share the sid "Guest"; for them the handle is a daily hash of address and browser.
	"""
	sid = getattr(frappe.session, "sid", None)
	if sid and sid != "Guest":
		return hashlib.sha256(sid.encode()).hexdigest()[:20]
	request = getattr(frappe.local, "request", None)
	if not request:
		return None
	agent = request.headers.get("User-Agent", "") if request.headers else ""
	seed = f"{frappe.local.request_ip}|{agent}|{frappe.utils.today()}"
	return "anon-" + hashlib.sha256(seed.encode()).hexdigest()[:15]


def tracking_allowed() -> bool:
	if frappe.session.user != "Guest":
		return True
	return bool(frappe.get_cached_value(SETTINGS, SETTINGS, "enable_anonymous_tracking"))


def within_rate_limit(limit: int) -> bool:
	"""Per user (or anonymous session) and clock hour; one Redis increment."""
	who = frappe.session.user if frappe.session.user != "Guest" else (session_key() or "Guest")
	key = frappe.cache.make_key(f"ssp:event-rate:{who}:{frappe.utils.now_datetime():%Y%m%d%H}")
	count = frappe.cache.incrby(key, 1)
	if count == 1:
		frappe.cache.expire(key, 3600)
	return count <= limit


def log_event(event_type: str, user: str | None = None, **fields) -> str:
	"""One row, written directly: events are the hot path (the endpoint's throughput is benchmarked)
	and have no controller logic; callers validate what they pass."""
	if event_type not in EVENT_TYPES:
		raise ValueError(f"unknown portal event {event_type!r}")
	if fields.get("query"):
		fields["query"] = str(fields["query"])[:MAX_QUERY_LENGTH]
	# get_doc(dict), not new_doc(): an event has no defaults to resolve, and new_doc's per-field
	# default and user-permission lookups were the largest cost of the endpoint.
	doc = frappe.get_doc(
		{
			"doctype": "SSP Portal Event",
			"name": frappe.generate_hash(length=12),
			"event_type": event_type,
			"user": user or (None if frappe.session.user == "Guest" else frappe.session.user),
			"session_id": session_key(),
			**fields,
		}
	)
	doc.db_insert()
	return doc.name
