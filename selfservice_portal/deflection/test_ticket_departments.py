"""Tickets no catalog service placed (e-mail, phone, Helpdesk's form) get the department their team
serves, on creation, when the team changes, and by the backfill patch."""

import frappe

from selfservice_portal.deflection.ticket_events import backfill_ticket_departments
from selfservice_portal.patches.v0_2 import backfill_ticket_departments as backfill_patch
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	make_department,
	make_portal_user,
	make_service,
	make_team,
	make_ticket,
)


def department_of(ticket: str) -> str | None:
	return frappe.db.get_value("HD Ticket", ticket, "ssp_department")


class TestTicketDepartments(IntegrationTestCase):
	def setUp(self):
		self.team, self.other_team, self.shared_team = make_team(), make_team(), make_team()
		self.department = make_department(team=self.team)
		self.other_department = make_department(team=self.other_team)
		make_department(team=self.shared_team)
		make_department(team=self.shared_team)
		self.user = make_portal_user()

	def test_an_email_ticket_gets_its_teams_department(self):
		ticket = make_ticket(self.user, team=self.team, channel="Email")
		self.assertEqual(department_of(ticket), self.department)

	def test_a_team_serving_several_departments_gives_none(self):
		ticket = make_ticket(self.user, team=self.shared_team, channel="Phone")
		self.assertIsNone(department_of(ticket))

	def test_the_department_follows_a_change_of_team(self):
		ticket = make_ticket(self.user, channel="Email")
		self.assertIsNone(department_of(ticket))
		doc = frappe.get_doc("HD Ticket", ticket)
		doc.agent_group = self.team
		doc.save(ignore_permissions=True)
		self.assertEqual(department_of(ticket), self.department)
		doc.agent_group = self.other_team
		doc.save(ignore_permissions=True)
		self.assertEqual(department_of(ticket), self.other_department)

	def test_a_department_set_by_hand_or_by_a_service_stays(self):
		ticket = make_ticket(self.user, team=self.team, channel="Email")
		frappe.db.set_value("HD Ticket", ticket, "ssp_department", self.other_department)
		doc = frappe.get_doc("HD Ticket", ticket)
		doc.agent_group = make_team()
		doc.save(ignore_permissions=True)
		self.assertEqual(department_of(ticket), self.other_department)
		service = make_service(self.other_department)
		serviced = frappe.get_doc(
			{"doctype": "HD Ticket", "subject": "Chair", "raised_by": self.user, "ssp_service": service}
		).insert(ignore_permissions=True)
		serviced.reload()
		self.assertEqual(serviced.ssp_department, self.other_department)

	def test_backfill(self):
		mapped = make_ticket(self.user, team=self.team, channel="Email")
		shared = make_ticket(self.user, team=self.shared_team, channel="Email")
		kept = make_ticket(self.user, team=self.team, channel="Email")
		frappe.db.set_value("HD Ticket", mapped, "ssp_department", None)
		frappe.db.set_value("HD Ticket", kept, "ssp_department", self.other_department)
		backfill_ticket_departments(batch_size=2)
		self.assertEqual(department_of(mapped), self.department)
		self.assertIsNone(department_of(shared))
		self.assertEqual(department_of(kept), self.other_department)
		frappe.db.set_value("HD Ticket", mapped, "ssp_department", None)
		backfill_patch.execute()
		backfill_patch.execute()  # idempotent
		self.assertEqual(department_of(mapped), self.department)
