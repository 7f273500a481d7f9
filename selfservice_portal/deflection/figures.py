"""Report arithmetic, frappe-free: months, shares, savings — each figure with its formula."""

from datetime import date


def month_key(day: date) -> str:
	return f"{day.year:04d}-{day.month:02d}"


def share(part: float, whole: float) -> float:
	"""Percentage with one decimal; 0 when there is nothing to share."""
	return round(100.0 * part / whole, 1) if whole else 0.0


def deflection_rate(deflections: int, tickets_after_kb: int) -> float:
	return share(deflections, deflections + tickets_after_kb)


def weighted_cost(costs: dict[str, float], volumes: dict[str, int], exclude: str) -> float:
	"""Average cost per contact of the channels other than ``exclude``, weighted by their volume."""
	total = sum(volume for channel, volume in volumes.items() if channel != exclude and channel in costs)
	if not total:
		return 0.0
	return (
		sum(
			costs[channel] * volume
			for channel, volume in volumes.items()
			if channel != exclude and channel in costs
		)
		/ total
	)


def savings(
	deflections: int,
	first_line_cost: float,
	self_service_cost: float,
	portal_contacts: int,
	assisted_cost: float,
	portal_cost: float,
) -> dict[str, float]:
	"""Deflection savings (problems solved without a ticket) plus channel shift (requests that came
	through the portal instead of an assisted channel)."""
	deflection = deflections * (first_line_cost - self_service_cost)
	shift = portal_contacts * max(assisted_cost - portal_cost, 0.0)
	return {
		"deflection": round(deflection, 2),
		"channel_shift": round(shift, 2),
		"total": round(deflection + shift, 2),
	}
