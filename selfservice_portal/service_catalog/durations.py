"""Durations kept as log-scale histograms, so medians and percentiles over any range of days can be
read from a daily roll-up without the durations themselves (frappe-free, tested by plain pytest).

A duration of ``s`` seconds falls in bucket 0 when it is under a minute, else in bucket
``1 + floor(8 · log2(s / 60))``: eight buckets per doubling, so the edges of a bucket differ by
2^(1/8) ≈ 1.09. A percentile is read as the geometric middle of the bucket that holds it, which is
within 2^(1/16) - 1 ≈ 4.4 % of the true value (under a minute: reported as half a minute). Bucket
``MAX_BUCKET`` also holds everything longer (over 50 years). A histogram is a dict
{bucket: count} with only the buckets used, stored as JSON with string keys.

Percentiles are nearest-rank: the p-th percentile of n durations is the ⌈p/100 · n⌉-th smallest
(the median of 4 durations is the 2nd, the 90th percentile of 5 the 5th).
"""

import json
import math
from collections.abc import Iterable

PER_DOUBLING = 8
MAX_BUCKET = 200
# How far a percentile read from a histogram may be from the true one (relative), for docs and tests.
PRECISION = 2 ** (1 / (2 * PER_DOUBLING)) - 1


def bucket_of(seconds: float) -> int:
	if seconds < 60:
		return 0
	return min(MAX_BUCKET, 1 + math.floor(PER_DOUBLING * math.log2(seconds / 60)))


def bucket_value(bucket: int) -> float:
	"""The seconds a bucket stands for: the geometric middle of its edges."""
	if bucket <= 0:
		return 30.0
	return 60 * 2 ** ((bucket - 0.5) / PER_DOUBLING)


def histogram(durations: Iterable[float]) -> dict[int, int]:
	counts: dict[int, int] = {}
	for seconds in durations:
		b = bucket_of(max(float(seconds), 0.0))
		counts[b] = counts.get(b, 0) + 1
	return counts


def merge(histograms: Iterable[dict | str | None]) -> dict[int, int]:
	"""The histogram of every duration of the given ones (JSON text or dicts; empty ones skipped)."""
	total: dict[int, int] = {}
	for h in histograms:
		add(total, h)
	return total


def add(total: dict[int, int], hist: dict | str | None) -> dict[int, int]:
	"""Add ``hist`` (JSON text or a dict) into ``total``, in place: a report merges thousands."""
	for b, n in loads(hist).items():
		total[b] = total.get(b, 0) + n
	return total


def percentile(hist: dict[int, int], p: float) -> float | None:
	"""Seconds of the nearest-rank ``p``-th percentile; None when the histogram is empty."""
	n = sum(hist.values())
	if not n:
		return None
	rank = max(1, math.ceil(p / 100 * n))
	seen = 0
	for b in sorted(hist):
		seen += hist[b]
		if seen >= rank:
			return bucket_value(b)
	return bucket_value(max(hist))  # unreachable: rank ≤ n


def hours(seconds: float | None, digits: int = 1) -> float | None:
	return None if seconds is None else round(seconds / 3600, digits)


def as_json(hist: dict[int, int]) -> dict[str, int]:
	return {str(b): n for b, n in sorted(hist.items())}


def dumps(hist: dict[int, int]) -> str:
	return json.dumps(as_json(hist), separators=(",", ":"))


def loads(value: dict | str | None) -> dict[int, int]:
	if not value:
		return {}
	if isinstance(value, str):
		value = json.loads(value)
	return {int(b): n for b, n in value.items() if n}


def slowest(histograms: dict[str, dict[int, int]]) -> tuple[str, float] | None:
	"""(label, median seconds) of the kind with the longest median; ties go to the first label in
	alphabetical order, so the answer does not depend on the order rows were read in."""
	best = None
	for label in sorted(histograms):
		median = percentile(histograms[label], 50)
		if median is not None and (best is None or median > best[1]):
			best = (label, median)
	return best
