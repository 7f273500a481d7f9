"""Fulfilment plans, frappe-free: loops refused with their path, which tasks are ready, progress."""

from datetime import date

from selfservice_portal.service_catalog.plans import (
	CANCELLED,
	OPEN,
	RESOLVED,
	WAITING,
	PlanTask,
	check_plan,
	due_date,
	find_cycle,
	progress,
	progress_items,
	ready_tasks,
	render_task_description,
	resolve_waits_for,
	split_names,
	waiting_on,
)

ONBOARDING = [
	PlanTask("contract", "Contract"),
	PlanTask("account", "IT account", ("contract",)),
	PlanTask("laptop", "Laptop", ("account",)),
	PlanTask("pass", "Building pass", ("contract",)),
]


def keys(problems):
	return [(p.key, p.args) for p in problems]


def test_a_sound_plan_has_no_problems():
	assert check_plan(ONBOARDING) == []
	assert find_cycle(ONBOARDING) is None


def test_a_task_waiting_for_itself_is_refused():
	plan = [PlanTask("a", "A", ("a",))]
	assert keys(check_plan(plan)) == [("waits for itself", ("A",))]


def test_a_cycle_is_refused_with_its_path():
	plan = [PlanTask("a", "A", ("c",)), PlanTask("b", "B", ("a",)), PlanTask("c", "C", ("b",))]
	assert find_cycle(plan) == ["a", "c", "b", "a"]
	assert keys(check_plan(plan)) == [("cycle", ("A → C → B → A",))]


def test_a_cycle_behind_a_sound_start_is_found():
	plan = [
		PlanTask("start", "Start"),
		PlanTask("x", "X", ("start", "y")),
		PlanTask("y", "Y", ("x",)),
	]
	assert keys(check_plan(plan)) == [("cycle", ("X → Y → X",))]


def test_duplicate_labels_commas_and_unknown_tasks_are_refused():
	plan = [PlanTask("a", "Pass"), PlanTask("b", "pass"), PlanTask("c", "A, B", ("zz",))]
	assert keys(check_plan(plan)) == [
		("duplicate label", ("pass",)),
		("label has a comma", ("A, B",)),
		("waits for an unknown task", ("A, B", "zz")),
	]


def test_waits_for_resolves_labels_and_ids_case_insensitively():
	labels = {"IT account": "account", "account": "account", "Laptop": "laptop", "laptop": "laptop"}
	assert resolve_waits_for(labels, "it ACCOUNT,\nLaptop, laptop") == (("account", "laptop"), [])
	assert resolve_waits_for(labels, "Desk") == ((), ["Desk"])
	assert split_names(" a ,, b\n a ") == ("a", "b")


def test_ready_tasks_follow_their_predecessors():
	assert ready_tasks(ONBOARDING, {}) == ["contract"]
	states = {"contract": RESOLVED, "account": WAITING, "laptop": WAITING, "pass": WAITING}
	assert ready_tasks(ONBOARDING, states) == ["account", "pass"]
	states.update(account=OPEN, **{"pass": OPEN})
	assert ready_tasks(ONBOARDING, states) == []
	states["account"] = RESOLVED
	assert ready_tasks(ONBOARDING, states) == ["laptop"]


def test_a_cancelled_predecessor_starts_nothing():
	assert ready_tasks(ONBOARDING, {"contract": CANCELLED}) == []


def test_waiting_on_names_what_is_not_done():
	labels = {t.task_id: t.label for t in ONBOARDING}
	assert waiting_on(ONBOARDING[2], {"account": OPEN}, labels) == ["IT account"]
	assert waiting_on(ONBOARDING[2], {"account": RESOLVED}, labels) == []


def test_progress_in_plan_order():
	plan = [PlanTask("a", "IT account"), PlanTask("b", "Laptop"), PlanTask("c", "Building pass")]
	prog = progress(plan, {"a": RESOLVED, "b": RESOLVED, "c": OPEN})
	assert (prog.done, prog.total, prog.is_complete) == (2, 3, False)
	assert progress_items(prog) == "IT account ✓ · Laptop ✓ · Building pass …"
	assert progress(plan, dict.fromkeys("abc", RESOLVED)).is_complete
	assert not progress([], {}).is_complete


def test_due_date_moves_the_answered_date():
	assert due_date("2027-01-31", 0) == date(2027, 1, 31)
	assert due_date("2027-01-31", 1) == date(2027, 2, 1)
	assert due_date("2027-01-31", -2) == date(2027, 1, 29)
	assert due_date("", 3) is None and due_date("not a date", 0) is None


def test_task_description_escapes_everything():
	text = render_task_description("Task <b>", "Do <i>it</i>", [("Name", "<script>x</script>")], "Due")
	assert "<script>" not in text and "&lt;script&gt;" in text and "Task &lt;b&gt;" in text
	assert "<strong>Due</strong>" in text
