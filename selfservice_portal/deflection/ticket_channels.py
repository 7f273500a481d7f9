"""Frappe side of ticket channels: gathers facts for ``channel_detection`` on HD Ticket creation, lets
agents correct the channel (recorded in Version and the ticket's activity), upgrades a ticket to Phone
when Telephony links a call to it, and backfills tickets that predate detection.

Wired through ``doc_events`` in hooks.py; nothing here commits.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_to_date, get_datetime, now_datetime

from selfservice_portal.deflection import channel_detection
from selfservice_portal.deflection.queries import (
	BACKFILL_BATCH,
	has_call_log_tables,
	update_tickets_in_ranges,
)

INTEGRATION_ROLE = "SSP Integration"
LIVE_CALL_STATUSES = ("Ringing", "In Progress")


# --------------------------------------------------------------------------- HD Ticket doc_events


def before_insert(doc: Document, method: str | None = None) -> None:
	if not has_channel_field():
		return
	detection = channel_detection.detect_channel(gather_facts(doc))
	apply_detection(doc, detection)


def validate(doc: Document, method: str | None = None) -> None:
	if not has_channel_field() or doc.is_new() or not doc.has_value_changed("ssp_channel"):
		return
	check_may_change_channel()
	if doc.ssp_channel:
		check_channel_enabled(doc.ssp_channel)
	doc.ssp_channel_source = channel_detection.SOURCE_AGENT
	doc.flags.ssp_channel_corrected = True


def on_update(doc: Document, method: str | None = None) -> None:
	if doc.flags.ssp_channel_corrected:
		doc.flags.ssp_channel_corrected = False
		log_channel_activity(doc.name, doc.ssp_channel or _("none"))


# --------------------------------------------------------------------------- facts and rules


def has_channel_field() -> bool:
	# Tickets are still created while our fields are removed (uninstall in progress).
	return frappe.get_meta("HD Ticket").has_field("ssp_channel")


def gather_facts(doc: Document) -> channel_detection.TicketFacts:
	user = frappe.session.user
	creator = get_creator_kind(user)
	path, scheme = get_request_facts()
	return channel_detection.TicketFacts(
		explicit_channel=doc.get("ssp_channel") or None,
		creator=creator,
		via_customer_portal=bool(doc.get("via_customer_portal")),
		email_account=doc.get("email_account") or None,
		on_live_call=creator == channel_detection.CREATOR_AGENT and is_on_live_call(user),
		request_path=path,
		auth_scheme=scheme,
		is_integration_user=is_integration_user(user),
	)


def get_creator_kind(user: str) -> str:
	from helpdesk.utils import is_agent

	if user == "Guest":
		return channel_detection.CREATOR_GUEST
	if is_agent(user):
		return channel_detection.CREATOR_AGENT
	if is_integration_user(user) or frappe.get_cached_value("User", user, "user_type") == "System User":
		return channel_detection.CREATOR_SYSTEM
	return channel_detection.CREATOR_CUSTOMER


def is_integration_user(user: str) -> bool:
	return user != "Guest" and INTEGRATION_ROLE in frappe.get_roles(user)


def get_request_facts() -> tuple[str | None, str | None]:
	"""Path and Authorization scheme of the HTTP request creating the ticket (none in jobs and CLI)."""
	request = getattr(frappe.local, "request", None)
	if request is None:
		return None, None
	scheme = (request.headers.get("Authorization") or "").strip().split(" ")[0]
	return request.path, scheme or None


def is_on_live_call(user: str) -> bool:
	if "telephony" not in frappe.get_installed_apps():
		return False
	cutoff = add_to_date(now_datetime(), hours=-2)
	return bool(
		frappe.get_all(
			"TP Call Log",
			filters={"status": ("in", LIVE_CALL_STATUSES), "modified": (">=", cutoff)},
			or_filters={"receiver": user, "caller": user},
			limit=1,
			pluck="name",
		)
	)


def apply_detection(doc: Document, detection: channel_detection.Detection) -> None:
	if detection.source == channel_detection.SOURCE_EXPLICIT:
		check_channel_enabled(detection.channel)
		doc.ssp_channel = detection.channel
	else:
		# A detected channel an admin deleted must not break ticket creation (e-mail pull, portal).
		doc.ssp_channel = detection.channel if channel_exists(detection.channel) else None
	doc.ssp_channel_source = detection.source


def channel_exists(channel: str) -> bool:
	return frappe.get_cached_value("SSP Channel", channel, "is_enabled") is not None


def check_channel_enabled(channel: str) -> None:
	enabled = frappe.get_cached_value("SSP Channel", channel, "is_enabled")
	if enabled is None:
		frappe.throw(_("Channel {0} does not exist").format(frappe.bold(channel)), frappe.LinkValidationError)
	if not enabled:
		frappe.throw(_("Channel {0} is disabled; pick an enabled channel").format(frappe.bold(channel)))


def check_may_change_channel() -> None:
	if not channel_detection.may_change_channel(get_creator_kind(frappe.session.user)):
		frappe.throw(_("Only agents can change a ticket's channel"), frappe.PermissionError)


def log_channel_activity(ticket: str, channel: str, reason: str | None = None) -> None:
	from helpdesk.helpdesk.doctype.hd_ticket_activity.hd_ticket_activity import log_ticket_activity

	# Stored like Helpdesk's own activity lines ("set team to …"), untranslated.
	action = f"set channel to {channel}" + (f" ({reason})" if reason else "")
	log_ticket_activity(ticket, action)


# --------------------------------------------------------------------------- Telephony


def on_call_log_update(doc: Document, method: str | None = None) -> None:
	"""TP Call Log on_update (insert included): Helpdesk links calls to tickets (CallLogModal), it never
	creates tickets from calls, so a call linked around a ticket's creation is what makes it Phone."""
	if "telephony" not in frappe.get_installed_apps() or not has_channel_field():
		return
	tickets = {
		link.link_name
		for link in doc.get("links") or []
		if link.link_doctype == "HD Ticket" and link.link_name
	}
	if not tickets or not channel_exists(channel_detection.PHONE):
		return
	call_at = get_datetime(doc.get("start_time") or doc.creation)
	rows = frappe.get_all(
		"HD Ticket",
		filters={"name": ("in", sorted(tickets))},
		fields=["name", "creation", "ssp_channel", "ssp_channel_source"],
	)
	for row in rows:
		if not channel_detection.call_explains_ticket(
			row.ssp_channel_source, row.ssp_channel, row.creation, call_at
		):
			continue
		frappe.db.set_value(
			"HD Ticket",
			row.name,
			{"ssp_channel": channel_detection.PHONE, "ssp_channel_source": channel_detection.SOURCE_CALL_LOG},
			update_modified=False,
		)
		log_channel_activity(row.name, channel_detection.PHONE, f"call {doc.name}")


def on_communication_insert(doc: Document, method: str | None = None) -> None:
	"""Communication after_insert: the received e-mail that created a ticket (see
	channel_detection.email_explains_ticket)."""
	if doc.reference_doctype != "HD Ticket" or not doc.reference_name or not doc.email_account:
		return
	if doc.sent_or_received != "Received" or doc.communication_medium != "Email" or not has_channel_field():
		return
	row = frappe.db.get_value(
		"HD Ticket", doc.reference_name, ["creation", "ssp_channel_source"], as_dict=True
	)
	received_at = get_datetime(doc.creation or now_datetime())
	if not row or not channel_detection.email_explains_ticket(
		row.ssp_channel_source, row.creation, received_at
	):
		return
	if channel_exists(channel_detection.EMAIL):
		frappe.db.set_value(
			"HD Ticket",
			doc.reference_name,
			{"ssp_channel": channel_detection.EMAIL, "ssp_channel_source": channel_detection.SOURCE_EMAIL},
			update_modified=False,
		)


# --------------------------------------------------------------------------- backfill


def backfill_case_sql(has_call_logs: bool) -> str:
	"""The creation rules that history can still answer, as one SQL CASE over a row ``ticket``.

	Request facts (REST API, live call) are not stored, so those tickets fall to Other; agents and
	Administrator own tickets they typed on Helpdesk's new-ticket page even though Helpdesk flagged
	them ``via_customer_portal``.
	"""
	phone = (
		"""WHEN EXISTS (
			SELECT 1 FROM `tabDynamic Link` link JOIN `tabTP Call Log` call_log ON call_log.name = link.parent
			WHERE link.parenttype = 'TP Call Log' AND link.link_doctype = 'HD Ticket'
				AND link.link_name = ticket.name
				AND ABS(TIMESTAMPDIFF(SECOND, COALESCE(call_log.start_time, call_log.creation), ticket.creation))
					<= %(window)s
		) THEN 'Phone'"""
		if has_call_logs
		else ""
	)
	return f"""CASE
		WHEN IFNULL(ticket.email_account, '') != '' THEN 'Email'
		WHEN ticket.via_customer_portal = 1 AND ticket.owner != 'Administrator'
			AND NOT EXISTS (SELECT 1 FROM `tabHD Agent` agent WHERE agent.name = ticket.owner) THEN 'Portal'
		{phone}
		ELSE 'Other' END"""


def backfill_sql(has_call_logs: bool, bounded: bool) -> str:
	bounds = "AND ticket.name > %(lo)s AND ticket.name <= %(hi)s" if bounded else ""
	return f"""UPDATE `tabHD Ticket` ticket
		SET ticket.ssp_channel = {backfill_case_sql(has_call_logs)}, ticket.ssp_channel_source = %(source)s
		WHERE (ticket.ssp_channel IS NULL OR ticket.ssp_channel = '') {bounds}"""


def backfill_params() -> dict:
	return {
		"source": channel_detection.SOURCE_BACKFILL,
		"window": int(channel_detection.CALL_WINDOW.total_seconds()),
	}


def backfill_ticket_channels(batch_size: int = BACKFILL_BATCH) -> int:
	"""Set a channel on every ticket without one, in primary-key ranges of ``batch_size`` tickets.

	Idempotent (only empty channels are written). Returns rows updated.
	"""
	sql = backfill_sql(has_call_log_tables(), bounded=True)
	return update_tickets_in_ranges(sql, backfill_params(), batch_size)
