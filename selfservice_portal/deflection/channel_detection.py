"""How a new HD Ticket's channel is decided, from facts a thin Frappe adapter gathers
(``deflection/ticket_channels.py``). Frappe-free so that every rule is tested with plain pytest.

Order matters; the first rule that matches wins:

1. **Explicit** — an integration, an agent or our own code passed ``ssp_channel``. Ignored when the
   creator is a portal customer or a guest: requesters do not get to say how they reached the desk.
2. **Email** — the ticket names an Email Account (Frappe's mail pull sets ``email_account``).
3. **Phone** — the creator is on a live Telephony call (a ringing or in-progress ``TP Call Log``).
   Calls logged *after* the ticket is created are handled by :func:`call_explains_ticket`.
4. **API** — the request is a REST call (``/api/…``) made by an integration: authenticated with a
   credential header (``token``/``basic`` API keys or an OAuth ``bearer`` token) rather than a browser
   session, or by a user holding the "SSP Integration" role. Helpdesk's own Vue UI always uses a
   session cookie, so agents and customers working in the UI never count as API.
5. **Portal** — Helpdesk marks ``via_customer_portal`` and the creator is a customer or a guest.
   Helpdesk's ``hd_ticket.api.new`` sets ``via_customer_portal`` for *every* logged-in caller, agents
   on ``/helpdesk/tickets/new`` included, so the flag alone would count agent-created tickets as
   self-service.
6. **Default** — ``Other``: an agent typed the ticket with no other signal. We do not guess "Phone":
   a wrong guess inflates a channel, while "Other" is visibly unclassified and agents can correct it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

PORTAL = "Portal"
EMAIL = "Email"
PHONE = "Phone"
API = "API"
OTHER = "Other"

# Why a ticket has its channel; stored in HD Ticket.ssp_channel_source so every figure can be explained.
SOURCE_EXPLICIT = "Explicit"
SOURCE_EMAIL = "Email Account"
SOURCE_LIVE_CALL = "Live Call"
SOURCE_CALL_LOG = "Call Log"
SOURCE_API = "REST API"
SOURCE_PORTAL = "Customer Portal"
SOURCE_DEFAULT = "Default"
SOURCE_AGENT = "Agent"
SOURCE_BACKFILL = "Backfill"

CREATOR_GUEST = "guest"
CREATOR_CUSTOMER = "customer"
CREATOR_AGENT = "agent"
CREATOR_SYSTEM = "system"

API_PATH_PREFIXES = ("/api/resource/", "/api/method/", "/api/v1/", "/api/v2/")
CREDENTIAL_SCHEMES = frozenset({"token", "basic", "bearer"})

# A call logged this close to a ticket's creation explains it (agents log calls after hanging up).
CALL_WINDOW = timedelta(hours=2)
EMAIL_WINDOW = timedelta(minutes=5)


@dataclass(frozen=True)
class TicketFacts:
	explicit_channel: str | None = None
	creator: str = CREATOR_SYSTEM
	via_customer_portal: bool = False
	email_account: str | None = None
	on_live_call: bool = False
	request_path: str | None = None
	auth_scheme: str | None = None
	is_integration_user: bool = False


class Detection(NamedTuple):
	channel: str
	source: str


def detect_channel(facts: TicketFacts) -> Detection:
	requester_side = facts.creator in (CREATOR_GUEST, CREATOR_CUSTOMER)
	if facts.explicit_channel and not requester_side:
		return Detection(facts.explicit_channel, SOURCE_EXPLICIT)
	if facts.email_account:
		return Detection(EMAIL, SOURCE_EMAIL)
	if facts.on_live_call and not requester_side:
		return Detection(PHONE, SOURCE_LIVE_CALL)
	if is_integration_request(facts.request_path, facts.auth_scheme, facts.is_integration_user):
		return Detection(API, SOURCE_API)
	if facts.via_customer_portal and requester_side:
		return Detection(PORTAL, SOURCE_PORTAL)
	return Detection(OTHER, SOURCE_DEFAULT)


def is_integration_request(path: str | None, auth_scheme: str | None, is_integration_user: bool) -> bool:
	if not path or not path.startswith(API_PATH_PREFIXES):
		return False
	return (auth_scheme or "").lower() in CREDENTIAL_SCHEMES or is_integration_user


def call_explains_ticket(
	ticket_source: str | None,
	ticket_channel: str | None,
	ticket_created: datetime,
	call_at: datetime,
	window: timedelta = CALL_WINDOW,
) -> bool:
	"""A call linked to a ticket turns it into a Phone ticket only when nothing better was known
	(the ticket fell to the default, or predates detection and has no channel) and the call happened
	around the ticket's creation; a follow-up call days later does not change how the request arrived."""
	unknown = ticket_source == SOURCE_DEFAULT or (not ticket_source and ticket_channel in (None, "", OTHER))
	return unknown and abs(ticket_created - call_at) <= window


def email_explains_ticket(
	ticket_source: str | None,
	ticket_created: datetime,
	received_at: datetime,
	window: timedelta = EMAIL_WINDOW,
) -> bool:
	"""A received e-mail of a mailbox makes a ticket Email when the ticket fell to the default and the
	e-mail arrived with it: the e-mail that created it. (Frappe before 15.6x creates the ticket from
	the mailbox without recording the mailbox on it, so creation-time detection cannot see it.)"""
	return ticket_source == SOURCE_DEFAULT and abs(received_at - ticket_created) <= window


def may_change_channel(creator: str) -> bool:
	"""Only the desk side corrects a channel; a requester editing their own ticket may not."""
	return creator in (CREATOR_AGENT, CREATOR_SYSTEM)
