"""What the demo seeds, as plain data: deterministic, frappe-free, unit-tested with pytest.

The seeder (``demo.seed``) turns this plan into Helpdesk records; keeping the plan pure lets us check
its shape (channel mix, dates, uniqueness) without a site, and keeps re-runs reproducible.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

DEMO_DOMAIN = "acme.example"
CUSTOMER_NAME = "Acme Corp"
SEED = 20261124
HISTORY_DAYS = 365


@dataclass(frozen=True)
class Department:
	team: str
	agent_emails: tuple[str, ...]
	subjects: tuple[str, ...]


@dataclass(frozen=True)
class Person:
	email: str
	first_name: str
	last_name: str


@dataclass(frozen=True)
class Article:
	category: str
	title: str
	content: str


@dataclass(frozen=True)
class Ticket:
	subject: str
	raised_by: str
	team: str
	channel: str
	opened_on: date
	is_resolved: bool


DEPARTMENTS: tuple[Department, ...] = (
	Department(
		"IT",
		(f"ivan.it@{DEMO_DOMAIN}", f"olga.it@{DEMO_DOMAIN}"),
		(
			"Laptop does not start",
			"Cannot connect to VPN",
			"Need access to the CRM",
			"Printer on floor 3 is jammed",
			"Password reset for email",
			"New monitor request",
		),
	),
	Department(
		"HR",
		(f"hanna.hr@{DEMO_DOMAIN}",),
		(
			"Leave request for next week",
			"Certificate of employment",
			"Question about payslip",
			"Business trip to Berlin",
		),
	),
	Department(
		"Facilities",
		(f"felix.fac@{DEMO_DOMAIN}",),
		(
			"Broken office chair",
			"Building pass for a visitor",
			"Air conditioning too cold",
			"Office supplies: notebooks",
		),
	),
	Department(
		"Legal",
		(f"lena.legal@{DEMO_DOMAIN}",),
		("NDA review for a supplier", "Contract template request", "Power of attorney"),
	),
	Department(
		"Accounting",
		(f"anton.acc@{DEMO_DOMAIN}",),
		("Expense report reimbursement", "Invoice from supplier not paid", "Cost centre question"),
	),
)

_FIRST = (
	"Anna",
	"Boris",
	"Clara",
	"Dmitri",
	"Elena",
	"Farid",
	"Greta",
	"Hugo",
	"Irina",
	"Jonas",
	"Kira",
	"Leo",
)
_LAST = ("Novak", "Berg", "Costa", "Ivanov", "Larsen", "Haddad", "Schmidt", "Moreau", "Petrova", "Weber")

PORTAL_USERS: tuple[Person, ...] = tuple(
	Person(f"{first.lower()}.{last.lower()}@{DEMO_DOMAIN}", first, last)
	for first, last in zip(_FIRST, _LAST * 2, strict=False)
)

ARTICLES: tuple[Article, ...] = (
	Article(
		"IT",
		"How to reset your password",
		"<p>Open the account page, choose <b>Reset password</b> and follow the e-mail link.</p>",
	),
	Article(
		"IT",
		"Connecting to the VPN from home",
		"<p>Install the VPN client, sign in with your company account and pick the nearest gateway.</p>",
	),
	Article(
		"IT",
		"My laptop does not start",
		"<p>Hold the power button for 15 seconds, connect the charger and try again before raising a request.</p>",
	),
	Article(
		"HR",
		"How to request leave",
		"<p>Use the <i>Leave</i> service in the HR catalog at least five days before your leave.</p>",
	),
	Article(
		"HR",
		"Business trips: what to prepare",
		"<p>Get your manager's approval, then book through the travel desk.</p>",
	),
	Article(
		"Facilities",
		"Ordering furniture and office supplies",
		"<p>Pick the item in the Facilities catalog; standard items arrive within three days.</p>",
	),
	Article(
		"Facilities",
		"Visitor building passes",
		"<p>Request the pass one day ahead and give the visitor's full name.</p>",
	),
	Article(
		"Accounting",
		"Submitting an expense report",
		"<p>Attach the receipts and submit before the 25th of the month.</p>",
	),
)

# Channel mix of the first months (before the portal took off) and of the last ones: the demo shows
# the shift to the portal that the product is meant to produce.
_EARLY_MIX = {"Email": 40, "Phone": 30, "Portal": 10, "Messenger": 8, "Walk-in": 7, "Chat": 3, "API": 2}
_LATE_MIX = {"Portal": 45, "Email": 20, "Phone": 15, "Messenger": 10, "Chat": 5, "Walk-in": 3, "API": 2}


def channel_weights(progress: float) -> dict[str, float]:
	"""Linear blend between the early and the late channel mix; progress 0 → early, 1 → late."""
	progress = min(max(progress, 0.0), 1.0)
	channels = sorted(set(_EARLY_MIX) | set(_LATE_MIX))
	return {c: _EARLY_MIX.get(c, 0) * (1 - progress) + _LATE_MIX.get(c, 0) * progress for c in channels}


def plan_tickets(today: date, count: int = 150, seed: int = SEED) -> list[Ticket]:
	"""Tickets spread over the last year, oldest first; the same arguments give the same plan."""
	rng = random.Random(seed)
	start = today - timedelta(days=HISTORY_DAYS)
	tickets: list[Ticket] = []
	seen: set[tuple[str, str, date]] = set()
	for i in range(count):
		day_offset = int(HISTORY_DAYS * i / count) + rng.randint(0, 2)
		opened_on = min(start + timedelta(days=day_offset), today)
		weights = channel_weights(day_offset / HISTORY_DAYS)
		channel = rng.choices(list(weights), weights=list(weights.values()))[0]
		department = rng.choice(DEPARTMENTS)
		subject = rng.choice(department.subjects)
		person = rng.choice(PORTAL_USERS)
		key = (subject, person.email, opened_on)
		if key in seen:
			continue
		seen.add(key)
		tickets.append(
			Ticket(
				subject=subject,
				raised_by=person.email,
				team=department.team,
				channel=channel,
				opened_on=opened_on,
				is_resolved=(today - opened_on).days > 7,
			)
		)
	return tickets
