from selfservice_portal.demo import catalog_plan, plan
from selfservice_portal.service_catalog.form import FIELD_TYPES, make_fieldname

APPROVER_KINDS = {"Requester's Manager", "Department Head", "Role", "User"}


def services():
	for department, items in catalog_plan.SERVICES.items():
		for item in items:
			yield department, item


def test_five_departments_and_at_least_25_services():
	assert set(catalog_plan.SERVICES) == {d.team for d in plan.DEPARTMENTS}
	assert len(list(services())) >= 25


def test_forms_make_sense():
	for _department, (title, kind, short, hours, fields, _steps, _related) in services():
		assert kind in ("Service Request", "Incident") and short and hours > 0, title
		names = [make_fieldname(f["label"]) for f in fields]
		assert len(names) == len(set(names)), title
		for field in fields:
			assert field["fieldtype"] in FIELD_TYPES, (title, field)
			if field["fieldtype"] == "Select":
				assert field["options"], (title, field)


def test_some_services_need_approval_with_known_kinds():
	with_steps = [item for _d, item in services() if item[5]]
	assert 8 <= len(with_steps) < len(list(services()))
	assert {s["approver_type"] for item in with_steps for s in item[5]} <= APPROVER_KINDS


def test_related_articles_exist_in_the_demo_knowledge_base():
	titles = {a.title for a in plan.ARTICLES}
	assert all(set(item[6]) <= titles for _d, item in services())


def test_every_portal_user_has_a_manager():
	emails = [p.email for p in plan.PORTAL_USERS]
	managers = [catalog_plan.manager_of(i, emails) for i in range(len(emails))]
	assert all(managers) and all(m != e for m, e in zip(managers, emails, strict=True))
