"""Journey grouping and deflection on constructed event sequences; expected numbers worked by hand."""

from datetime import datetime, timedelta

from selfservice_portal.deflection.journeys import (
	CONFIRMED,
	INFERRED,
	NO_ENGAGEMENT,
	PENDING,
	TICKET,
	Event,
	build_journeys,
	group_journeys,
	savings,
	self_service_score,
	summarise,
)

T0 = datetime(2026, 11, 2, 9, 0)
GAP = timedelta(minutes=30)
WINDOW = timedelta(hours=72)
NOW = datetime(2026, 11, 20, 12, 0)


def at(minutes: float) -> datetime:
	return T0 + timedelta(minutes=minutes)


def ev(minutes, key, kind, **kw):
	return Event(at(minutes), key, kind, **kw)


def test_inactivity_gap_splits_journeys_per_user():
	events = [
		ev(0, "ann", "KB Search", result_count=3),
		ev(10, "ann", "Article View", article="A1"),
		ev(39, "ann", "Article View", article="A2"),  # 29 min later: same journey
		ev(80, "ann", "KB Search", result_count=0),  # 41 min later: new journey
		ev(5, "bob", "Article View", article="A1"),
	]
	journeys = group_journeys(events, GAP)
	assert [(j.key, len(j.events)) for j in journeys] == [("ann", 3), ("ann", 1), ("bob", 1)]
	assert journeys[0].articles_read == ["A1", "A2"]
	assert journeys[0].end == at(39)


def test_the_four_outcomes():
	events = [
		# ann: reads and says it helped -> confirmed
		ev(0, "ann", "Article View", article="A1"),
		ev(2, "ann", "Article Helpful", article="A1"),
		# bob: searches with results, reads, leaves -> inferred
		ev(0, "bob", "KB Search", result_count=4, query="vpn"),
		ev(1, "bob", "Article View", article="A2"),
		# cat: reads, then files a ticket in the same journey -> ticket, A3 read but did not solve
		ev(0, "cat", "Article View", article="A3"),
		ev(5, "cat", "Ticket Submitted", ticket="T1"),
		# dan: searches with no results and leaves -> no engagement
		ev(0, "dan", "KB Search", result_count=0, query="printer toner"),
		# eve: offered articles for a service, leaves -> inferred (a catalog deflection point)
		ev(0, "eve", "Service Viewed", department="IT"),
		ev(1, "eve", "Articles Suggested", result_count=2, department="IT"),
	]
	journeys = {j.key: j for j in build_journeys(events, {}, GAP, WINDOW, NOW)}
	assert journeys["ann"].outcome == CONFIRMED
	assert journeys["bob"].outcome == INFERRED
	assert (journeys["cat"].outcome, journeys["cat"].ticket, journeys["cat"].articles_read) == (
		TICKET,
		"T1",
		["A3"],
	)
	assert journeys["dan"].outcome == NO_ENGAGEMENT
	assert (journeys["eve"].outcome, journeys["eve"].department) == (INFERRED, "IT")

	summary = summarise(list(journeys.values()))
	# kb journeys: ann, bob, cat, eve (dan's search found nothing) = 4
	# deflections: ann (confirmed) + bob, eve (inferred) = 3; tickets after kb: cat = 1
	assert (summary.journeys, summary.kb_journeys, summary.confirmed, summary.inferred) == (5, 4, 1, 2)
	assert (summary.tickets_after_kb, summary.deflections, summary.pending) == (1, 3, 0)
	assert summary.deflection_rate == 3 / 4


def test_ticket_raised_later_within_the_window_cancels_the_deflection():
	events = [
		ev(0, "ann", "Article View", article="A1"),
		ev(60 * 24 * 10, "bob", "Article View", article="A1"),
	]
	tickets = {
		"ann": [(at(60 * 48), "T9")],  # two days later: inside the 72 h window
		"bob": [(at(60 * 24 * 10 + 60 * 80), "T10")],  # 80 h later: outside
	}
	journeys = {j.key: j for j in build_journeys(events, tickets, GAP, WINDOW, NOW)}
	assert (journeys["ann"].outcome, journeys["ann"].ticket) == (TICKET, "T9")
	assert journeys["bob"].outcome == INFERRED


def test_tickets_before_the_journey_do_not_count():
	events = [ev(600, "ann", "Article View", article="A1")]
	journeys = build_journeys(events, {"ann": [(at(0), "T-old")]}, GAP, WINDOW, NOW)
	assert journeys[0].outcome == INFERRED


def test_open_window_is_pending_not_counted():
	events = [Event(NOW - timedelta(hours=5), "ann", "Article View", article="A1")]
	journey = build_journeys(events, {}, GAP, WINDOW, NOW)[0]
	assert journey.outcome == PENDING
	assert summarise([journey]).deflections == 0


def test_scores_and_savings():
	assert self_service_score(kb_journeys=30, tickets=10) == 3.0
	assert self_service_score(kb_journeys=4, tickets=0) == 4.0
	# 12 deflections x (25 - 2.5)
	assert savings(12, 25, 2.5) == 270.0
	assert summarise([]).deflection_rate == 0.0
