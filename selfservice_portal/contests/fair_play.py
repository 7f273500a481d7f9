"""Fair-play checks that flag (never silently drop) suspicious results, frappe-free."""

import re
from bisect import bisect_left
from datetime import datetime, timedelta

TAG = re.compile(r"<[^>]*>")


def text_length(subject: str | None, description: str | None) -> int:
	"""A ticket's text without HTML tags, in characters: what the trivial-ticket rule compares with a
	contest's minimum length. The same as ``ticket_metrics.TEXT_LENGTH`` computes in SQL (MariaDB's
	TRIM strips spaces only)."""
	return len(f"{subject or ''} {TAG.sub('', description or '')}".strip(" "))


def burst_users(rows: list[tuple[str, datetime]], tickets: int, minutes: int) -> dict[str, datetime]:
	"""Users with ``tickets`` or more tickets inside any ``minutes`` window → when the first burst began.

	``rows`` are (user, created) pairs; one linear pass per user over their sorted times.
	"""
	if tickets <= 1 or minutes <= 0:
		return {}
	by_user: dict[str, list[datetime]] = {}
	for user, created in rows:
		by_user.setdefault(user, []).append(created)
	window = timedelta(minutes=minutes)
	found: dict[str, datetime] = {}
	for user, times in by_user.items():
		times.sort()
		start = 0
		for end, moment in enumerate(times):
			while moment - times[start] > window:
				start += 1
			if end - start + 1 >= tickets:
				found[user] = times[start]
				break
	return found


def percentile(values: list[float], pct: float) -> float:
	ordered = sorted(values)
	if not ordered:
		return 0.0
	position = (len(ordered) - 1) * pct / 100
	low = int(position)
	high = min(low + 1, len(ordered) - 1)
	return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def percentile_without(ordered: list[float], index: int, pct: float) -> float:
	"""``percentile`` of the sorted ``ordered`` without its element at ``index``, in O(1)."""
	size = len(ordered) - 1
	if size <= 0:
		return 0.0

	def at(i: int) -> float:
		return ordered[i if i < index else i + 1]

	position = (size - 1) * pct / 100
	low = int(position)
	high = min(low + 1, size - 1)
	return at(low) + (at(high) - at(low)) * (position - low)


def outliers(
	scores: dict[str, float],
	history: dict[str, float],
	factor: float,
	minimum: float = 5,
	min_peers: int = 5,
) -> dict[str, tuple[str, float]]:
	"""Scores far above the other participants' 95th percentile ("peers") or the user's own previous
	period ("history") → (which, the reference value it was compared with).

	The percentile leaves the user's own score out: otherwise the top scorer of a small field raises
	the bar they are measured against and can never be flagged. Small scores are never outliers
	(``minimum``), so a newcomer with 6 requests is not suspicious.
	"""
	if factor <= 0:
		return {}
	ordered = sorted(s for s in scores.values() if s > 0)
	reasons: dict[str, tuple[str, float]] = {}
	for user, score in scores.items():
		if score <= 0 or score < minimum:
			continue
		others_p95 = (
			percentile_without(ordered, bisect_left(ordered, score), 95)
			if len(ordered) - 1 >= min_peers
			else 0.0
		)
		if others_p95 and score > factor * others_p95:
			reasons[user] = ("peers", others_p95)
		elif history.get(user, 0) > 0 and score > factor * history[user]:
			reasons[user] = ("history", history[user])
	return reasons
