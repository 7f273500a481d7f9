"""The cast of the attack suite: one user per role, two departments whose teams are kept apart by
Helpdesk's agent-group restriction, requests, tickets, a contest and an article to vote on.

Built once per test class and committed (the served site must see them); every name is unique, so
nothing here collides with another test's figures.
"""

import frappe

from selfservice_portal.demo.records import ensure_customer
from selfservice_portal.service_catalog import catalog, intake
from selfservice_portal.tests.served import set_password
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_article,
	make_contest_manager,
	make_department,
	make_draft_contest,
	make_portal_user,
	make_service,
	make_system_manager,
	make_team,
	make_ticket,
	unique_email,
)

OTHER_CUSTOMER = "SSP Security Other Customer"

# The roles of the permission matrix, in the order the table's columns read.
GUEST, PORTAL, PORTAL_OTHER, AGENT_OTHER, AGENT_MANAGER, SSP_MANAGER, SYSTEM_MANAGER = (
	"guest",
	"portal",
	"portal_other",
	"agent_other",
	"agent_manager",
	"ssp_manager",
	"system_manager",
)
ROLES = (GUEST, PORTAL, PORTAL_OTHER, AGENT_OTHER, AGENT_MANAGER, SSP_MANAGER, SYSTEM_MANAGER)


def submit_as(user: str, service: str, answers: dict) -> dict:
	frappe.set_user(user)
	try:
		return intake.submit_request(service, answers, catalog.get_viewer())
	finally:
		frappe.set_user("Administrator")


def build_cast() -> frappe._dict:
	"""Everything the suite attacks, as Administrator; the caller commits."""
	ensure_customer(OTHER_CUSTOMER, "ssp-other.example")
	c = frappe._dict()
	c.requester = make_portal_user(first_name="Requester")
	c.colleague = make_portal_user(first_name="Colleague")
	c.accomplice = make_portal_user(first_name="Accomplice")
	c.outsider = make_portal_user(
		f"outsider-{frappe.generate_hash(length=8)}@ssp-other.example", "Outsider", customer=OTHER_CUSTOMER
	)
	c.boss = make_agent(first_name="Boss")  # the requester's rightful approver
	c.it_agent = make_agent(first_name="IT")
	c.hr_agent = make_agent(first_name="HR")
	c.agent_manager = make_agent(first_name="Lead", is_manager=True)
	c.ssp_manager = make_contest_manager("SSPManager")
	c.system_manager = make_system_manager()
	for user in (
		c.requester,
		c.colleague,
		c.accomplice,
		c.outsider,
		c.boss,
		c.it_agent,
		c.hr_agent,
		c.agent_manager,
		c.ssp_manager,
		c.system_manager,
	):
		set_password(user)
	for user in (c.requester, c.colleague, c.ssp_manager):
		frappe.db.set_value("User", user, "ssp_manager", c.boss)
	c.it_team = make_team(agents=(c.it_agent,))
	c.hr_team = make_team(agents=(c.hr_agent,))
	c.it_department = make_department(team=c.it_team)
	c.hr_department = make_department(team=c.hr_team)
	c.it_service = make_service(department=c.it_department, title="Security Laptop")
	c.hr_service = make_service(
		department=c.hr_department,
		title="Security Leave",
		approval_steps=[{"approver_type": "Requester's Manager", "approval_rule": "Any of"}],
	)
	c.it_request = submit_as(c.requester, c.it_service, {"what": "A laptop"})
	c.hr_request = submit_as(c.requester, c.hr_service, {"what": "Leave in May"})
	c.manager_request = submit_as(c.ssp_manager, c.hr_service, {"what": "My own leave"})
	# A fulfilment plan with one IT task: its task row and ticket are IT's.
	c.plan_service = make_service(
		department=c.it_department,
		title="Security Onboarding",
		plan_tasks=[{"task_label": "Account", "department": c.it_department}],
	)
	c.plan_request = submit_as(c.requester, c.plan_service, {"what": "A new colleague"})
	c.plan_task = frappe.db.get_value("SSP Request Task", {"request": c.plan_request["request"]})
	c.email_ticket = make_ticket(c.requester, team=c.it_team, channel="Email")
	c.colleague_ticket = make_ticket(c.colleague, channel="Portal")
	c.article = make_article()
	c.contest = make_draft_contest()
	c.nomination_key = frappe.get_doc("SSP Contest", c.contest).nominations[0].nomination_key
	c.users = {
		GUEST: None,
		PORTAL: c.requester,
		PORTAL_OTHER: c.outsider,
		AGENT_OTHER: c.hr_agent,
		AGENT_MANAGER: c.agent_manager,
		SSP_MANAGER: c.ssp_manager,
		SYSTEM_MANAGER: c.system_manager,
	}
	return c


def restrict_tickets_by_team(on: bool) -> None:
	frappe.db.set_single_value("HD Settings", "restrict_tickets_by_agent_group", int(on))
	frappe.db.set_single_value("HD Settings", "do_not_restrict_tickets_without_an_agent_group", 0)
