"""Fulfilment plans on a real site: tasks become tickets for their teams, wait for each other, resolve
the request exactly once (two real processes), are cancelled with it, and stay within their team."""

import json
import subprocess
import sys
import time

import frappe
from frappe.utils import get_bench_path

from selfservice_portal.api import catalog as api
from selfservice_portal.service_catalog import fulfilment, home, plan_progress, requests
from selfservice_portal.service_catalog.catalog import clear_catalog_cache
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.security_fixtures import restrict_tickets_by_team
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_department,
	make_portal_user,
	make_service,
	make_team,
)

FIELDS = [
	{"label": "Employee", "fieldtype": "Data", "is_required": 1},
	{"label": "Start date", "fieldtype": "Date", "is_required": 1},
	{"label": "Salary", "fieldtype": "Data"},
]
ANSWERS = {"employee": "Ada Lovelace", "start_date": "2027-03-01", "salary": "Secret 90k"}


class PlanTestCase(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.agents, cls.departments = {}, {}
		for key in ("hr", "it", "fac"):
			cls.agents[key] = make_agent(first_name=key.upper())
			cls.departments[key] = make_department(team=make_team(agents=(cls.agents[key],)))
		cls.requester = make_portal_user(first_name="Requester")
		cls.manager = make_portal_user(first_name="Manager")
		frappe.db.set_value("User", cls.requester, "ssp_manager", cls.manager)

	def setUp(self):
		clear_catalog_cache()
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")

	def onboarding(self, **kw) -> str:
		"""Contract (HR) → IT account → Laptop (IT); Contract → Building pass (Facilities), due the day
		before the start date and shown only the employee and the start date."""
		d = self.departments
		tasks = kw.pop("tasks", None) or [
			{"task_label": "Contract", "department": d["hr"], "description": "Sign it"},
			{"task_label": "IT account", "department": d["it"], "waits_for": "Contract"},
			{"task_label": "Laptop", "department": d["it"], "waits_for": "it account"},
			{
				"task_label": "Building pass",
				"department": d["fac"],
				"waits_for": "Contract",
				"date_field": "Start date",
				"offset_days": -1,
				"answer_fields": "Employee, start_date",
			},
		]
		return make_service(d["hr"], title="Onboarding", fields=FIELDS, plan_tasks=tasks, **kw)

	def submit(self, service: str, answers: dict | None = None) -> dict:
		frappe.set_user(self.requester)
		try:
			return api.submit_request(service, answers or ANSWERS)
		finally:
			frappe.set_user("Administrator")

	def tasks(self, request: str) -> dict:
		return fulfilment.task_rows(request)

	def resolve(self, ticket: str, user: str | None = None, status: str = "Resolved") -> None:
		frappe.set_user(user or "Administrator")
		try:
			doc = frappe.get_doc("HD Ticket", ticket)
			doc.status = status
			doc.save()
		finally:
			frappe.set_user("Administrator")


class TestPlanDefinition(PlanTestCase):
	def test_a_loop_is_refused_with_its_path(self):
		d = self.departments
		with self.assertRaises(frappe.ValidationError) as caught:
			make_service(
				d["hr"],
				plan_tasks=[
					{"task_label": "A", "department": d["hr"], "waits_for": "C"},
					{"task_label": "B", "department": d["it"], "waits_for": "A"},
					{"task_label": "C", "department": d["it"], "waits_for": "B"},
				],
			)
		self.assertIn("A → C → B → A", str(caught.exception))

	def test_a_task_waiting_for_itself_or_an_unknown_task_is_refused(self):
		d = self.departments
		with self.assertRaises(frappe.ValidationError) as caught:
			make_service(d["hr"], plan_tasks=[{"task_label": "A", "department": d["hr"], "waits_for": "A"}])
		self.assertIn("waits for itself", str(caught.exception))
		with self.assertRaises(frappe.ValidationError) as caught:
			make_service(d["hr"], plan_tasks=[{"task_label": "A", "department": d["hr"], "waits_for": "Z"}])
		self.assertIn("not a task of this plan", str(caught.exception))

	def test_dates_and_answers_must_be_fields_of_the_form(self):
		d = self.departments
		for task in (
			{"task_label": "A", "department": d["hr"], "date_field": "Employee"},
			{"task_label": "A", "department": d["hr"], "answer_fields": "Shoe size"},
		):
			with self.assertRaises(frappe.ValidationError):
				make_service(d["hr"], fields=FIELDS, plan_tasks=[task])

	def test_task_ids_stay_when_a_task_is_renamed(self):
		service = frappe.get_doc("SSP Service", self.onboarding())
		self.assertEqual(
			[t.task_id for t in service.plan_tasks], ["contract", "it_account", "laptop", "building_pass"]
		)
		service.plan_tasks[0].task_label = "Employment contract"
		service.plan_tasks[1].waits_for = "Employment contract"
		service.plan_tasks[3].waits_for = "Employment contract"
		service.save()
		self.assertEqual(service.plan_tasks[0].task_id, "contract")

	def test_a_requester_cannot_change_a_plan_or_a_task(self):
		service = self.onboarding()
		result = self.submit(service)
		row = next(iter(self.tasks(result["request"]).values()))
		frappe.set_user(self.requester)
		doc = frappe.get_doc("SSP Service", service)
		doc.plan_tasks[0].task_label = "Nothing"
		self.assertRaises(frappe.PermissionError, doc.save)
		task = frappe.get_doc("SSP Request Task", row.name)
		task.status = "Resolved"
		self.assertRaises(frappe.PermissionError, task.save)
		# Nor make their own ticket (or anyone's) part of a plan.
		ticket = frappe.get_doc("HD Ticket", result["ticket"])
		ticket.ssp_plan_task = row.name
		self.assertRaises(frappe.PermissionError, ticket.save)
		frappe.set_user(self.agents["hr"])
		ticket = frappe.get_doc("HD Ticket", row.hd_ticket)
		ticket.ssp_parent_ticket = None
		self.assertRaises(frappe.PermissionError, ticket.save)


class TestPlanRun(PlanTestCase):
	def test_waiting_tasks_start_when_their_predecessors_are_resolved(self):
		result = self.submit(self.onboarding())
		request = frappe.get_doc("SSP Request", result["request"])
		self.assertEqual(request.plan_status, "Running")
		rows = self.tasks(request.name)
		self.assertEqual(
			[(r.task_id, r.status) for r in rows.values()],
			[
				("contract", "Open"),
				("it_account", "Waiting"),
				("laptop", "Waiting"),
				("building_pass", "Waiting"),
			],
		)
		# A waiting task has no ticket: nobody can be assigned to it.
		self.assertEqual([bool(r.hd_ticket) for r in rows.values()], [True, False, False, False])
		contract = frappe.get_doc("HD Ticket", rows["contract"].hd_ticket)
		self.assertEqual(
			contract.agent_group, frappe.db.get_value("SSP Department", self.departments["hr"], "hd_team")
		)
		self.assertEqual(
			(contract.ssp_parent_ticket, contract.ssp_plan_task), (result["ticket"], rows["contract"].name)
		)
		self.assertEqual(contract.owner, "Administrator")
		self.assertIn("Sign it", contract.description)
		progress = plan_progress.get_plan_progress(result["ticket"], for_staff=True)
		self.assertEqual(
			progress["text"], "0 of 4 done: Contract … · IT account … · Laptop … · Building pass …"
		)
		self.assertEqual(progress["tasks"][2]["status_label"], "Waiting for IT account")

		self.resolve(contract.name, self.agents["hr"])
		rows = self.tasks(request.name)
		self.assertEqual([r.status for r in rows.values()], ["Resolved", "Open", "Waiting", "Open"])
		self.assertTrue(rows["contract"].resolved_on and rows["it_account"].started_on)
		it_ticket = frappe.get_doc("HD Ticket", rows["it_account"].hd_ticket)
		self.assertEqual(
			it_ticket.agent_group, frappe.db.get_value("SSP Department", self.departments["it"], "hd_team")
		)
		# The pass is due the day before the start date, and shows only the answers it needs.
		self.assertEqual(str(rows["building_pass"].due_on), "2027-02-28")
		pass_ticket = frappe.get_doc("HD Ticket", rows["building_pass"].hd_ticket)
		self.assertIn("Ada Lovelace", pass_ticket.description)
		self.assertNotIn("Secret 90k", pass_ticket.description)
		self.assertIn("Secret 90k", it_ticket.description)  # no selection: every answer

		self.resolve(it_ticket.name, self.agents["it"])
		self.resolve(rows["building_pass"].hd_ticket, self.agents["fac"])
		self.assertEqual(frappe.db.get_value("HD Ticket", result["ticket"], "status"), "Open")
		laptop = self.tasks(request.name)["laptop"].hd_ticket
		self.resolve(laptop, self.agents["it"], status="Closed")
		self.assertEqual(frappe.db.get_value("HD Ticket", result["ticket"], "status"), "Resolved")
		self.assertEqual(frappe.db.get_value("SSP Request", request.name, "plan_status"), "Completed")
		comments = frappe.get_all(
			"HD Ticket Comment", filters={"reference_ticket": result["ticket"]}, pluck="content"
		)
		self.assertEqual(len(comments), 1)
		self.assertIn("Contract ✓ · IT account ✓ · Laptop ✓ · Building pass ✓", comments[0])

	def test_the_portal_shows_one_request_and_its_progress(self):
		result = self.submit(self.onboarding())
		mine = requests.get_requests_of(self.requester)
		self.assertEqual(len([r for r in mine if r["name"] == result["request"]]), 1)
		text = next(r["status_text"] for r in mine if r["name"] == result["request"])
		self.assertEqual(text, "0 of 4 done: Contract … · IT account … · Laptop … · Building pass …")
		shown = next(r for r in home.open_requests(self.requester) if r["name"] == result["request"])
		self.assertEqual(shown["state"], text)
		# The requester sees the plan on their ticket, without the task tickets' numbers or answers.
		frappe.set_user(self.requester)
		progress = api.get_plan_progress(result["ticket"])
		self.assertEqual(progress["done"], 0)
		self.assertTrue(all(t["ticket"] is None for t in progress["tasks"]))
		self.assertNotIn("Secret", json.dumps(progress))
		# ...and never the task tickets themselves.
		task_ticket = self.tasks(result["request"])["contract"].hd_ticket
		self.assertFalse(frappe.has_permission("HD Ticket", doc=task_ticket, user=self.requester))

	def test_the_plan_starts_when_the_request_is_approved(self):
		service = self.onboarding(
			approval_steps=[{"approver_type": "Requester's Manager", "step_label": "Manager"}]
		)
		result = self.submit(service)
		self.assertEqual(frappe.db.get_value("SSP Request", result["request"], "plan_status"), "Not Started")
		self.assertEqual(self.tasks(result["request"]), {})
		frappe.set_user(self.manager)
		api.decide_approval(result["request"], "Approved", "")
		frappe.set_user("Administrator")
		rows = self.tasks(result["request"])
		self.assertEqual(rows["contract"].status, "Open")
		# The approver (a portal user) ran the spawning, yet does not own the task ticket.
		self.assertEqual(
			frappe.db.get_value("HD Ticket", rows["contract"].hd_ticket, "owner"), "Administrator"
		)

	def test_a_rejected_request_never_starts_its_plan(self):
		service = self.onboarding(
			approval_steps=[{"approver_type": "Requester's Manager", "step_label": "Manager"}]
		)
		result = self.submit(service)
		frappe.set_user(self.manager)
		api.decide_approval(result["request"], "Rejected", "No budget")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("SSP Request", result["request"], "plan_status"), "Cancelled")
		self.assertEqual(self.tasks(result["request"]), {})

	def test_spawning_is_idempotent(self):
		result = self.submit(self.onboarding())
		before = frappe.db.count("HD Ticket", {"ssp_parent_ticket": result["ticket"]})
		self.assertEqual(fulfilment.spawn_tasks(result["request"]), [])
		self.assertEqual(fulfilment.spawn_tasks(result["request"]), [])
		self.assertEqual(frappe.db.count("HD Ticket", {"ssp_parent_ticket": result["ticket"]}), before)
		self.assertEqual(frappe.db.count("SSP Request Task", {"request": result["request"]}), 4)
		# The keys behind it: one row per (request, task), one ticket per task row.
		row = self.tasks(result["request"])["contract"]
		duplicate = frappe.get_doc(
			{
				"doctype": "SSP Request Task",
				"request": result["request"],
				"task_id": "contract",
				"task_label": "x",
			}
		)
		duplicate.flags.name_set = True
		duplicate.name = "another name"
		self.assertRaises(frappe.UniqueValidationError, duplicate.insert, ignore_permissions=True)
		ticket = frappe.get_doc(
			{
				"doctype": "HD Ticket",
				"subject": "Twin",
				"raised_by": "Administrator",
				"ssp_plan_task": row.name,
			}
		)
		ticket.flags.ssp_plan = True
		self.assertRaises(frappe.UniqueValidationError, ticket.insert, ignore_permissions=True)

	def test_a_plan_change_applies_to_new_requests_only(self):
		service = self.onboarding()
		first = self.submit(service)
		doc = frappe.get_doc("SSP Service", service)
		doc.append("plan_tasks", {"task_label": "Welcome lunch", "department": self.departments["fac"]})
		doc.save()
		clear_catalog_cache()
		second = self.submit(service)
		self.assertEqual(len(plan_progress.get_plan_progress(first["ticket"], True)["tasks"]), 4)
		self.assertEqual(len(plan_progress.get_plan_progress(second["ticket"], True)["tasks"]), 5)
		fulfilment.spawn_tasks(first["request"])  # a later run of the job keeps the frozen plan
		self.assertNotIn("welcome_lunch", self.tasks(first["request"]))

	def test_closing_the_request_cancels_its_open_tasks(self):
		result = self.submit(self.onboarding())
		contract = self.tasks(result["request"])["contract"].hd_ticket
		self.resolve(result["ticket"], self.agents["hr"], status="Closed")
		rows = self.tasks(result["request"])
		self.assertEqual({r.status for r in rows.values()}, {"Cancelled"})
		self.assertEqual(frappe.db.get_value("HD Ticket", contract, "status"), "Closed")
		comment = frappe.get_all("HD Ticket Comment", filters={"reference_ticket": contract}, pluck="content")
		self.assertEqual(len(comment), 1)
		self.assertIn(result["ticket"], comment[0])
		self.assertEqual(frappe.db.get_value("SSP Request", result["request"], "plan_status"), "Cancelled")
		# Nothing starts after a cancellation, and the request's ticket is not resolved by the plan.
		self.assertEqual(fulfilment.spawn_tasks(result["request"]), [])
		self.assertEqual(frappe.db.get_value("HD Ticket", result["ticket"], "status"), "Closed")


class TestPlanPermissions(PlanTestCase):
	def setUp(self):
		super().setUp()
		restrict_tickets_by_team(True)

	def tearDown(self):
		restrict_tickets_by_team(False)
		# Committed: a ticket assignment under tests sends its notification at once, which commits the
		# transaction midway — and with it the restriction switched on in setUp.
		frappe.db.commit()  # nosemgrep
		super().tearDown()

	def test_agents_see_their_teams_tasks_and_the_progress_never_other_answers(self):
		result = self.submit(self.onboarding())
		self.resolve(self.tasks(result["request"])["contract"].hd_ticket)
		rows = self.tasks(result["request"])
		it, fac = self.agents["it"], self.agents["fac"]
		it_ticket, pass_ticket = rows["it_account"].hd_ticket, rows["building_pass"].hd_ticket
		self.assertTrue(frappe.has_permission("HD Ticket", doc=it_ticket, user=it))
		self.assertFalse(frappe.has_permission("HD Ticket", doc=pass_ticket, user=it))
		self.assertFalse(frappe.has_permission("HD Ticket", doc=it_ticket, user=fac))
		# The request's ticket (every answer) is HR's: the IT agent reads the plan through their task.
		self.assertFalse(frappe.has_permission("HD Ticket", doc=result["ticket"], user=it))
		frappe.set_user(it)
		self.assertRaises(frappe.PermissionError, api.get_ticket_approvals, result["ticket"])
		self.assertRaises(frappe.PermissionError, api.get_plan_progress, result["ticket"])
		progress = api.get_plan_progress(it_ticket)
		self.assertEqual(progress["done"], 1)
		self.assertNotIn("Secret", json.dumps(progress))
		self.assertEqual(
			{r.name for r in frappe.get_list("SSP Request Task", filters={"request": result["request"]})},
			{rows["it_account"].name},
		)
		self.assertFalse(frappe.has_permission("SSP Request Task", doc=rows["building_pass"].name, user=it))
		self.assertFalse(frappe.has_permission("SSP Request", doc=result["request"], user=it))
		# The HR team, whose ticket is the request's, sees every task of the plan.
		frappe.set_user(self.agents["hr"])
		self.assertEqual(len(frappe.get_list("SSP Request Task", filters={"request": result["request"]})), 4)
		# Portal users reach no task row through any door.
		frappe.set_user(self.requester)
		self.assertRaises(frappe.PermissionError, frappe.get_list, "SSP Request Task")


# --------------------------------------------------------------------------- two real processes

HOLD = 4  # seconds each process keeps its transaction open after acting

CHILD = """
import json, sys, time
HOLD = {hold}
import frappe
frappe.init(site={site!r}, sites_path=".")
frappe.connect()
# Not in_test: under tests Frappe sends notification e-mails at once, committing mid-transaction.
try:
	from selfservice_portal.service_catalog import fulfilment
	frappe.set_user("Administrator")
	{prepare}
	while time.time() < {start_at}:
		time.sleep(0.005)
	{act}
	acted_after = time.time() - {start_at}
	time.sleep(HOLD)  # hold the transaction open: the other process must wait for its lock, not race past it
	frappe.db.commit()  # nosemgrep: a second process in a concurrency test; its work must be visible to the other
	print(json.dumps({{"result": result, "acted_after": acted_after}}))
finally:
	frappe.destroy()
"""


def run_together(site: str, jobs: list[tuple[str, str]]) -> list[dict]:
	"""Run each (prepare, act) in its own Python process on the site, acting at the same moment."""
	start_at = time.time() + 6
	sites = f"{get_bench_path()}/sites"
	processes = [
		subprocess.Popen(
			[
				sys.executable,
				"-c",
				CHILD.format(site=site, start_at=start_at, prepare=prepare, act=act, hold=HOLD),
			],
			cwd=sites,
			stdout=subprocess.PIPE,
			stderr=subprocess.PIPE,
			text=True,
		)
		for prepare, act in jobs
	]
	outputs = []
	for process in processes:
		out, err = process.communicate(timeout=180)
		if process.returncode:
			raise AssertionError(f"child process failed:\n{err[-3000:]}")
		outputs.append(json.loads(out.strip().splitlines()[-1]))
	return outputs


class TestPlanConcurrency(PlanTestCase):
	"""Committed data, seen by two other processes; removed again at the end of each test."""

	def tearDown(self):
		frappe.db.rollback()
		for request in getattr(self, "made", []):
			cleanup_request(request)
		frappe.db.commit()  # nosemgrep: the test committed its data for the other processes
		super().tearDown()

	def assert_one_waited(self, outputs):
		"""They raced: one acted, the other finished only after the first committed (its lock was held
		for HOLD seconds) — without the lock both would finish within a save's time of each other."""
		times = sorted(o["acted_after"] for o in outputs)
		self.assertGreater(times[1] - times[0], HOLD - 1, times)

	def parallel_service(self) -> str:
		d = self.departments
		return make_service(
			d["hr"],
			title="Two parallel tasks",
			fields=FIELDS,
			plan_tasks=[
				{"task_label": "IT account", "department": d["it"]},
				{"task_label": "Building pass", "department": d["fac"]},
			],
		)

	def test_two_agents_resolving_the_last_two_tasks_at_once_resolve_the_request_once(self):
		result = self.submit(self.parallel_service())
		self.made = [result["request"]]
		rows = self.tasks(result["request"])
		frappe.db.commit()  # nosemgrep: the other processes must see the request
		act = "doc.status = 'Resolved'; doc.save(ignore_permissions=True); result = doc.name"
		outputs = run_together(
			frappe.local.site,
			[(f"doc = frappe.get_doc('HD Ticket', {r.hd_ticket!r})", act) for r in rows.values()],
		)
		self.assert_one_waited(outputs)
		frappe.db.rollback()  # read what the processes committed
		self.assertEqual(frappe.db.get_value("HD Ticket", result["ticket"], "status"), "Resolved")
		self.assertEqual(frappe.db.get_value("SSP Request", result["request"], "plan_status"), "Completed")
		comments = frappe.get_all("HD Ticket Comment", filters={"reference_ticket": result["ticket"]})
		self.assertEqual(len(comments), 1)
		self.assertEqual({r.status for r in self.tasks(result["request"]).values()}, {"Resolved"})

	def test_two_jobs_spawning_at_once_make_nothing_twice(self):
		result = self.submit(self.parallel_service())
		self.made = [result["request"]]
		# Undo what the inline job did, so that both processes find a plan with nothing spawned yet.
		cleanup_tasks(result["request"])
		frappe.db.commit()  # nosemgrep: the other processes must see the request
		act = f"result = fulfilment.spawn_tasks({result['request']!r})"
		outputs = run_together(frappe.local.site, [("pass", act), ("pass", act)])
		frappe.db.rollback()
		self.assert_one_waited(outputs)
		self.assertEqual(sorted(len(o["result"]) for o in outputs), [0, 2])
		self.assertEqual(frappe.db.count("SSP Request Task", {"request": result["request"]}), 2)
		self.assertEqual(frappe.db.count("HD Ticket", {"ssp_parent_ticket": result["ticket"]}), 2)


def cleanup_tasks(request: str) -> None:
	tickets = frappe.get_all("SSP Request Task", filters={"request": request}, pluck="hd_ticket")
	delete_tickets([t for t in tickets if t])
	frappe.db.delete("SSP Request Task", {"request": request})


def cleanup_request(request: str) -> None:
	ticket = frappe.db.get_value("SSP Request", request, "hd_ticket")
	cleanup_tasks(request)
	for table in ("SSP Request Answer", "SSP Request Approval"):
		frappe.db.delete(table, {"parent": request})
	frappe.db.delete("SSP Request", request)
	if ticket:
		delete_tickets([ticket])


def delete_tickets(tickets: list[str]) -> None:
	if not tickets:
		return
	frappe.db.delete("HD Ticket Comment", {"reference_ticket": ("in", tickets)})
	frappe.db.delete("Communication", {"reference_doctype": "HD Ticket", "reference_name": ("in", tickets)})
	frappe.db.delete("HD Ticket", {"name": ("in", tickets)})
