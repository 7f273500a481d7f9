"""Portal journeys and deflection, frappe-free.

A journey is one user's (or one anonymous session's) run of portal events with no pause longer than
the inactivity gap. Once its deflection window has passed, a journey is:

- **confirmed** deflection — the user said an article helped and raised no ticket in the window;
- **inferred** deflection — the user engaged with the knowledge base (read an article, searched and
  got results, was offered articles for a service) and raised no ticket in the window;
- **ticket** — a ticket followed (then the articles read are "read but did not solve");
- **no engagement** — nothing in it touched the knowledge base;
- **pending** — its window has not closed yet, so it is not counted.

The daily roll-up does the same in SQL (``rollup.py``); tests hold both to the same hand-computed
numbers.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

KB_EVENTS = frozenset({"Article View", "Article Helpful", "Article Not Helpful"})
RESULT_EVENTS = frozenset({"KB Search", "Articles Suggested"})  # engagement only when results were shown
TICKET_EVENT = "Ticket Submitted"
HELPFUL = "Article Helpful"

CONFIRMED, INFERRED, TICKET, NO_ENGAGEMENT, PENDING = (
	"confirmed",
	"inferred",
	"ticket",
	"no engagement",
	"pending",
)


@dataclass(frozen=True)
class Event:
	at: datetime
	key: str  # user, or session handle for anonymous visitors
	event_type: str
	article: str | None = None
	department: str | None = None
	result_count: int | None = None
	ticket: str | None = None
	query: str | None = None
	name: str | None = None


@dataclass
class Journey:
	key: str
	start: datetime
	end: datetime
	events: list[Event] = field(default_factory=list)
	outcome: str = NO_ENGAGEMENT
	ticket: str | None = None
	department: str | None = None

	@property
	def articles_read(self) -> list[str]:
		return list(
			dict.fromkeys(
				event.article for event in self.events if event.event_type == "Article View" and event.article
			)
		)


def is_engagement(event: Event) -> bool:
	if event.event_type in KB_EVENTS:
		return True
	return event.event_type in RESULT_EVENTS and (event.result_count or 0) > 0


def group_journeys(events: list[Event], gap: timedelta) -> list[Journey]:
	journeys: list[Journey] = []
	current: dict[str, Journey] = {}
	for event in sorted(events, key=lambda event: (event.key, event.at)):
		journey = current.get(event.key)
		if journey is None or event.at - journey.end > gap:
			journey = Journey(key=event.key, start=event.at, end=event.at)
			journeys.append(journey)
			current[event.key] = journey
		journey.events.append(event)
		journey.end = event.at
	return journeys


def classify(
	journey: Journey,
	tickets: list[tuple[datetime, str]],
	window: timedelta,
	now: datetime,
) -> Journey:
	"""Set the journey's outcome; ``tickets`` are (created, name) of the journey's user."""
	journey.department = next(
		(event.department for event in reversed(journey.events) if event.department), None
	)
	submitted = next((event for event in journey.events if event.event_type == TICKET_EVENT), None)
	later = next(
		(name for created, name in sorted(tickets) if journey.start <= created <= journey.end + window), None
	)
	if submitted or later:
		journey.outcome = TICKET
		journey.ticket = (submitted.ticket if submitted else None) or later
		return journey
	if journey.end + window > now:
		journey.outcome = PENDING
		return journey
	engaged = any(is_engagement(event) for event in journey.events)
	if not engaged:
		journey.outcome = NO_ENGAGEMENT
	elif any(event.event_type == HELPFUL for event in journey.events):
		journey.outcome = CONFIRMED
	else:
		journey.outcome = INFERRED
	return journey


def build_journeys(
	events: list[Event],
	tickets_by_key: dict[str, list[tuple[datetime, str]]],
	gap: timedelta,
	window: timedelta,
	now: datetime,
) -> list[Journey]:
	return [
		classify(journey, tickets_by_key.get(journey.key, []), window, now)
		for journey in group_journeys(events, gap)
	]


@dataclass(frozen=True)
class DeflectionSummary:
	journeys: int
	kb_journeys: int
	confirmed: int
	inferred: int
	tickets_after_kb: int
	pending: int

	@property
	def deflections(self) -> int:
		return self.confirmed + self.inferred

	@property
	def deflection_rate(self) -> float:
		"""Deflected share of the knowledge-base journeys that are settled (0 when there are none)."""
		settled = self.deflections + self.tickets_after_kb
		return self.deflections / settled if settled else 0.0


def summarise(journeys: list[Journey]) -> DeflectionSummary:
	engaged = [journey for journey in journeys if any(is_engagement(event) for event in journey.events)]
	return DeflectionSummary(
		journeys=len(journeys),
		kb_journeys=len(engaged),
		confirmed=sum(journey.outcome == CONFIRMED for journey in journeys),
		inferred=sum(journey.outcome == INFERRED for journey in journeys),
		tickets_after_kb=sum(journey.outcome == TICKET for journey in engaged),
		pending=sum(journey.outcome == PENDING for journey in journeys),
	)


def self_service_score(kb_journeys: int, tickets: int) -> float:
	"""Zendesk's self-service score: knowledge-base sessions per ticket."""
	return kb_journeys / tickets if tickets else float(kb_journeys)


def savings(deflections: int, first_line_cost: float, self_service_cost: float) -> float:
	return deflections * (first_line_cost - self_service_cost)
