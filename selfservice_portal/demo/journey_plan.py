"""A year of portal journeys for the demo, frappe-free and deterministic.

The knowledge base gets better over the year, so the share of journeys that end without a ticket
grows; a few searches never find anything (the knowledge gaps the reports should surface).
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

SEED = 4242
GAP_QUERIES = ("printer toner", "parking permit", "parental leave policy", "mobile phone contract")
GOOD_QUERIES = ("reset password", "vpn", "laptop", "leave", "business trip", "expense report", "visitor pass")
# (milestone day offset from the start of the year, label, kind)
MILESTONES = (
	(20, "Portal launch", "Portal Launch"),
	(45, "Announcement to all staff", "Announcement"),
	(180, "Contest starts", "Contest Start"),
	(300, "Award ceremony", "Award Ceremony"),
)
CHANNEL_COSTS = {
	"Portal": 2.5,
	"Email": 8,
	"Phone": 12,
	"Messenger": 6,
	"Chat": 6,
	"Walk-in": 15,
	"API": 1,
	"Other": 10,
}


@dataclass(frozen=True)
class PlannedEvent:
	key: str  # stable name, so re-runs insert nothing twice
	at: datetime
	user: str
	event_type: str
	article_title: str | None = None
	query: str | None = None
	result_count: int | None = None


def plan_events(
	today: date,
	users: list[str],
	article_titles: list[str],
	days: int = 365,
	per_day: int = 8,
	seed: int = SEED,
) -> list[PlannedEvent]:
	rng = random.Random(seed)
	start = today - timedelta(days=days)
	events: list[PlannedEvent] = []
	for day in range(days - 4):  # the last days stay empty: their deflection window is still open
		progress = day / days
		current = start + timedelta(days=day)
		for j in range(rng.randint(per_day // 2, per_day)):
			user = rng.choice(users)
			at = datetime.combine(current, datetime.min.time()) + timedelta(hours=8 + rng.random() * 9)
			prefix = f"demoev-{current:%Y%m%d}-{j:02d}"
			step = 0

			def add(kind: str, **kw: str | int | None) -> None:
				nonlocal at, step
				events.append(PlannedEvent(f"{prefix}-{step}", at, user, kind, **kw))
				at += timedelta(minutes=rng.randint(1, 6))
				step += 1

			if rng.random() < 0.15:
				add("KB Search", query=rng.choice(GAP_QUERIES), result_count=0)
				if rng.random() < 0.6:
					add("New Ticket Opened")
					add("Ticket Submitted")
				continue
			add("KB Search", query=rng.choice(GOOD_QUERIES), result_count=rng.randint(1, 5))
			title = rng.choice(article_titles)
			add("Article View", article_title=title)
			solved = rng.random() < 0.35 + 0.4 * progress
			if solved:
				if rng.random() < 0.4:
					add("Article Helpful", article_title=title)
			else:
				if rng.random() < 0.3:
					add("Article Not Helpful", article_title=title)
				add("New Ticket Opened")
				add("Ticket Submitted")
	return events
