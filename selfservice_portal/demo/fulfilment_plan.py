"""The demo's fulfilment plans (``PLANS``, per service) and a year of onboarding and leaving requests,
as plain data: which requests, when they were approved, when each task started and was resolved. Deterministic and frappe-free (pytest checks
its shape); ``demo.fulfilment_history`` replays it through the real catalog code and back-dates it.

Times follow the plan's graph: a task starts when the tasks it waits for are resolved, and a task due
on a date of the form (access revoked on the leaving date) is done on that date, give or take. Some
tasks run late on purpose (laptops wait for stock), so the Fulfilment report has a slowest task and
requests outside their promise. Anything planned after ``now`` has not happened yet: recent requests
are still waiting for approval or for their last tasks.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from selfservice_portal.demo.plan import PORTAL_USERS

TASK_FIELDS = ("task_label", "department", "description", "waits_for", "date_field", "offset_days")


def task(label: str, department: str, description: str, *then: str | int, answers: str = "") -> dict:
	"""A plan task; ``then`` is what it waits for, the form's date field and the offset in days."""
	values = (label, department, description, *then, *("", "", 0)[len(then) :])
	return {**dict(zip(TASK_FIELDS, values, strict=True)), "answer_fields": answers}


# (department, service title) -> the service's fulfilment plan
PLANS = {
	("HR", "New employee onboarding"): [
		task("Contract", "HR", "Prepare the employment contract and have it signed before the start date."),
		task(
			"IT account and laptop",
			"IT",
			"Create the accounts and hand over a laptop on the first day.",
			"Contract",
			"Start date",
			0,
			answers="Employee name, Start date, Job title",
		),
		task(
			"Desk and building pass",
			"Facilities",
			"Prepare a desk and a building pass for the first day.",
			"Contract",
			"Start date",
			0,
			answers="Employee name, Start date, Room",
		),
	],
	("HR", "Employee leaving"): [
		task("Exit paperwork", "HR", "Final payslip, certificate of employment and the exit interview."),
		task(
			"Revoke access",
			"IT",
			"Disable every account at the end of the last day and collect the equipment.",
			"Exit paperwork",
			"Leaving date",
			0,
			answers="Employee name, Leaving date, Equipment to return",
		),
		task(
			"Collect building pass",
			"Facilities",
			"Collect the building pass on the last day.",
			"Exit paperwork",
			"Leaving date",
			0,
			answers="Employee name, Leaving date",
		),
	],
}

SEED = 20261203
HISTORY_DAYS = 365
ONBOARDING = "New employee onboarding"
LEAVING = "Employee leaving"
SERVICE_TITLES = (ONBOARDING, LEAVING)

# Task label -> (hours it usually takes, hours it takes when it goes badly, how often it goes badly).
TASK_TIMES = {
	ONBOARDING: {
		"Contract": (8, 40, 0.15),
		"IT account and laptop": (16, 120, 0.25),  # laptops wait for stock
		"Desk and building pass": (8, 30, 0.1),
	},
	LEAVING: {
		"Exit paperwork": (12, 48, 0.15),
		"Revoke access": (0, 0, 0.0),  # on the leaving date, see DATED_TASKS
		"Collect building pass": (0, 0, 0.0),
	},
}
# Tasks done on the answered date (label -> the answer's key), as the plan's date field and offset say.
DATED_TASKS = {LEAVING: {"Revoke access": "leaving_date", "Collect building pass": "leaving_date"}}
WAITS_FOR = {
	ONBOARDING: {
		"Contract": (),
		"IT account and laptop": ("Contract",),
		"Desk and building pass": ("Contract",),
	},
	LEAVING: {
		"Exit paperwork": (),
		"Revoke access": ("Exit paperwork",),
		"Collect building pass": ("Exit paperwork",),
	},
}
JOB_TITLES = ("Accountant", "Sales manager", "Developer", "Designer", "Buyer", "Analyst", "Recruiter")
ROOMS = ("1.04", "1.12", "2.01", "2.17", "3.08", "3.14")
_FIRST = ("Amir", "Bea", "Carl", "Dana", "Emil", "Fay", "Gil", "Hana", "Ines", "Jan", "Kai", "Lea", "Mira")
_LAST = ("Adler", "Brandt", "Cruz", "Dahl", "Engel", "Falk", "Gray", "Holm", "Iqbal", "Jovanovic")


@dataclass(frozen=True)
class PlannedTask:
	label: str
	started_at: datetime | None  # None: still waiting for earlier tasks
	resolved_at: datetime | None  # None: not done yet


@dataclass(frozen=True)
class PlannedRequest:
	key: str  # the employee's name: one request per person and service, how a re-run finds it
	service: str
	requester: str
	submitted_at: datetime
	answers: dict
	needs_approval: bool
	decided_at: datetime | None  # None: still waiting for the manager
	is_rejected: bool = False
	tasks: tuple[PlannedTask, ...] = field(default_factory=tuple)

	@property
	def resolved_at(self) -> datetime | None:
		"""The request is fulfilled when its last task is."""
		if self.is_rejected or not self.tasks or any(t.resolved_at is None for t in self.tasks):
			return None
		return max(t.resolved_at for t in self.tasks)


def working_time(day: date, rng: random.Random) -> datetime:
	"""A moment of office hours on ``day`` (moved to Monday when it falls on a weekend)."""
	while day.weekday() >= 5:
		day += timedelta(days=1)
	return datetime.combine(day, time(8, 30)) + timedelta(minutes=rng.randint(0, 8 * 60))


def in_office(moment: datetime, rng: random.Random) -> datetime:
	"""People act in office hours: a moment in the evening or at the weekend moves to the next
	working morning. Whole seconds, as the database keeps them."""
	moment = moment.replace(microsecond=0)
	opens, closes = time(8, 30), time(17, 30)
	if moment.weekday() < 5 and opens <= moment.time() <= closes:
		return moment
	day = moment.date() + timedelta(days=int(moment.time() > closes))
	while day.weekday() >= 5:
		day += timedelta(days=1)
	return datetime.combine(day, opens) + timedelta(minutes=rng.randint(0, 90))


def task_hours(service: str, label: str, rng: random.Random) -> float:
	usual, bad, bad_share = TASK_TIMES[service][label]
	hours = bad * rng.uniform(0.7, 1.3) if rng.random() < bad_share else usual * rng.uniform(0.3, 1.4)
	return max(hours, 0.5)


def plan_tasks(
	service: str, start: datetime, answers: dict, now: datetime, rng: random.Random
) -> tuple[PlannedTask, ...]:
	"""Each task in plan order: started when its predecessors are resolved, resolved some hours later
	(or on its date); anything after ``now`` has not happened."""
	done: dict[str, datetime | None] = {}
	tasks = []
	for label, waits_for in WAITS_FOR[service].items():
		before = [done[w] for w in waits_for]
		started = max([start, *before]) if all(before) else None
		if started is not None and started > now:
			started = None
		resolved = None
		if started is not None:
			dated = DATED_TASKS.get(service, {}).get(label)
			if dated:
				day = date.fromisoformat(answers[dated]) + timedelta(days=int(rng.random() < 0.15))
				resolved = max(working_time(day, rng), started + timedelta(minutes=rng.randint(20, 180)))
			else:
				resolved = in_office(started + timedelta(hours=task_hours(service, label, rng)), rng)
			if resolved > now:
				resolved = None
		done[label] = resolved
		tasks.append(PlannedTask(label, started, resolved))
	return tuple(tasks)


def employee_names(rng: random.Random) -> list[str]:
	names = [f"{first} {last}" for first in _FIRST for last in _LAST]
	rng.shuffle(names)
	return names


def plan_requests(
	now: datetime, onboardings: int = 24, leavings: int = 12, seed: int = SEED
) -> list[PlannedRequest]:
	"""Onboarding and leaving requests spread over the year before ``now``, oldest first. The same
	arguments give the same plan; employee names are unique, so a re-run on another day finds them."""
	rng = random.Random(seed)
	names = employee_names(rng)
	requesters = [p.email for p in PORTAL_USERS]
	start = now - timedelta(days=HISTORY_DAYS)
	planned = []
	counts = ((ONBOARDING, onboardings), (LEAVING, leavings))
	for service, count in counts:
		for i in range(count):
			day = start.date() + timedelta(days=int(HISTORY_DAYS * (i + rng.random()) / count))
			submitted = working_time(day, rng)
			if submitted >= now:
				continue
			name = names.pop()
			if service == ONBOARDING:
				# Managers ask for new hires; the first portal user's manager is an agent, not a user here.
				requester = rng.choice(requesters[1:])
				answers = {
					"employee_name": name,
					"start_date": (submitted.date() + timedelta(days=rng.randint(10, 30))).isoformat(),
					"job_title": rng.choice(JOB_TITLES),
					"room": rng.choice(ROOMS),
				}
				decided = in_office(submitted + timedelta(hours=rng.uniform(1, 30)), rng)
				rejected = rng.random() < 0.06
				if decided > now:
					decided, rejected = None, False
			else:
				requester = rng.choice(requesters)
				answers = {
					"employee_name": name,
					"leaving_date": (submitted.date() + timedelta(days=rng.randint(3, 12))).isoformat(),
					"equipment_to_return": rng.choice(("Laptop", "Laptop and monitor", "Laptop and phone")),
				}
				decided, rejected = None, False
			begins = decided if service == ONBOARDING else submitted
			tasks = () if begins is None or rejected else plan_tasks(service, begins, answers, now, rng)
			planned.append(
				PlannedRequest(
					key=name,
					service=service,
					requester=requester,
					submitted_at=submitted,
					answers=answers,
					needs_approval=service == ONBOARDING,
					decided_at=decided,
					is_rejected=rejected,
					tasks=tasks,
				)
			)
	return sorted(planned, key=lambda r: r.submitted_at)
