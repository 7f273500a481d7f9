"""Fulfilment plans, frappe-free: a service's tasks, the order they wait for each other in, which are
ready to start, and the plan's progress in words.

A plan is a list of tasks; each names the earlier tasks it waits for. ``check_plan`` refuses a plan
that could never finish (a task waiting for itself, for a task that does not exist, or a cycle, named
as a path "A → B → A"). ``ready_tasks`` says which waiting tasks may start now, ``progress`` what a
person reads about the plan. service_catalog/fulfilment.py holds the Frappe side.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

# A task's state in a running plan (SSP Request Task.status).
WAITING, OPEN, RESOLVED, CANCELLED = "Waiting", "Open", "Resolved", "Cancelled"
FINISHED = (RESOLVED, CANCELLED)
MARKS = {RESOLVED: "✓", CANCELLED: "✗", OPEN: "…", WAITING: "…"}
SEPARATOR = re.compile(r"[,\n]")


@dataclass(frozen=True)
class PlanTask:
	task_id: str
	label: str
	waits_for: tuple[str, ...] = ()  # task ids


@dataclass(frozen=True)
class PlanProblem:
	"""Why a plan is refused: a message key and its arguments (labels), translated by the caller."""

	key: str
	args: tuple[str, ...] = ()


@dataclass
class Progress:
	done: int
	total: int
	items: list[tuple[str, str]] = field(default_factory=list)  # (label, state), in plan order

	@property
	def is_complete(self) -> bool:
		return self.total > 0 and self.done == self.total


def split_names(raw: str | None) -> tuple[str, ...]:
	"""A comma (or line) separated list as configured, without blanks or repeats, in order."""
	names: list[str] = []
	for part in SEPARATOR.split(raw or ""):
		part = " ".join(part.split())
		if part and part not in names:
			names.append(part)
	return tuple(names)


def resolve_waits_for(labels: dict[str, str], raw: str | None) -> tuple[tuple[str, ...], list[str]]:
	"""Task ids for the labels (or ids) in ``raw``; and the names that match no task.

	``labels`` maps each task's label (case-insensitive) and id to its id."""
	lookup = {k.casefold(): v for k, v in labels.items()}
	ids, unknown = [], []
	for name in split_names(raw):
		task_id = lookup.get(name.casefold())
		if task_id is None:
			unknown.append(name)
		elif task_id not in ids:
			ids.append(task_id)
	return tuple(ids), unknown


def find_cycle(tasks: list[PlanTask]) -> list[str] | None:
	"""A path of task ids that comes back to its start (["a", "b", "a"]), or None.

	Depth-first search over "waits for" edges; a task met again while still on the path closes a cycle.
	"""
	edges = {t.task_id: [w for w in t.waits_for] for t in tasks}
	state: dict[str, int] = {}  # 1 on the current path, 2 finished
	path: list[str] = []

	def visit(node: str) -> list[str] | None:
		state[node] = 1
		path.append(node)
		for nxt in edges.get(node, ()):
			if nxt not in edges:
				continue
			if state.get(nxt) == 1:
				return [*path[path.index(nxt) :], nxt]
			if state.get(nxt) is None:
				found = visit(nxt)
				if found:
					return found
		path.pop()
		state[node] = 2
		return None

	for task in tasks:
		if state.get(task.task_id) is None:
			found = visit(task.task_id)
			if found:
				return found
	return None


def check_plan(tasks: list[PlanTask]) -> list[PlanProblem]:
	"""Every reason the plan could never finish, labels named; empty when it is sound."""
	problems: list[PlanProblem] = []
	seen: set[str] = set()
	for task in tasks:
		key = task.label.casefold()
		if key in seen:
			problems.append(PlanProblem("duplicate label", (task.label,)))
		seen.add(key)
		if "," in task.label:
			problems.append(PlanProblem("label has a comma", (task.label,)))
	labels = {t.task_id: t.label for t in tasks}
	for task in tasks:
		if task.task_id in task.waits_for:
			problems.append(PlanProblem("waits for itself", (task.label,)))
		for other in task.waits_for:
			if other not in labels:
				problems.append(PlanProblem("waits for an unknown task", (task.label, other)))
	if not any(p.key == "waits for itself" for p in problems):
		cycle = find_cycle(tasks)
		if cycle:
			problems.append(PlanProblem("cycle", (" → ".join(labels[i] for i in cycle),)))
	return problems


def ready_tasks(tasks: list[PlanTask], states: dict[str, str]) -> list[str]:
	"""Ids of the waiting tasks whose predecessors are all resolved, in plan order.

	A task with no state yet is waiting; a cancelled predecessor never lets its successors start."""
	return [
		t.task_id
		for t in tasks
		if states.get(t.task_id, WAITING) == WAITING and all(states.get(w) == RESOLVED for w in t.waits_for)
	]


def waiting_on(task: PlanTask, states: dict[str, str], labels: dict[str, str]) -> list[str]:
	"""Labels of the predecessors ``task`` still waits for."""
	return [labels.get(w, w) for w in task.waits_for if states.get(w) != RESOLVED]


def progress(tasks: list[PlanTask], states: dict[str, str]) -> Progress:
	items = [(t.label, states.get(t.task_id, WAITING)) for t in tasks]
	return Progress(sum(1 for _, s in items if s == RESOLVED), len(items), items)


def progress_items(prog: Progress) -> str:
	"""'IT account ✓ · Laptop ✓ · Building pass …' (labels are data, the marks are not words)."""
	return " · ".join(f"{label} {MARKS.get(state, '…')}" for label, state in prog.items)


def due_date(answer: str | None, offset_days: int) -> date | None:
	"""The date a task is due: a Date answer (YYYY-MM-DD) moved by ``offset_days``; None without one."""
	if not answer:
		return None
	try:
		start = date.fromisoformat(str(answer).strip()[:10])
	except ValueError:
		return None
	return start + timedelta(days=int(offset_days or 0))


def render_task_description(
	intro: str, instructions: str, answers: list[tuple[str, str]], due_line: str = ""
) -> str:
	"""A task ticket's description: where it comes from, what to do, the answers it needs. Escaped."""
	rows = "".join(
		f"<tr><th>{html.escape(label)}</th><td>{html.escape(value).replace(chr(10), '<br>')}</td></tr>"
		for label, value in answers
	)
	parts = [f"<p>{html.escape(intro)}</p>"]
	if due_line:
		parts.append(f"<p><strong>{html.escape(due_line)}</strong></p>")
	if instructions:
		parts.append(f"<p>{html.escape(instructions).replace(chr(10), '<br>')}</p>")
	if rows:
		parts.append(f"<table>{rows}</table>")
	return "".join(parts)
