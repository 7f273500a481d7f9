"""Channel detection rules, one fact at a time and in competition (first matching rule wins)."""

from datetime import datetime, timedelta

import pytest

from selfservice_portal.deflection.channel_detection import (
	CREATOR_AGENT,
	CREATOR_CUSTOMER,
	CREATOR_GUEST,
	CREATOR_SYSTEM,
	SOURCE_AGENT,
	SOURCE_API,
	SOURCE_CALL_LOG,
	SOURCE_DEFAULT,
	SOURCE_EMAIL,
	SOURCE_EXPLICIT,
	SOURCE_LIVE_CALL,
	SOURCE_PORTAL,
	Detection,
	TicketFacts,
	call_explains_ticket,
	detect_channel,
	is_integration_request,
	may_change_channel,
)

TOKEN_API = {"request_path": "/api/resource/HD Ticket", "auth_scheme": "token"}


def test_agent_typed_ticket_without_signal_is_other():
	assert detect_channel(TicketFacts(creator=CREATOR_AGENT)) == Detection("Other", SOURCE_DEFAULT)


def test_background_job_without_signal_is_other():
	assert detect_channel(TicketFacts()) == Detection("Other", SOURCE_DEFAULT)


@pytest.mark.parametrize("creator", [CREATOR_CUSTOMER, CREATOR_GUEST])
def test_requester_on_the_portal_is_portal(creator):
	facts = TicketFacts(creator=creator, via_customer_portal=True)
	assert detect_channel(facts) == Detection("Portal", SOURCE_PORTAL)


def test_agent_on_helpdesk_new_ticket_page_is_not_portal():
	# Helpdesk's hd_ticket.api.new sets via_customer_portal for every logged-in caller.
	facts = TicketFacts(creator=CREATOR_AGENT, via_customer_portal=True)
	assert detect_channel(facts) == Detection("Other", SOURCE_DEFAULT)


def test_email_account_is_email():
	facts = TicketFacts(creator=CREATOR_AGENT, email_account="Support Inbox")
	assert detect_channel(facts) == Detection("Email", SOURCE_EMAIL)


def test_live_call_is_phone_for_the_desk_only():
	assert detect_channel(TicketFacts(creator=CREATOR_AGENT, on_live_call=True)) == Detection(
		"Phone", SOURCE_LIVE_CALL
	)
	customer = TicketFacts(creator=CREATOR_CUSTOMER, on_live_call=True, via_customer_portal=True)
	assert detect_channel(customer).channel == "Portal"


@pytest.mark.parametrize("creator", [CREATOR_SYSTEM, CREATOR_AGENT, CREATOR_CUSTOMER])
def test_token_authenticated_rest_call_is_api(creator):
	facts = TicketFacts(creator=creator, via_customer_portal=True, **TOKEN_API)
	assert detect_channel(facts) == Detection("API", SOURCE_API)


def test_integration_role_with_session_cookie_is_api():
	facts = TicketFacts(request_path="/api/method/helpdesk.x.new", is_integration_user=True)
	assert detect_channel(facts).channel == "API"


def test_explicit_value_wins_for_desk_and_integrations():
	facts = TicketFacts(
		explicit_channel="Messenger", creator=CREATOR_SYSTEM, email_account="Inbox", **TOKEN_API
	)
	assert detect_channel(facts) == Detection("Messenger", SOURCE_EXPLICIT)
	agent = TicketFacts(explicit_channel="Walk-in", creator=CREATOR_AGENT, via_customer_portal=True)
	assert detect_channel(agent) == Detection("Walk-in", SOURCE_EXPLICIT)


@pytest.mark.parametrize("creator", [CREATOR_CUSTOMER, CREATOR_GUEST])
def test_requesters_cannot_choose_their_channel(creator):
	facts = TicketFacts(explicit_channel="Phone", creator=creator, via_customer_portal=True)
	assert detect_channel(facts) == Detection("Portal", SOURCE_PORTAL)


def test_email_beats_api_and_portal():
	facts = TicketFacts(
		creator=CREATOR_CUSTOMER, via_customer_portal=True, email_account="Inbox", **TOKEN_API
	)
	assert detect_channel(facts).channel == "Email"


@pytest.mark.parametrize(
	"path, scheme, role, expected",
	[
		("/api/resource/HD Ticket", "token", False, True),
		("/api/resource/HD Ticket", "Basic", False, True),
		("/api/v2/document/HD Ticket", "Bearer", False, True),
		("/api/method/helpdesk.helpdesk.doctype.hd_ticket.api.new", None, False, False),
		("/api/method/helpdesk.helpdesk.doctype.hd_ticket.api.new", None, True, True),
		("/helpdesk/tickets/new", "token", False, False),
		("/app/hd-ticket/new", None, True, False),
		(None, "token", True, False),
		("/api/resource/HD Ticket", "digest", False, False),
	],
)
def test_integration_request(path, scheme, role, expected):
	assert is_integration_request(path, scheme, role) is expected


def test_call_explains_only_default_tickets_around_the_call():
	created = datetime(2025, 3, 3, 10, 0)
	assert call_explains_ticket(SOURCE_DEFAULT, "Other", created, created + timedelta(minutes=30))
	assert call_explains_ticket(None, None, created, created - timedelta(minutes=90))
	assert not call_explains_ticket(SOURCE_DEFAULT, "Other", created, created + timedelta(days=2))
	for source in (SOURCE_EMAIL, SOURCE_PORTAL, SOURCE_EXPLICIT, SOURCE_AGENT, SOURCE_API, SOURCE_CALL_LOG):
		assert not call_explains_ticket(source, "Other", created, created), source


def test_call_keeps_channels_set_before_detection_existed():
	created = datetime(2025, 3, 3, 10, 0)
	assert not call_explains_ticket(None, "Portal", created, created)
	assert call_explains_ticket("", "Other", created, created)


def test_only_the_desk_may_change_a_channel():
	assert may_change_channel(CREATOR_AGENT)
	assert may_change_channel(CREATOR_SYSTEM)
	assert not may_change_channel(CREATOR_CUSTOMER)
	assert not may_change_channel(CREATOR_GUEST)


def test_the_e_mail_that_created_a_default_ticket_explains_it():
	from datetime import datetime, timedelta

	from selfservice_portal.deflection.channel_detection import SOURCE_DEFAULT, email_explains_ticket

	created = datetime(2026, 3, 3, 10, 0, 0)
	assert email_explains_ticket(SOURCE_DEFAULT, created, created + timedelta(seconds=2))
	# A later reply by e-mail does not change how the request arrived, nor does a known channel.
	assert not email_explains_ticket(SOURCE_DEFAULT, created, created + timedelta(days=2))
	assert not email_explains_ticket("Customer Portal", created, created)
