"""A fulfilment plan end to end, as its people do it, in a real browser on a real server with a real
RQ worker: an employee asks for "New employee onboarding" on the portal, their manager approves it on
the approval page, and three agents of three teams (HR, IT, Facilities) each resolve their task in
Helpdesk's agent UI; the request's ticket resolves by itself and the portal shows its progress.

Nothing is called from Python on the way: the plan's tasks are spawned and started by the worker
(`bench worker`, on private queues: tests/workers.py), from what the server committed. Screenshots
go to /tmp/ssp-shots/fulfilment-*.png.
"""

import os
import time

import frappe

from selfservice_portal.tests.browser import BrowserTestCase, set_password
from selfservice_portal.tests.test_utils import (
	TEST_DOMAIN,
	make_agent,
	make_department,
	make_portal_user,
	make_service,
	make_team,
)
from selfservice_portal.tests.workers import PrivateQueues

SHOTS = "/tmp/ssp-shots"
FIELDS = [
	{"label": "Employee", "fieldtype": "Data", "is_required": 1},
	{"label": "Start date", "fieldtype": "Date", "is_required": 1},
]
TEAMS = ("HR", "IT", "Facilities")


class TestOnboardingEndToEnd(BrowserTestCase):
	@classmethod
	def setUpClass(cls):
		# The server and the worker share private queues: the jobs the server enqueues are the
		# worker's, and no other worker of the bench takes them.
		cls.queues = PrivateQueues(frappe.local.site)
		cls.served_from = cls.queues.sites
		try:
			super().setUpClass()
			cls.queues.start_worker("short,default,long")
		except Exception:
			cls.queues.close()
			raise

	@classmethod
	def tearDownClass(cls):
		try:
			super().tearDownClass()
		finally:
			cls.queues.close()

	@classmethod
	def make_fixtures(cls):
		os.makedirs(SHOTS, exist_ok=True)
		cls.tag = tag = frappe.generate_hash(length=4)
		# Fixed addresses: the fixtures are committed, and each run must not add users.
		cls.agents, cls.departments = {}, {}
		for team in TEAMS:
			key = frappe.scrub(team)
			cls.agents[team] = set_password(make_agent(f"e2e-{key}-agent@{TEST_DOMAIN}", first_name=team))
			cls.departments[team] = make_department(
				team=make_team(agents=(cls.agents[team],)), name=f"{team} E2E {tag}"
			)
		cls.requester = set_password(make_portal_user(f"e2e-requester@{TEST_DOMAIN}", first_name="Newcomer"))
		cls.manager = set_password(make_portal_user(f"e2e-manager@{TEST_DOMAIN}", first_name="Boss"))
		frappe.db.set_value("User", cls.requester, "ssp_manager", cls.manager)
		d = cls.departments
		cls.title = f"New employee onboarding {tag}"
		cls.service = make_service(
			d["HR"],
			title=cls.title,
			fields=FIELDS,
			approval_steps=[{"approver_type": "Requester's Manager", "step_label": "Manager"}],
			plan_tasks=[
				{"task_label": "Contract", "department": d["HR"], "description": "Prepare and sign it"},
				{"task_label": "IT account", "department": d["IT"], "waits_for": "Contract"},
				{"task_label": "Building pass", "department": d["Facilities"], "waits_for": "Contract"},
			],
		)

	# --------------------------------------------------------------------------- helpers

	def shot(self, page, name: str) -> None:
		page.screenshot(path=f"{SHOTS}/fulfilment-{name}.png", full_page=True)

	def wait_for(self, what: str, check, timeout: float = 120):
		"""Poll what the server and the worker committed until ``check()`` is truthy."""
		deadline = time.monotonic() + timeout
		while True:
			frappe.db.rollback()  # a fresh snapshot
			value = check()
			if value or time.monotonic() > deadline:
				break
			time.sleep(0.5)
		self.assertTrue(value, f"timed out waiting for {what}")
		return value

	def task(self, request: str, label: str) -> frappe._dict | None:
		return frappe.db.get_value(
			"SSP Request Task",
			{"request": request, "task_label": label},
			["status", "hd_ticket", "hd_team"],
			as_dict=True,
		)

	def task_ticket(self, request: str, label: str) -> str:
		return self.wait_for(
			f"the ticket of task {label}", lambda: (self.task(request, label) or {}).get("hd_ticket")
		)

	def resolve_in_helpdesk(self, team: str, ticket: str, done_before: int) -> None:
		"""The team's agent opens the task's ticket in Helpdesk's agent UI, sees the plan's progress
		and sets the status to Resolved from the status menu."""
		with self.signed_in(self.agents[team], f"/helpdesk/tickets/{ticket}") as page:
			page.set_viewport_size({"width": 1280, "height": 900})
			progress = page.get_by_role("button", name=f"Plan: {done_before} of 3 done")
			progress.wait_for(timeout=60_000)
			self.assertHelpdeskHeaderFits(page)
			page.get_by_role("button", name="Open", exact=True).click()
			page.get_by_role("menuitem", name="Resolved").click()
			page.get_by_role("button", name="Resolved", exact=True).wait_for(timeout=30_000)
			self.shot(page, f"agent-{frappe.scrub(team)}")
		self.wait_for(
			f"{team}'s ticket to be resolved",
			lambda: frappe.db.get_value("HD Ticket", ticket, "status") == "Resolved",
		)

	# --------------------------------------------------------------------------- the journey

	def test_onboarding_from_request_to_resolution(self):
		# 1. The employee asks on the portal.
		with self.signed_in(self.requester, "/service-catalog") as page:
			page.set_viewport_size({"width": 1280, "height": 900})
			page.get_by_text(self.title).first.click()
			page.wait_for_selector(".ssp-request-form")
			page.fill("#ssp-employee", "Ada Lovelace")
			page.fill("#ssp-start_date", "2027-03-01")
			page.click(".ssp-submit")
			page.wait_for_selector(".ssp-submitted", timeout=30_000)
			self.shot(page, "submitted")
		request = self.wait_for(
			"the request",
			lambda: frappe.db.get_value(
				"SSP Request", {"service": self.service, "requester": self.requester}
			),
		)
		ticket = frappe.db.get_value("SSP Request", request, "hd_ticket")
		self.assertEqual(frappe.db.get_value("SSP Request", request, "status"), "Pending Approval")
		self.assertIsNone(self.task(request, "Contract"), "nothing starts before the approval")

		# 2. The manager approves.
		landing = f"/service-approval?request={request}"
		with self.signed_in(self.manager, landing) as page:
			page.set_viewport_size({"width": 1280, "height": 900})
			page.click("#ssp-approve")
			page.locator(".ssp-decided").wait_for(state="visible", timeout=30_000)
			self.shot(page, "approved")

		# 3. The worker starts the first task for HR; the two others wait for it, with no ticket.
		contract = self.task_ticket(request, "Contract")
		for label in ("IT account", "Building pass"):
			row = self.wait_for(f"the row of task {label}", lambda label=label: self.task(request, label))
			self.assertEqual((row.status, row.hd_ticket), ("Waiting", None), label)
		self.assertEqual(
			frappe.db.get_value("HD Ticket", contract, "agent_group"),
			frappe.db.get_value("SSP Department", self.departments["HR"], "hd_team"),
		)

		# 4. Three agents of three teams resolve their tasks in Helpdesk.
		self.resolve_in_helpdesk("HR", contract, done_before=0)
		it_ticket = self.task_ticket(request, "IT account")
		pass_ticket = self.task_ticket(request, "Building pass")
		self.assertNotEqual(frappe.db.get_value("HD Ticket", ticket, "status"), "Resolved")
		self.resolve_in_helpdesk("IT", it_ticket, done_before=1)
		self.assertNotEqual(frappe.db.get_value("HD Ticket", ticket, "status"), "Resolved")
		self.resolve_in_helpdesk("Facilities", pass_ticket, done_before=2)

		# 5. The request's ticket resolves by itself, and the requester sees it on the portal.
		self.wait_for(
			"the request's ticket to resolve",
			lambda: frappe.db.get_value("HD Ticket", ticket, "status") == "Resolved",
		)
		row = f".ssp-my-request[data-request='{request}']"
		with self.signed_in(self.requester, "/my-requests") as page:
			for width in (1280, 390):
				page.set_viewport_size({"width": width, "height": 900})
				page.goto(f"{self.base}/my-requests")
				state = page.inner_text(f"{row} .ssp-my-request-state")
				self.assertIn("3 of 3 done", state)
				for label in ("Contract", "IT account", "Building pass"):
					self.assertIn(f"{label} ✓", state)
				self.shot(page, f"my-requests-{width}")
			for width in (1280, 390):
				page.set_viewport_size({"width": width, "height": 900})
				page.goto(f"{self.base}/helpdesk/my-tickets/{ticket}")
				self.helpdesk_action(page, "Plan: 3 of 3 done").wait_for(timeout=60_000)
				self.assertHelpdeskHeaderFits(page)
				self.shot(page, f"customer-ticket-{width}")
