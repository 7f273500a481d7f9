from datetime import date, datetime, timedelta

from selfservice_portal.demo import catalog_plan, fulfilment_plan
from selfservice_portal.service_catalog import plans

NOW = datetime(2026, 12, 3, 10, 0)


def test_plan_is_deterministic_and_keys_are_unique():
	first = fulfilment_plan.plan_requests(NOW)
	assert first == fulfilment_plan.plan_requests(NOW)
	keys = [(r.service, r.key) for r in first]
	assert len(keys) == len(set(keys))
	# Another day finds the same people, so a re-run tomorrow adds nothing twice.
	assert {r.key for r in fulfilment_plan.plan_requests(NOW + timedelta(days=1))} & {r.key for r in first}


def test_both_services_over_a_year_and_never_the_future():
	requests = fulfilment_plan.plan_requests(NOW)
	assert {r.service for r in requests} == set(fulfilment_plan.SERVICE_TITLES)
	assert len(requests) >= 30
	assert min(r.submitted_at for r in requests) <= NOW - timedelta(days=330)
	months = {r.submitted_at.strftime("%Y-%m") for r in requests}
	assert len(months) >= 12
	for r in requests:
		moments = [
			r.submitted_at,
			r.decided_at,
			*(t.started_at for t in r.tasks),
			*(t.resolved_at for t in r.tasks),
		]
		assert all(m is None or m <= NOW for m in moments)
	assert [r.submitted_at for r in requests] == sorted(r.submitted_at for r in requests)


def test_tasks_follow_the_plan_graph():
	for r in fulfilment_plan.plan_requests(NOW):
		begins = r.decided_at if r.needs_approval else r.submitted_at
		done = {}
		for task in r.tasks:
			waits = fulfilment_plan.WAITS_FOR[r.service][task.label]
			if task.started_at is not None:
				assert task.started_at >= begins
				assert all(done[w] is not None and done[w] <= task.started_at for w in waits)
			if task.resolved_at is not None:
				assert task.started_at is not None and task.resolved_at >= task.started_at
			done[task.label] = task.resolved_at
		if r.is_rejected or (r.needs_approval and r.decided_at is None):
			assert r.tasks == () and r.resolved_at is None


def test_approval_only_for_onboarding_and_some_rejected():
	requests = fulfilment_plan.plan_requests(NOW)
	onboarding = [r for r in requests if r.service == fulfilment_plan.ONBOARDING]
	assert all(r.needs_approval for r in onboarding)
	assert not any(r.needs_approval for r in requests if r.service == fulfilment_plan.LEAVING)
	assert any(r.is_rejected for r in onboarding)
	assert all(r.decided_at >= r.submitted_at for r in onboarding if r.decided_at)


def test_access_is_revoked_on_the_leaving_date_give_or_take_a_day():
	for r in fulfilment_plan.plan_requests(NOW):
		if r.service != fulfilment_plan.LEAVING:
			continue
		leaving = date.fromisoformat(r.answers["leaving_date"])
		for task in r.tasks:
			if task.label == "Revoke access" and task.resolved_at:
				assert leaving <= task.resolved_at.date() <= leaving + timedelta(days=3)


def test_some_requests_miss_the_promise_and_some_are_still_open():
	requests = fulfilment_plan.plan_requests(NOW)
	promises = {title: hours for title, _k, _s, hours, *_rest in catalog_plan.SERVICES["HR"]}
	late = [
		r
		for r in requests
		if r.resolved_at and (r.resolved_at - r.submitted_at).total_seconds() > promises[r.service] * 3600
	]
	fulfilled = [r for r in requests if r.resolved_at]
	assert late and len(late) < len(fulfilled) / 2
	assert any(r.resolved_at is None and not r.is_rejected for r in requests)


def test_resolutions_fall_in_office_hours():
	for r in fulfilment_plan.plan_requests(NOW):
		for task in r.tasks:
			if task.resolved_at:
				assert task.resolved_at.weekday() < 5
				assert 8 <= task.resolved_at.hour <= 18


def test_demo_plans_are_valid_graphs_with_the_forms_date_fields():
	for (department, title), tasks in fulfilment_plan.PLANS.items():
		service = next(s for s in catalog_plan.SERVICES[department] if s[0] == title)
		labels = {f["label"] for f in service[4]}
		ids = {t["task_label"]: t["task_label"] for t in tasks}
		graph = [
			plans.PlanTask(t["task_label"], t["task_label"], plans.resolve_waits_for(ids, t["waits_for"])[0])
			for t in tasks
		]
		assert plans.check_plan(graph) == []
		for t in tasks:
			assert not t["date_field"] or t["date_field"] in labels
			assert set(plans.split_names(t["answer_fields"])) <= labels
		assert [t["task_label"] for t in tasks] == list(fulfilment_plan.WAITS_FOR[title])
		assert {
			t["task_label"]: tuple(plans.split_names(t["waits_for"])) for t in tasks
		} == fulfilment_plan.WAITS_FOR[title]
