from datetime import datetime, timedelta

from selfservice_portal.contests.fair_play import burst_users, outliers, percentile
from selfservice_portal.contests.ranking import (
	EARLIER_WINS,
	HIGHEST,
	LOWEST,
	SHARED,
	Entry,
	period_label,
	rank,
)

T = datetime(2026, 7, 1, 9)


def places(ranked):
	return [(r.user, r.rank, r.place, r.tier) for r in ranked if r.is_eligible]


def test_highest_wins_with_floor_and_three_places():
	entries = [
		Entry("ann", 9, base=10),
		Entry("bob", 7, base=8),
		Entry("cat", 12, base=3),  # below the floor of 5 requests
		Entry("dan", 5, base=6),
		Entry("eve", 4, base=9),
		Entry("fay", 0, base=9),  # a zero score never ranks for "Highest"
	]
	ranked = rank(entries, HIGHEST, floor=5, places=3)
	assert places(ranked) == [
		("ann", 1, 1, "Gold"),
		("bob", 2, 2, "Silver"),
		("dan", 3, 3, "Bronze"),
		("eve", 4, 0, None),
	]
	assert {r.user for r in ranked if not r.is_eligible} == {"cat", "fay"}


def test_earlier_achiever_breaks_ties():
	entries = [
		Entry("late", 5, achieved_on=T + timedelta(days=2)),
		Entry("early", 5, achieved_on=T),
		Entry("top", 6, achieved_on=T),
	]
	assert places(rank(entries, tie_rule=EARLIER_WINS)) == [
		("top", 1, 1, "Gold"),
		("early", 2, 2, "Silver"),
		("late", 3, 3, "Bronze"),
	]


def test_shared_place_uses_competition_ranking():
	entries = [Entry("a", 5), Entry("b", 5), Entry("c", 4), Entry("d", 3)]
	assert places(rank(entries, tie_rule=SHARED)) == [
		("a", 1, 1, "Gold"),
		("b", 1, 1, "Gold"),
		("c", 3, 3, "Bronze"),
		("d", 4, 0, None),
	]


def test_lowest_direction_and_disqualification():
	entries = [Entry("fast", 1.5), Entry("slow", 9.0), Entry("cheat", 0.1, is_disqualified=True)]
	assert places(rank(entries, LOWEST)) == [("fast", 1, 1, "Gold"), ("slow", 2, 2, "Silver")]


def test_ranking_is_deterministic_without_timestamps():
	entries = [Entry("b", 3), Entry("a", 3)]
	assert [r.user for r in rank(entries)] == ["a", "b"]


def test_period_labels():
	assert period_label(datetime(2026, 7, 1), datetime(2026, 12, 31, 23, 59)) == "H2 2026"
	assert period_label(datetime(2026, 1, 1), datetime(2026, 3, 31)) == "Q1 2026"
	assert period_label(datetime(2026, 3, 1), datetime(2026, 3, 31)) == "March 2026"
	assert period_label(datetime(2026, 1, 1), datetime(2026, 12, 31)) == "2026"
	assert period_label(datetime(2026, 11, 15), datetime(2027, 2, 15)) == "2026-11-15 to 2027-02-15"


def test_bursts():
	rows = [("spam", T + timedelta(minutes=m)) for m in (0, 2, 4, 6)] + [
		("calm", T + timedelta(hours=h)) for h in range(6)
	]
	assert burst_users(rows, tickets=4, minutes=10) == {"spam": T}
	assert burst_users(rows, tickets=5, minutes=10) == {}


def test_outliers_against_peers_and_own_history():
	scores = {f"u{i}": 5.0 + i % 3 for i in range(20)} | {"whale": 60.0, "grower": 12.0, "tiny": 3.0}
	reasons = outliers(scores, history={"grower": 3.0, "tiny": 0.5}, factor=3)
	assert reasons["whale"][0] == "peers"
	assert reasons["grower"] == ("history", 3.0)
	assert "tiny" not in reasons  # below the minimum score, never suspicious
	assert percentile([1, 2, 3, 4], 50) == 2.5
