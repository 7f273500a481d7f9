from datetime import datetime, timedelta

from selfservice_portal.contests.fair_play import burst_users, outliers, percentile
from selfservice_portal.contests.ranking import (
	EARLIER_WINS,
	HIGHEST,
	LOWEST,
	SHARED,
	SUM_OF_RANKS,
	WEIGHTED,
	Entry,
	Part,
	normalised,
	period_label,
	rank,
	rank_combined,
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


# ---------------------------------------------------------------- combined nominations
# Hand-computed: requests (floor 2 requests) and ratings given, both "Highest".
#          requests  ratings   eligible?
#   ann    10        1         yes
#   bob     8        4         yes
#   cat     8        2         yes
#   dan     5        6         yes
#   eve    12 (1 valid) 9      no: 1 request is below the floor of 2
#   fay     3        0         no: no rating at all
#   gus     -        3         no: no request (missing from a metric counts as 0)
COMBINED = {
	"requests": [
		Entry("ann", 10, base=10, achieved_on=T + timedelta(days=5)),
		Entry("bob", 8, base=8, achieved_on=T),
		Entry("cat", 8, base=8, achieved_on=T),
		Entry("dan", 5, base=5, achieved_on=T + timedelta(days=2)),
		Entry("eve", 12, base=1, achieved_on=T),
		Entry("fay", 3, base=3, achieved_on=T),
	],
	"ratings": [
		Entry("ann", 1, base=1, achieved_on=T),
		Entry("bob", 4, base=4, achieved_on=T),
		Entry("cat", 2, base=2, achieved_on=T),
		Entry("dan", 6, base=6, achieved_on=T),
		Entry("eve", 9, base=9, achieved_on=T),
		Entry("gus", 3, base=3, achieved_on=T),
	],
}
PARTS = [Part("requests", floor=2), Part("ratings")]


def combined_places(ranked):
	return [(r.user, r.score, r.rank, r.place) for r in ranked if r.is_eligible]


def test_sum_of_ranks_ranks_each_metric_then_sums_and_breaks_ties_by_the_worst_rank():
	# requests ranks: ann 1, bob 2, cat 2, dan 4 — ratings ranks: dan 1, bob 2, cat 3, ann 4
	# sums: bob 4 (worst 2); cat 5 (worst 3); ann 5 (worst 4); dan 5 (worst 4)
	# ann and dan tie on sum and worst rank: dan reached his last score earlier (day 2 < day 5)
	ranked = rank_combined(COMBINED, PARTS, SUM_OF_RANKS, places=3, tie_rule=EARLIER_WINS)
	assert combined_places(ranked) == [("bob", 4, 1, 1), ("cat", 5, 2, 2), ("dan", 5, 3, 3), ("ann", 5, 4, 0)]
	bob = ranked[0]
	assert [(p.key, p.score, p.rank) for p in bob.parts] == [("requests", 8, 2), ("ratings", 4, 2)]
	assert bob.worst_rank == 2
	not_ranked = {r.user: r for r in ranked if not r.is_eligible}
	assert set(not_ranked) == {"eve", "fay", "gus"}
	assert [p.meets_floor for p in not_ranked["eve"].parts] == [False, True]
	assert [(p.score, p.rank) for p in not_ranked["gus"].parts] == [(0, 0), (3, 0)]


def test_sum_of_ranks_shared_place():
	ranked = rank_combined(COMBINED, PARTS, SUM_OF_RANKS, places=3, tie_rule=SHARED)
	# cat's better worst rank still puts him ahead; ann and dan share third place
	assert combined_places(ranked) == [("bob", 4, 1, 1), ("cat", 5, 2, 2), ("dan", 5, 3, 3), ("ann", 5, 3, 3)]


def test_weighted_normalised_score():
	# maxima over the eligible field: requests 10, ratings 6; ratings weigh twice
	# ann 10/10 + 2 * 1/6 = 1.333…; bob 0.8 + 2 * 4/6 = 2.133…; cat 0.8 + 2 * 2/6 = 1.466…; dan 0.5 + 2 = 2.5
	parts = [Part("requests", floor=2, weight=1), Part("ratings", weight=2)]
	ranked = rank_combined(COMBINED, parts, WEIGHTED, places=3)
	assert [(r.user, round(r.score, 4), r.rank, r.place) for r in ranked if r.is_eligible] == [
		("dan", 2.5, 1, 1),
		("bob", 2.1333, 2, 2),
		("cat", 1.4667, 3, 3),
		("ann", 1.3333, 4, 0),
	]
	dan = ranked[0]
	assert [(p.key, p.normalised, p.weight, p.points) for p in dan.parts] == [
		("requests", 0.5, 1, 0.5),
		("ratings", 1.0, 2, 2.0),
	]


def test_weighted_ties_earlier_achiever_or_shared():
	# mirror images: 0.3/0.3 + 0.1/0.3 = 0.1/0.3 + 0.3/0.3 (equal once rounded, whatever the float error)
	scores = {
		"a": [Entry("x", 0.3, 1, T + timedelta(days=1)), Entry("y", 0.1, 1, T), Entry("z", 0.1, 1, T)],
		"b": [Entry("x", 0.1, 1, T), Entry("y", 0.3, 1, T), Entry("z", 0.1, 1, T)],
	}
	parts = [Part("a"), Part("b")]
	earlier = rank_combined(scores, parts, WEIGHTED, tie_rule=EARLIER_WINS)
	assert [(r.user, r.rank) for r in earlier] == [("y", 1), ("x", 2), ("z", 3)]
	shared = rank_combined(scores, parts, WEIGHTED, tie_rule=SHARED)
	assert [(r.user, r.rank, r.place) for r in shared] == [("y", 1, 1), ("x", 1, 1), ("z", 3, 3)]


def test_lowest_wins_metrics_normalise_as_the_best_divided_by_yours():
	assert normalised(2, [2, 4, 8], LOWEST) == 1.0
	assert normalised(4, [2, 4, 8], LOWEST) == 0.5
	assert normalised(8, [2, 4, 8], LOWEST) == 0.25
	assert normalised(0, [0, 4], LOWEST) == 1.0  # nothing is the best possible
	assert normalised(4, [0, 4], LOWEST) == 0.0
	assert normalised(5, [5, 10], HIGHEST) == 0.5
	scores = {
		"fast": [Entry("p", 2, 1), Entry("q", 4, 1), Entry("r", 4, 1)],
		"many": [Entry("p", 1, 1), Entry("q", 3, 1), Entry("r", 2, 1)],
	}
	# fast (lowest wins): p 1, q 2, r 2 — many: q 1, r 2, p 3 → p 4, q 3, r 4 (worst: p 3, r 2)
	ranked = rank_combined(scores, [Part("fast", LOWEST), Part("many")], SUM_OF_RANKS)
	assert [(r.user, r.score, r.rank) for r in ranked] == [("q", 3, 1), ("r", 4, 2), ("p", 4, 3)]
