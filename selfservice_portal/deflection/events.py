"""Portal journey events, read later by the deflection reports and roll-ups.

Two ways to record one:

- :func:`defer_event` (write-behind, the hot path: the browser endpoint, knowledge-base searches and
  article views): the row is pushed to a Redis list and written by :func:`flush_events`, which the
  scheduler runs every minute and every roll-up runs first. This is Frappe's own write-behind
  (``frappe.deferred_insert``, as Route History uses it) with its own queue and flush: Frappe's
  ``save_to_db`` inserts each row with ``Document.insert()``, which stamps ``creation`` with the time of
  the flush (journeys are cut by the time of each step), renames a hash-named row (no key to make a
  retried flush harmless) and takes at most ~500 rows per DocType every 15 minutes in Frappe 15.
- :func:`log_event` (written at once, in the request's transaction): for events a later step of the
  same request reads (article feedback checks what is recorded) or that must vanish with the
  request's other writes when it fails (a ticket submitted that was rolled back is no step).

The catalog writes "Service Viewed", "Articles Suggested" and "Ticket Submitted" with ``log_event``.
"""

import hashlib
import json
import re
from functools import partial

import frappe
import redis
from frappe.model.document import Document
from frappe.utils import cint, now, strip_html_tags

from selfservice_portal.db_routing import on_primary
from selfservice_portal.deflection.queries import affected_rows
from selfservice_portal.permissions import AGENT_ROLES, within_rate

SETTINGS = "SSP Deflection Settings"
# A field of an event: a link's name, a search, a count.
EventValue = str | int | None

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


def not_agent_sql(column: str = "portal_event.`user`") -> str:
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
	users = {user for user in users if user}
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


RATE_WINDOW = 3600


def event_rate_limit() -> int:
	return int(frappe.get_cached_value(SETTINGS, SETTINGS, "event_rate_limit") or DEFAULT_RATE_LIMIT)


def rate_counter() -> str:
	return f"event:{rate_limit_key()}"


def within_rate_limit(limit: int | None = None) -> bool:
	"""Per user (or guest address) and hour; one atomic Redis round trip."""
	return within_rate(rate_counter(), event_rate_limit() if limit is None else int(limit), RATE_WINDOW)


def plain_text(value: object) -> str | None:
	"""Free text as stored: no markup, so no report or list can render what a requester typed."""
	if value is None:
		return None
	return ANGLE_BRACKETS.sub("", strip_html_tags(str(value))).strip() or None


def event_values(event_type: str, user: str | None = None, **fields: EventValue) -> dict:
	"""The event's name and fields, checked and cleaned (free text stored plain and bounded)."""
	if event_type not in EVENT_TYPES:
		raise ValueError(f"unknown portal event {event_type!r}")
	for fieldname in FREE_TEXT_FIELDS:
		if fieldname in fields:
			fields[fieldname] = plain_text(fields[fieldname])
	if fields.get("query"):
		fields["query"] = fields["query"][:MAX_QUERY_LENGTH]
	return {
		"name": frappe.generate_hash(length=12),
		"event_type": event_type,
		"user": user,
		"session_id": session_key(),
		**fields,
	}


def build_event(event_type: str, user: str | None = None, **fields: EventValue) -> Document:
	# get_doc(dict), not new_doc(): an event has no defaults to resolve, and new_doc's per-field
	# default and user-permission lookups were the largest cost of the endpoint.
	return frappe.get_doc({"doctype": "SSP Portal Event", **event_values(event_type, user, **fields)})


def event_user(user: str | None) -> str | None:
	return user or (None if frappe.session.user == "Guest" else frappe.session.user)


@on_primary
def log_event(event_type: str, user: str | None = None, **fields: EventValue) -> str | None:
	"""One row, written now in the request's transaction: events no controller logic needs; callers
	validate what they pass. Agents' steps are not recorded (returns None)."""
	user = event_user(user)
	doc = build_event(event_type, user, **fields)
	if is_agent(user):
		return None
	doc.db_insert()
	return doc.name


# --------------------------------------------------------------------------- write-behind

# A Redis list of JSON rows (one per event) in the site's cache namespace. Not under Frappe's
# ``insert_queue_for_`` prefix: Frappe's save_to_db would take the rows and re-stamp them.
QUEUE_KEY = "ssp_portal_event_queue"
FLUSH_BATCH = 1000


def defer_event(event_type: str, user: str | None = None, **fields: EventValue) -> str | None:
	"""One event, buffered: the row (with its final name and the time of the step) is pushed to Redis
	and written by the next :func:`flush_events`, at most about a minute later. Until then no query
	sees it. Returns the name the row will have; None for agents (not recorded)."""
	row = buffered_row(event_type, user, **fields)
	if row is None:
		return None
	push_rows([row])
	return row["name"]


# The event rate limit's counter (the one ``within_rate_limit`` keeps) and the push in one script: the
# hot path's second Redis round trip was the largest cost left once the insert had gone.
COUNT_AND_PUSH = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[2], 'NX')
if redis.call('INCR', KEYS[1]) > tonumber(ARGV[1]) then return 0 end
if ARGV[3] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[3]) end
return 1
"""


def defer_event_within_rate_limit(
	event_type: str, user: str | None = None, **fields: EventValue
) -> tuple[bool, str | None]:
	""":func:`within_rate_limit` and :func:`defer_event` in one Redis round trip (a Lua script, atomic):
	over the limit the step is counted and nothing is buffered. Returns (within the limit, the row's
	name — None for agents, whose steps are counted but not recorded)."""
	row = buffered_row(event_type, user, **fields)
	counter = frappe.cache.make_key(f"ssp:rate:{rate_counter()}")  # as permissions.within_rate names it
	allowed = frappe.cache.register_script(COUNT_AND_PUSH)(
		keys=[counter, frappe.cache.make_key(QUEUE_KEY)],
		args=[event_rate_limit(), RATE_WINDOW, json.dumps(row, default=str) if row else ""],
	)
	return bool(allowed), (row["name"] if row and allowed else None)


def buffered_row(event_type: str, user: str | None = None, **fields: EventValue) -> dict | None:
	"""The columns ``db_insert`` would write, stamped now (the time of the step): the flush writes
	them as they are. A plain dict, not a Document: this is the hot path."""
	user = event_user(user)
	values = event_values(event_type, user, **fields)
	if is_agent(user):
		return None
	stamp, by = now(), frappe.session.user
	values["result_count"] = cint(values.get("result_count"))  # a NOT NULL Int column
	return {**values, "creation": stamp, "modified": stamp, "owner": by, "modified_by": by, "docstatus": 0}


def push_rows(rows: list[dict]) -> bool:
	"""Buffer ``rows``; True when buffered. Without Redis they are written now, in the request's
	transaction (what ``frappe.deferred_insert`` does too)."""
	try:
		for row in rows:
			frappe.cache.rpush(QUEUE_KEY, json.dumps(row, default=str))
		return True
	except redis.exceptions.ConnectionError:
		insert_rows(rows)
		return False


def flush_events(commit: bool = True) -> int:
	"""Write every buffered event to the table; returns the rows written.

	Scheduler (every minute, ``hooks.py``) and first step of every roll-up. Batches are taken off the
	list atomically (MULTI: LRANGE + LTRIM), so concurrent flushes never take the same rows. A batch
	whose insert or commit fails goes back to the head of the list for the next flush. Each row keeps
	the name it was given when it was logged and is written with INSERT IGNORE, so a batch flushed
	again (a retry after a commit whose answer was lost) records nothing twice. A process killed
	between taking a batch and committing it loses that batch (at most ``FLUSH_BATCH`` events)."""
	key = frappe.cache.make_key(QUEUE_KEY)
	written = 0
	while entries := take_batch(key):
		try:
			written += insert_rows(parse_entries(entries))
			if commit:
				frappe.db.commit()  # nosemgrep: write-behind flush; a committed batch is off the list
		except Exception:
			if commit:
				frappe.db.rollback()
			put_back(key, entries)
			raise
	return written


def take_batch(key: str, size: int = FLUSH_BATCH) -> list[bytes]:
	pipe = frappe.cache.pipeline(transaction=True)
	pipe.lrange(key, 0, size - 1)
	pipe.ltrim(key, size, -1)
	entries, _ = pipe.execute()
	return entries


def put_back(key: str, entries: list[bytes]) -> None:
	"""A batch that was not written returns to the head of the list, in its order."""
	pipe = frappe.cache.pipeline(transaction=True)
	pipe.lpush(key, *reversed(entries))
	pipe.execute()


def buffered_count() -> int:
	"""Events waiting for the next flush."""
	return frappe.cache.llen(QUEUE_KEY)


def parse_entries(entries: list[bytes]) -> list[dict]:
	"""Rows of a batch; an entry that is no JSON row is logged and dropped (it would block the list)."""
	rows = []
	for entry in entries:
		try:
			value = json.loads(entry)
		except ValueError:
			frappe.log_error(title="selfservice_portal: unreadable buffered portal event", message=entry)
			continue
		rows.extend(value if isinstance(value, list) else [value])
	return [row for row in rows if isinstance(row, dict) and row.get("name")]


def insert_rows(rows: list[dict]) -> int:
	"""INSERT IGNORE, one statement per set of columns (rows buffered before a schema change may have
	other columns; unknown ones are left out). Returns the rows the database added."""
	columns = set(frappe.get_meta("SSP Portal Event").get_valid_columns())
	groups: dict[tuple, list[dict]] = {}
	for row in rows:
		groups.setdefault(tuple(column for column in row if column in columns), []).append(row)
	added = 0
	for fields, group in groups.items():
		frappe.db.bulk_insert(
			"SSP Portal Event",
			list(fields),
			[[row[field] for field in fields] for row in group],
			ignore_duplicates=True,
			chunk_size=len(group),
		)
		added += affected_rows()
	return added


def log_event_surviving_rollback(
	event_type: str, user: str | None = None, **fields: EventValue
) -> str | None:
	"""An event about a request that is failing: Frappe rolls the whole request back, but the buffer
	is Redis, which no rollback touches. Without Redis the row is written at once and, once the
	rollback has happened, again on its own (nothing else is left to commit then)."""
	row = buffered_row(event_type, user, **fields)
	if row is None:
		return None
	if not push_rows([row]):
		frappe.db.after_rollback.add(partial(insert_after_rollback, row))
	return row["name"]


def insert_after_rollback(row: dict) -> None:
	try:
		insert_rows([row])
		frappe.db.commit()  # nosemgrep: runs after the failed request's rollback; this row is all it writes
	except Exception:
		frappe.log_error(title="selfservice_portal: portal event not recorded")
