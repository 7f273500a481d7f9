"""Fair-play checks that flag (never silently drop) suspicious results, frappe-free."""

from datetime import datetime, timedelta


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
	k = (len(ordered) - 1) * pct / 100
	low = int(k)
	high = min(low + 1, len(ordered) - 1)
	return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def outliers(
	scores: dict[str, float],
	history: dict[str, float],
	factor: float,
	minimum: float = 5,
) -> dict[str, tuple[str, float]]:
	"""Scores far above the peers' 95th percentile ("peers") or the user's own previous period
	("history") → (which, the reference value it was compared with).

	Small scores are never outliers (``minimum``), so a newcomer with 6 requests is not suspicious.
	"""
	if factor <= 0:
		return {}
	peers = [s for s in scores.values() if s > 0]
	p95 = percentile(peers, 95) if len(peers) >= 5 else 0.0
	reasons: dict[str, tuple[str, float]] = {}
	for user, score in scores.items():
		if score < minimum:
			continue
		if p95 and score > factor * p95:
			reasons[user] = ("peers", p95)
		elif history.get(user, 0) > 0 and score > factor * history[user]:
			reasons[user] = ("history", history[user])
	return reasons
