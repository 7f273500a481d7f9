from datetime import date

from selfservice_portal.deflection.channels import DEFAULT_CHANNELS
from selfservice_portal.demo import plan

TODAY = date(2026, 11, 24)


def test_plan_is_deterministic():
	assert plan.plan_tickets(TODAY) == plan.plan_tickets(TODAY)


def test_ticket_keys_are_unique_so_reruns_find_them():
	keys = [(t.subject, t.raised_by, t.opened_on) for t in plan.plan_tickets(TODAY)]
	assert len(keys) == len(set(keys))


def test_tickets_cover_a_year_and_never_the_future():
	tickets = plan.plan_tickets(TODAY)
	assert len(tickets) >= 140
	assert min(t.opened_on for t in tickets) <= date(2025, 12, 1)
	assert max(t.opened_on for t in tickets) <= TODAY
	assert [t.opened_on for t in tickets] == sorted(t.opened_on for t in tickets)


def test_only_known_channels_and_teams():
	channel_names = {c.name for c in DEFAULT_CHANNELS}
	teams = {d.team for d in plan.DEPARTMENTS}
	for ticket in plan.plan_tickets(TODAY):
		assert ticket.channel in channel_names
		assert ticket.team in teams


def test_portal_share_grows_over_the_year():
	tickets = plan.plan_tickets(TODAY, count=600)
	first, last = tickets[:150], tickets[-150:]

	def portal_share(chunk):
		return sum(t.channel == "Portal" for t in chunk) / len(chunk)

	assert portal_share(last) > portal_share(first) + 0.15


def test_channel_weights_blend_and_clamp():
	assert plan.channel_weights(-1) == plan.channel_weights(0)
	assert plan.channel_weights(0)["Portal"] == 10
	assert plan.channel_weights(1)["Portal"] == 45
	assert plan.channel_weights(0.5)["Portal"] == 27.5


def test_recent_tickets_stay_open():
	tickets = plan.plan_tickets(TODAY)
	assert all(t.is_resolved == ((TODAY - t.opened_on).days > 7) for t in tickets)


def test_people_have_unique_emails_in_the_demo_domain():
	emails = [p.email for p in plan.PORTAL_USERS] + [e for d in plan.DEPARTMENTS for e in d.agent_emails]
	assert len(emails) == len(set(emails))
	assert all(e.endswith("@" + plan.DEMO_DOMAIN) for e in emails)


def test_default_channels_have_exactly_one_self_service_channel():
	assert [c.name for c in DEFAULT_CHANNELS if c.is_self_service] == ["Portal"]
