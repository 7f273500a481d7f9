from datetime import date

from selfservice_portal.deflection.journeys import Event, build_journeys, summarise
from selfservice_portal.demo import journey_plan

TODAY = date(2026, 11, 24)
USERS = [f"u{i}@acme.example" for i in range(12)]
TITLES = ["How to reset your password", "Connecting to the VPN from home"]


def planned():
	return journey_plan.plan_events(TODAY, USERS, TITLES)


def test_deterministic_with_unique_keys():
	first, second = planned(), planned()
	assert first == second
	assert len({e.key for e in first}) == len(first)


def test_a_year_without_the_still_open_last_days():
	events = planned()
	assert min(e.at.date() for e in events) <= date(2025, 11, 26)
	assert max(e.at.date() for e in events) < date(2026, 11, 21)


def test_deflection_grows_over_the_year():
	from datetime import datetime, timedelta

	events = [Event(e.at, e.user, e.event_type, result_count=e.result_count) for e in planned()]
	journeys = build_journeys(events, {}, timedelta(minutes=30), timedelta(hours=72), datetime(2026, 11, 24))
	half = datetime(2026, 5, 25)
	early = summarise([j for j in journeys if j.start < half])
	late = summarise([j for j in journeys if j.start >= half])
	assert late.deflection_rate > early.deflection_rate + 0.15


def test_gap_searches_find_nothing():
	gaps = [e for e in planned() if e.query in journey_plan.GAP_QUERIES]
	assert gaps and all(e.result_count == 0 for e in gaps)
