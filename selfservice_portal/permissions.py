"""Who may see and do what, enforced on every door Frappe opens.

Our own endpoints call the guards below first; the hooks below (``has_permission``,
``permission_query_conditions`` and ``doc_events`` registered in hooks.py) hold the same rules on the
doors we do not write: ``/api/resource``, ``frappe.client.*``, Helpdesk's portal and agent calls, Desk
forms and reports. README, *Security model*, lists them.
"""

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cstr, escape_html

# Declared once: who runs the app, who works tickets.
MANAGER_ROLES = ("System Manager", "SSP Manager")
AGENT_ROLES = ("Agent", "Agent Manager")
STAFF_ROLES = (*MANAGER_ROLES, *AGENT_ROLES)

REQUEST_CHILDREN = ("SSP Request Answer", "SSP Request Approval")


# --------------------------------------------------------------------------- guards for our methods


def require_login() -> None:
	if frappe.session.user == "Guest":
		frappe.throw(_("Please sign in to continue."), frappe.PermissionError)


Params = ParamSpec("Params")
Result = TypeVar("Result")


def login_required(method: Callable[Params, Result]) -> Callable[Params, Result]:
	"""A whitelisted method's guard, in the shape of Helpdesk's ``agent_only``: a guest is refused
	before the method runs. Put it under ``@frappe.whitelist()``."""

	@functools.wraps(method)
	def guarded(*args: Params.args, **kwargs: Params.kwargs) -> Result:
		require_login()
		return method(*args, **kwargs)

	return guarded


def roles_required(*roles: str) -> Callable[[Callable[Params, Result]], Callable[Params, Result]]:
	"""The same guard for methods that only holders of ``roles`` (or Administrator) may call."""

	def decorate(method: Callable[Params, Result]) -> Callable[Params, Result]:
		@functools.wraps(method)
		def guarded(*args: Params.args, **kwargs: Params.kwargs) -> Result:
			require_roles(*roles)
			return method(*args, **kwargs)

		return guarded

	return decorate


def redirect_guest(path: str) -> None:
	"""For www pages: a guest is sent to the login page, which brings them back to ``path``."""
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=" + frappe.utils.quote(path)
		raise frappe.Redirect


def require_roles(*roles: str) -> None:
	"""Like frappe.only_for, but also enforced under tests, which is where we prove it."""
	require_login()
	if frappe.session.user != "Administrator" and not set(roles) & set(frappe.get_roles()):
		frappe.throw(_("You need one of these roles: {0}").format(", ".join(roles)), frappe.PermissionError)


def has_any_role(roles: Iterable[str], user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Guest":
		return False
	return user == "Administrator" or bool(set(roles) & set(frappe.get_roles(user)))


def is_admin(user: str | None = None) -> bool:
	"""Runs the app: System Manager or SSP Manager."""
	return has_any_role(MANAGER_ROLES, user)


def is_staff(user: str | None = None) -> bool:
	"""Works tickets or runs the app: the desk side, who may set what requesters may not."""
	return has_any_role(STAFF_ROLES, user)


def bounded(value: object, limit: int = 140) -> str:
	"""Input echoed in a message: escaped (Desk shows messages as HTML) and cut to a readable length."""
	text = cstr(value)
	if len(text) > limit:
		text = text[:limit] + "…"
	return escape_html(text)


def check_name(value: object, label: str) -> str:
	"""A record's name passed to a method: required text of a sane length, refused before any lookup
	(every argument has a default, so a missing one gets this message instead of Frappe's 500)."""
	if not isinstance(value, str) or not value.strip():
		frappe.throw(_("{0} is required").format(label))
	if len(value) > 140:
		frappe.throw(_("{0} is too long (at most 140 characters)").format(label))
	return value


def check_text(value: object, label: str, limit: int) -> str:
	"""Optional free text: text, at most ``limit`` characters."""
	if value in (None, ""):
		return ""
	if not isinstance(value, str):
		frappe.throw(_("{0} must be text").format(label))
	if len(value) > limit:
		frappe.throw(_("{0} is too long (at most {1} characters)").format(label, limit))
	return value


def check_answers(value: dict | str | None, limit: int) -> Any:
	"""Form answers as a client sends them: a JSON object, or its text of at most ``limit`` characters.
	Returns the parsed value; whether it is an object and what it holds is the form's to check."""
	if value is None:
		frappe.throw(_("Answers are required"))
	if isinstance(value, str):
		if len(value) > limit:
			frappe.throw(_("Answers are too long (at most {0} characters)").format(limit))
		try:
			return json.loads(value or "{}")
		except (ValueError, RecursionError):
			frappe.throw(_("Answers must be a JSON object"))
	return value


def within_rate(key: str, limit: int, window: int) -> bool:
	"""A counter per ``key`` and fixed window, in one atomic Redis round trip: the increment and the
	expiry are one transaction, so a lost expiry can never lock a user out for good."""
	name = frappe.cache.make_key(f"ssp:rate:{key}")
	pipe = frappe.cache.pipeline(transaction=True)
	pipe.set(name, 0, ex=window, nx=True)  # the window starts with the first request
	pipe.incr(name)
	_, count = pipe.execute()
	return int(count) <= limit


# --------------------------------------------------------------------------- SSP Request


def request_query(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of SSP Request: managers see all; an agent what the tickets' own
	rules (Helpdesk's agent-group restriction) let them see; anyone their own requests and the
	requests they approve."""
	user = user or frappe.session.user
	if is_admin(user):
		return ""
	return request_condition(user, "`tabSSP Request`.`name`", "`tabSSP Request`.`hd_ticket`")


def request_child_query(user: str | None = None, doctype: str | None = None) -> str:
	"""Answers and approval rows listed on their own (``/api/resource/SSP Request Answer?parent=…``)
	follow their request."""
	user = user or frappe.session.user
	if is_admin(user) or doctype not in REQUEST_CHILDREN:
		return ""
	table = f"`tab{doctype}`"
	requests = request_condition(user, "r.name", "r.hd_ticket")
	return (
		f"({table}.parenttype = 'SSP Request' AND {table}.parent IN "
		f"(SELECT r.name FROM `tabSSP Request` r WHERE {requests}))"
	)


def request_condition(user: str, name_column: str, ticket_column: str) -> str:
	escaped = frappe.db.escape(user)
	own = (
		f"({name_column} IN (SELECT req.name FROM `tabSSP Request` req WHERE req.requester = {escaped})"
		f" OR {name_column} IN (SELECT a.parent FROM `tabSSP Request Approval` a"
		f" WHERE a.parenttype = 'SSP Request' AND a.approver = {escaped}))"
	)
	if not has_any_role(AGENT_ROLES, user):
		return own
	tickets = ticket_query(user)
	if not tickets:
		return ""  # no restriction on tickets: every request
	return f"({own} OR {ticket_column} IN (SELECT `tabHD Ticket`.name FROM `tabHD Ticket` WHERE {tickets}))"


def ticket_query(user: str) -> str:
	"""HD Ticket's own permission_query_conditions (Helpdesk's, and any other app's) for ``user``."""
	from frappe.model.db_query import DatabaseQuery

	query = DatabaseQuery("HD Ticket", user=user)
	return query.get_permission_query_conditions()


def has_request_permission(
	doc: Document, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool:
	"""has_permission of SSP Request: managers; agents who may read its ticket; its requester and
	approvers may read (the roles decide whether they reach the DocType at all)."""
	user = user or frappe.session.user
	if is_admin(user):
		return True
	if has_any_role(AGENT_ROLES, user) and doc.get("hd_ticket"):
		if frappe.has_permission("HD Ticket", "read", doc=doc.hd_ticket, user=user):
			return True
	if ptype in (None, "read", "select", "print", "email"):
		if doc.get("requester") == user:
			return True
		return any(row.approver == user for row in doc.get("approvals") or [])
	return False


# --------------------------------------------------------------------------- SSP Request Task


def request_task_query(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of SSP Request Task: managers see all; an agent the tasks whose own
	ticket or whose request's ticket they may read (Helpdesk's agent-group restriction); nobody else."""
	user = user or frappe.session.user
	if is_admin(user):
		return ""
	if not has_any_role(AGENT_ROLES, user):
		return "1 = 0"
	tickets = ticket_query(user)
	if not tickets:
		return ""
	visible = f"(SELECT `tabHD Ticket`.name FROM `tabHD Ticket` WHERE {tickets})"
	table = "`tabSSP Request Task`"
	return f"({table}.`hd_ticket` IN {visible} OR {table}.`request_ticket` IN {visible})"


def has_request_task_permission(
	doc: Document, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool:
	"""has_permission of SSP Request Task: managers; agents who may read its ticket or its request's.
	Only our code writes it (the DocType gives no role write access)."""
	user = user or frappe.session.user
	if is_admin(user):
		return True
	if not has_any_role(AGENT_ROLES, user):
		return False
	return any(
		doc.get(field) and frappe.has_permission("HD Ticket", "read", doc=doc.get(field), user=user)
		for field in ("hd_ticket", "request_ticket")
	)


# --------------------------------------------------------------------------- guarded fields

# Set on HD Ticket by agents (or our own code) only: contest fair play and the catalog's mirrors of
# the request. (Labels are translated where they are shown.)
TICKET_STAFF_FIELDS = {
	"ssp_exclude_from_contests": "Exclude from Contests",
	"ssp_exclusion_reason": "Exclusion Reason",
	"ssp_reclassified": "Reclassified by an Agent",
	"ssp_request": "Catalog Request",
	"ssp_approval_status": "Approval Status",
}
# Facts of the ticket's creation, which portal metrics read: set when it is created, and by agents
# after that. (The channel itself has its own rule: ticket_channels.check_may_change_channel.)
TICKET_CREATION_FIELDS = {
	"via_customer_portal": "Via Customer Portal",
	"ssp_service": "Service",
	"ssp_department": "Department",
	"ssp_channel_source": "Channel Set By",
}


def guard_ticket_fields(doc: Document, method: str | None = None) -> None:
	"""HD Ticket validate, first of our hooks: a requester (anyone not on the desk side) may not set
	the fields agents and our own code own, whatever door the change comes through."""
	if doc.flags.ssp_approval_handoff or doc.flags.ssp_from_catalog or is_staff():
		return
	if frappe.flags.in_install or frappe.flags.in_migrate:
		return
	if doc.is_new():
		changed = [f for f in TICKET_STAFF_FIELDS if doc.meta.has_field(f) and plain(doc.get(f))]
	else:
		before = doc.get_doc_before_save()
		if not before:
			return
		changed = [
			f
			for f in (*TICKET_STAFF_FIELDS, *TICKET_CREATION_FIELDS)
			if doc.meta.has_field(f) and plain(doc.get(f)) != plain(before.get(f))
		]
	if changed:
		labels = {**TICKET_STAFF_FIELDS, **TICKET_CREATION_FIELDS}
		frappe.throw(
			_("Only agents can set {0} on a ticket").format(", ".join(_(labels[f]) for f in changed)),
			frappe.PermissionError,
			title=_("Not permitted"),
		)


def plain(value: object) -> str:
	"""A field's value as compared before type casting (hooks run before Frappe casts what a client
	sent): every empty or false value is the same."""
	return "" if value in (None, "", 0, "0", False) else cstr(value)


def guard_user_fields(doc: Document, method: str | None = None) -> None:
	"""User validate: the approval manager is set by System Managers only (Frappe shares a user's own
	User record with them for writing; permlevel 1 also hides the field from them in Desk)."""
	if not doc.meta.has_field("ssp_manager"):
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	old = before.get("ssp_manager") if before else None
	if plain(doc.get("ssp_manager")) == plain(old):
		return
	if doc.get("ssp_manager") and doc.ssp_manager == doc.name:
		frappe.throw(_("A user cannot be their own manager for approvals"))
	if frappe.flags.in_install or frappe.flags.in_migrate or frappe.flags.in_import:
		return
	if not has_any_role(("System Manager",)):
		frappe.throw(
			_("Only a System Manager can set who approves a user's requests"),
			frappe.PermissionError,
			title=_("Not permitted"),
		)


def guard_article_feedback(doc: Document, method: str | None = None) -> None:
	"""HD Article Feedback validate: one's own feedback, once per article (Helpdesk's own button changes
	the existing answer; a second row through /api/resource would count twice)."""
	user = frappe.session.user
	if has_any_role(("System Manager",), user):
		return
	if doc.is_new():
		doc.user = doc.user or user
	if doc.user != user:
		frappe.throw(_("You can only give your own feedback"), frappe.PermissionError)
	if not doc.is_new():
		before = doc.get_doc_before_save()
		if before and (before.user != doc.user or before.article != doc.article):
			frappe.throw(_("Feedback cannot be moved to another reader or article"), frappe.PermissionError)
		return
	if user == "Guest":
		return  # guests share one account: their votes are anonymous and credit nobody
	if frappe.db.exists("HD Article Feedback", {"user": doc.user, "article": doc.article}):
		frappe.throw(
			_("You have already given feedback on this article; change your answer instead"),
			frappe.DuplicateEntryError,
		)


def guard_email_templates(doc: Document, method: str | None = None) -> None:
	"""Email Template validate and on_trash: the wording of our notifications (templates named "SSP …",
	notifications.py) is the admins'. Helpdesk lets every agent write Email Templates (its canned
	replies); without this an agent could reword the approval mail an approver trusts."""
	if doc.name.startswith("SSP ") and not is_admin():
		frappe.throw(
			_("Only SSP Managers and System Managers may change the wording of self-service notifications."),
			frappe.PermissionError,
		)
