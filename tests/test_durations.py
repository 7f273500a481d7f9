"""Percentiles read from log-scale histograms (the fulfilment roll-up), frappe-free: nearest rank,
within the documented precision of the exact value, merged over days as if never split."""

import math
import random

from selfservice_portal.service_catalog.durations import (
	MAX_BUCKET,
	PRECISION,
	bucket_of,
	bucket_value,
	dumps,
	histogram,
	hours,
	loads,
	merge,
	percentile,
	slowest,
)

H = 3600


def exact_percentile(values, p):
	ordered = sorted(values)
	return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def close(estimate, exact):
	return abs(estimate - exact) <= PRECISION * exact + 1e-9


def test_precision_is_under_five_percent():
	assert 0.043 < PRECISION < 0.045


def test_buckets_are_eight_per_doubling_and_capped():
	assert bucket_of(0) == bucket_of(59.9) == 0
	assert bucket_of(60) == 1
	assert bucket_of(120) == 1 + 8
	assert bucket_of(240) == 1 + 16
	assert bucket_of(10**12) == MAX_BUCKET
	for seconds in (61, 3599, H, 48 * H, 400 * 24 * H):
		b = bucket_of(seconds)
		low, high = 60 * 2 ** ((b - 1) / 8), 60 * 2 ** (b / 8)
		assert low <= seconds < high
		assert close(bucket_value(b), seconds)


def test_hand_computed_median_and_90th_percentile():
	# 1 h, 2 h, 4 h, 10 h, 50 h: the median is the 3rd (4 h), the 90th percentile the 5th (50 h).
	h = histogram([1 * H, 2 * H, 4 * H, 10 * H, 50 * H])
	assert sum(h.values()) == 5
	assert close(percentile(h, 50), 4 * H)
	assert close(percentile(h, 90), 50 * H)
	assert hours(percentile(h, 50)) in (3.9, 4.0, 4.1)
	# Four durations: the nearest-rank median is the 2nd.
	h = histogram([1 * H, 3 * H, 5 * H, 7 * H])
	assert close(percentile(h, 50), 3 * H)
	assert close(percentile(h, 90), 7 * H)


def test_empty_histograms_have_no_percentile():
	assert percentile({}, 50) is None
	assert hours(None) is None
	assert slowest({}) is None
	assert merge([None, "", {}]) == {}


def test_days_merge_as_if_never_split():
	rng = random.Random(15)
	values = [rng.lognormvariate(10, 1.5) for _ in range(1000)]
	days = [values[i::7] for i in range(7)]
	merged = merge(dumps(histogram(day)) for day in days)
	assert merged == histogram(values)
	for p in (50, 90, 99):
		assert close(percentile(merged, p), exact_percentile(values, p))


def test_json_round_trip_keeps_only_used_buckets():
	h = histogram([H, H, 2 * H])
	text = dumps(h)
	assert loads(text) == h
	assert loads(dumps({3: 0, 4: 2})) == {4: 2}
	assert len(text) < 20


def test_slowest_kind_is_the_longest_median_ties_alphabetical():
	kinds = {
		"Laptop": histogram([H, 30 * H, 30 * H]),
		"IT account": histogram([2 * H, 2 * H, 100 * H]),
		"Building pass": histogram([30 * H]),
	}
	label, median = slowest(kinds)
	assert label == "Building pass" and close(median, 30 * H)
	del kinds["Building pass"]
	assert slowest(kinds)[0] == "Laptop"
