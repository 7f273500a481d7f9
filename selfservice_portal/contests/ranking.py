"""Ranking a nomination, frappe-free: floors, directions, ties, places and star tiers."""

from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime, time, timedelta

HIGHEST, LOWEST = "Highest", "Lowest"
EARLIER_WINS, SHARED = "Earlier Achiever Wins", "Shared Place"
TIERS = {1: "Gold", 2: "Silver", 3: "Bronze"}
NEVER = datetime.max


@dataclass(frozen=True)
class Entry:
	user: str
	score: float
	base: float = 0.0  # what the eligibility floor is compared with (e.g. number of requests)
	achieved_on: datetime | None = None  # when the final score was reached (tie-break)
	is_disqualified: bool = False


@dataclass(frozen=True)
class Ranked:
	user: str
	score: float
	rank: int  # 0 when not eligible
	place: int  # 1..places on the podium, else 0
	is_eligible: bool

	@property
	def tier(self) -> str | None:
		return TIERS.get(self.place)


def rank(
	entries: list[Entry],
	direction: str = HIGHEST,
	floor: float = 0,
	places: int = 3,
	tie_rule: str = EARLIER_WINS,
) -> list[Ranked]:
	"""Eligible entries (base ≥ floor, not disqualified, score above zero for 'Highest') ranked first.

	Earlier Achiever Wins: equal scores are ordered by who reached the score first (then by user, so
	the order is always the same). Shared Place: equal scores share a rank (1, 1, 3…) and a place.
	"""
	sign = -1 if direction == HIGHEST else 1

	def eligible(entry: Entry) -> bool:
		return is_eligible(entry, direction, floor)

	ranked_pool = sorted(
		(entry for entry in entries if eligible(entry)),
		key=lambda entry: (sign * entry.score, entry.achieved_on or NEVER, entry.user),
	)
	result: list[Ranked] = []
	previous_score, previous_rank = None, 0
	for position, entry in enumerate(ranked_pool, start=1):
		if tie_rule == SHARED and entry.score == previous_score:
			current = previous_rank
		else:
			current = position
		previous_score, previous_rank = entry.score, current
		result.append(Ranked(entry.user, entry.score, current, current if current <= places else 0, True))
	result.extend(
		Ranked(entry.user, entry.score, 0, 0, False)
		for entry in sorted(entries, key=lambda entry: entry.user)
		if not eligible(entry)
	)
	return result


def is_eligible(entry: Entry, direction: str = HIGHEST, floor: float = 0) -> bool:
	"""Ranked at all: not disqualified, the floor met, and for 'Highest' a score above zero."""
	if entry.is_disqualified or entry.base < floor:
		return False
	return entry.score > 0 if direction == HIGHEST else True


# ---------------------------------------------------------------- combined nominations

SUM_OF_RANKS, WEIGHTED = "Sum of ranks", "Weighted normalised score"
COMBINE_RULES = (SUM_OF_RANKS, WEIGHTED)


@dataclass(frozen=True)
class Part:
	"""One metric of a combined nomination: its direction, floor and (weighted rule) weight."""

	key: str
	direction: str = HIGHEST
	floor: float = 0
	weight: float = 1.0


@dataclass(frozen=True)
class PartResult:
	key: str
	score: float
	base: float
	meets_floor: bool
	rank: int = 0  # competition rank within the eligible field (0 when not eligible)
	normalised: float = 0.0  # 0..1, 1 = the field's best (0 when not eligible)
	weight: float = 1.0

	@property
	def points(self) -> float:
		return self.weight * self.normalised


@dataclass(frozen=True)
class CombinedRanked:
	user: str
	score: float  # sum of ranks (lower wins) or weighted score (higher wins)
	rank: int
	place: int
	is_eligible: bool
	worst_rank: int
	parts: tuple[PartResult, ...]

	@property
	def tier(self) -> str | None:
		return TIERS.get(self.place)


def competition_ranks(entries: list[Entry], direction: str) -> dict[str, int]:
	"""1 + the number of entries strictly better: equal scores share a rank (1, 1, 3)."""
	sign = -1 if direction == HIGHEST else 1
	ordered = sorted(sign * entry.score for entry in entries)
	return {entry.user: 1 + bisect_left(ordered, sign * entry.score) for entry in entries}


def normalised(score: float, field: list[float], direction: str) -> float:
	"""A score as a share of the field's best, 1 for the best. 'Highest': score / max. 'Lowest':
	min / score — the best (smallest) score divided by yours; a score of 0 is the best possible (1)."""
	if direction == HIGHEST:
		best = max(field, default=0)
		return score / best if best > 0 else 0.0
	if score <= 0:
		return 1.0
	return min(field, default=0) / score


def rank_combined(
	scores: dict[str, list[Entry]],
	parts: list[Part],
	rule: str = SUM_OF_RANKS,
	places: int = 3,
	tie_rule: str = EARLIER_WINS,
	disqualified: frozenset[str] | set[str] = frozenset(),
) -> list[CombinedRanked]:
	"""Rank participants over several metrics (``scores``: each part's entries, by the part's key).

	Only participants eligible in every part (each floor met, each 'Highest' score above zero, not
	disqualified) are ranked; a participant missing from a part scores 0 there.
	Sum of ranks: each part ranks the eligible field (competition ranking, in its direction); the
	sum of the ranks wins lowest, a tie goes to the better (smaller) worst rank, then the tie rule.
	Weighted normalised score: sum over the parts of weight * normalised score (see ``normalised``),
	highest wins, then the tie rule. Earlier Achiever Wins compares when the last part's score was
	reached; Shared Place shares a rank when the totals (and, for ranks, the worst ranks) are equal.
	"""
	table = CombinedTable(scores, parts)
	field = [
		user
		for user in table.users
		if user not in disqualified
		and all(is_eligible(table.entry(part, user), part.direction, part.floor) for part in parts)
	]
	results = table.field_results(field, rule)
	ordered = sorted(field, key=lambda user: (results[user].order, results[user].reached, user))
	ranked: list[CombinedRanked] = []
	previous_order, previous_rank = None, 0
	for position, user in enumerate(ordered, start=1):
		result = results[user]
		current = previous_rank if tie_rule == SHARED and result.order == previous_order else position
		previous_order, previous_rank = result.order, current
		place = current if current <= places else 0
		ranked.append(
			CombinedRanked(user, result.total, current, place, True, result.worst_rank, result.parts)
		)
	ranked.extend(
		CombinedRanked(user, 0.0, 0, 0, False, 0, table.unranked_parts(user))
		for user in table.users
		if user not in results
	)
	return ranked


@dataclass(frozen=True)
class FieldResult:
	"""A ranked participant's totals before the order is settled."""

	order: tuple  # what sorts first: (-weighted total, 0) or (sum of ranks, worst rank)
	reached: datetime  # when the last part's score was reached (NEVER when unknown)
	total: float
	worst_rank: int
	parts: tuple[PartResult, ...]


class CombinedTable:
	"""The parts' entries by user, with a zero entry for a participant missing from a part."""

	def __init__(self, scores: dict[str, list[Entry]], parts: list[Part]) -> None:
		self.parts = parts
		self.by_part = {part.key: {entry.user: entry for entry in scores.get(part.key, [])} for part in parts}
		self.users = sorted({user for entries in self.by_part.values() for user in entries})

	def entry(self, part: Part, user: str) -> Entry:
		return self.by_part[part.key].get(user) or Entry(user, 0.0)

	def field_results(self, field: list[str], rule: str) -> dict[str, FieldResult]:
		"""Each eligible participant's ranks and normalised scores within ``field``, and totals."""
		ranks = {
			part.key: competition_ranks([self.entry(part, user) for user in field], part.direction)
			for part in self.parts
		}
		field_scores = {part.key: [self.entry(part, user).score for user in field] for part in self.parts}
		results: dict[str, FieldResult] = {}
		for user in field:
			part_results = tuple(
				PartResult(
					part.key,
					self.entry(part, user).score,
					self.entry(part, user).base,
					True,
					ranks[part.key][user],
					normalised(self.entry(part, user).score, field_scores[part.key], part.direction),
					part.weight,
				)
				for part in self.parts
			)
			worst = max(result.rank for result in part_results)
			if rule == WEIGHTED:
				total = round(sum(result.points for result in part_results), 9)
				order = (-total, 0)
			else:
				total = sum(result.rank for result in part_results)
				order = (total, worst)
			achieved = [self.entry(part, user).achieved_on for part in self.parts]
			reached = NEVER if None in achieved else max(achieved)
			results[user] = FieldResult(order, reached, total, worst, part_results)
		return results

	def unranked_parts(self, user: str) -> tuple[PartResult, ...]:
		"""The parts of a participant left out of the field: their scores and which floors they met."""
		return tuple(
			PartResult(
				part.key,
				self.entry(part, user).score,
				self.entry(part, user).base,
				self.entry(part, user).base >= part.floor,
				weight=part.weight,
			)
			for part in self.parts
		)


def period_label(start: datetime, end: datetime) -> str:
	"""'H2 2026', 'Q1 2026', 'March 2026' or '2026-03-01 to 2026-05-31': how a badge names its period."""
	if end > start and end.day == 1 and end.time() == time(0):
		end -= timedelta(microseconds=1)  # an end at a month's first midnight closes the month before
	if start.year == end.year:
		months = (start.month, end.month)
		halves = {(1, 6): "H1", (7, 12): "H2"}
		quarters = {(1, 3): "Q1", (4, 6): "Q2", (7, 9): "Q3", (10, 12): "Q4"}
		if months in halves:
			return f"{halves[months]} {start.year}"
		if months in quarters:
			return f"{quarters[months]} {start.year}"
		if months == (1, 12):
			return str(start.year)
		if start.month == end.month:
			return start.strftime("%B %Y")
	return f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"


def month_boundary(end: datetime) -> datetime | None:
	"""The first midnight of a month that ``end`` closes: the end itself, or the next midnight when the
	end lies within the last minute of a month's last day (23:59 or 23:59:59)."""
	if end.time() == time(0):
		boundary = end
	elif end.time() >= time(23, 59):
		boundary = datetime.combine(end.date() + timedelta(days=1), time(0))
	else:
		return None
	return boundary if boundary.day == 1 else None


def add_whole_months(first_of_month: datetime, months: int) -> datetime:
	years, month = divmod(first_of_month.month - 1 + months, 12)
	return first_of_month.replace(year=first_of_month.year + years, month=month + 1)


def next_period(start: datetime, end: datetime) -> tuple[datetime, datetime]:
	"""The period after [start, end]: whole months shift by calendar months (H1 → H2, Q4 → the next
	Q1, ending at the same moment before the month boundary), any other period by its length."""
	boundary = month_boundary(end)
	if start == datetime(start.year, start.month, 1) and boundary:
		months = (boundary.year - start.year) * 12 + boundary.month - start.month
		if months > 0:
			return boundary, add_whole_months(boundary, months) - (boundary - end)
	return end, end + (end - start)


def next_future_period(start: datetime, end: datetime, now: datetime) -> tuple[datetime, datetime]:
	"""The first period in the rhythm of [start, end] that has not begun at ``now``: a contest drafted
	from a long-past one must not open for a period that is mostly over. Whole-month periods step by
	calendar months (H1 2025 seen in December 2026 → H1 2027); any other period by its length."""
	starts_on, ends_on = next_period(start, end)
	length = ends_on - starts_on
	whole_months = starts_on == datetime(starts_on.year, starts_on.month, 1) and month_boundary(ends_on)
	if not whole_months and length > timedelta(0) and starts_on <= now:
		skip = (now - starts_on) // length  # jump near now in one step, whatever the length
		starts_on, ends_on = starts_on + skip * length, ends_on + skip * length
	for _ in range(10_000):  # whole months: at most a step per month since the old period
		if starts_on > now:
			return starts_on, ends_on
		starts_on, ends_on = next_period(starts_on, ends_on)
	raise ValueError("no future period found")
