"""A ticket waiting for approval stays paused, counts as SLA hold time, and can only be withdrawn."""

import frappe
import frappe.client
from frappe.utils import add_days, now_datetime

from selfservice_portal.api import catalog as api
from selfservice_portal.api.test_catalog import LEAVE_ANSWERS, CatalogTestCase
from selfservice_portal.service_catalog import requests
from selfservice_portal.tests.test_utils import make_helpdesk_form_ticket


class TestApprovalWait(CatalogTestCase):
	def submit(self):
		service = self.leave_service(
			approval_steps=[
				{"approver_type": "Requester's Manager", "step_label": "Manager"},
				{"approver_type": "Department Head", "step_label": "Head"},
			]
		)
		self.as_user(self.requester)
		result = api.submit_request(service, LEAVE_ANSWERS)
		frappe.set_user("Administrator")
		return result

	def edit(self, user, ticket, **values):
		"""A person editing fields the way Helpdesk's UI does (frappe.client.set_value)."""
		frappe.set_user(user)
		frappe.local.form_dict = frappe._dict(cmd="frappe.client.set_value")
		try:
			return frappe.client.set_value("HD Ticket", ticket, values)
		finally:
			frappe.local.form_dict = frappe._dict()
			frappe.set_user("Administrator")

	def decide(self, user, request, decision="Approved", comment=""):
		frappe.set_user(user)
		try:
			return api.decide_approval(request, decision, comment)
		finally:
			frappe.set_user("Administrator")

	def assert_waiting(self, ticket):
		values = frappe.db.get_value(
			"HD Ticket", ticket, ["status", "status_category", "agent_group", "ssp_approval_status"]
		)
		self.assertEqual(values, ("Awaiting Approval", "Paused", None, "Pending Approval"))

	def test_a_requester_reply_goes_through_and_the_ticket_keeps_waiting(self):
		result = self.submit()
		frappe.set_user(self.requester)
		ticket = frappe.get_doc("HD Ticket", result["ticket"])
		ticket.create_communication_via_contact("<p>Any news on my leave?</p>")
		frappe.set_user("Administrator")
		self.assertTrue(
			frappe.db.exists(
				"Communication",
				{"reference_name": result["ticket"], "content": ("like", "%Any news on my leave%")},
			)
		)
		self.assert_waiting(result["ticket"])
		self.assertEqual(frappe.db.get_value("SSP Request", result["request"], "status"), "Pending Approval")

	def test_editing_status_or_team_while_waiting_is_refused(self):
		result = self.submit()
		for user, values in (
			(self.requester, {"status": "Open"}),
			(self.requester, {"agent_group": self.team}),
			(self.agent, {"status": "Replied"}),
			(self.agent, {"agent_group": self.team}),
		):
			with self.assertRaises(frappe.ValidationError, msg=(user, values)) as ctx:
				self.edit(user, result["ticket"], **values)
			self.assertIn("waiting for approval", str(ctx.exception))
		self.assert_waiting(result["ticket"])

	def test_the_request_mirror_fields_cannot_be_edited(self):
		result = self.submit()
		for values in (
			{"ssp_approval_status": "Approved", "ssp_request": ""},
			{"status": "Open", "ssp_approval_status": "Approved"},
		):
			with self.assertRaises(frappe.PermissionError) as ctx:
				self.edit(self.requester, result["ticket"], **values)
			self.assertIn("Only agents can set", str(ctx.exception))
		self.assertEqual(
			frappe.db.get_value("HD Ticket", result["ticket"], ["ssp_request", "ssp_approval_status"]),
			(result["request"], "Pending Approval"),
		)

	def test_an_admin_may_move_a_waiting_ticket_by_hand(self):
		result = self.submit()
		self.edit("Administrator", result["ticket"], status="Open")
		self.assertEqual(frappe.db.get_value("HD Ticket", result["ticket"], "status"), "Open")

	def test_closing_the_ticket_withdraws_the_request(self):
		result = self.submit()
		self.edit(self.requester, result["ticket"], status="Closed")
		request = frappe.get_doc("SSP Request", result["request"])
		self.assertEqual(request.status, "Cancelled")
		self.assertEqual({r.decision for r in request.approvals}, {"Skipped"})
		self.assertEqual(
			frappe.db.get_value("HD Ticket", result["ticket"], ["status", "ssp_approval_status"]),
			("Closed", "Cancelled"),
		)
		with self.assertRaises(frappe.ValidationError) as ctx:
			self.decide(self.manager, result["request"])
		self.assertIn("Cancelled and can no longer be decided", str(ctx.exception))
		frappe.set_user(self.manager)
		self.assertNotIn(result["request"], [r["name"] for r in api.get_pending_approvals()])
		self.assertFalse(api.get_request_for_approval(result["request"])["can_decide"])

	def test_decisions_are_refused_on_a_ticket_closed_without_our_hooks(self):
		"""Helpdesk's auto-close saves with ignore_validate: the request is still pending, the ticket is not."""
		result = self.submit()
		frappe.db.set_value(
			"HD Ticket", result["ticket"], {"status": "Closed", "status_category": "Resolved"}
		)
		with self.assertRaises(frappe.ValidationError) as ctx:
			self.decide(self.manager, result["request"])
		self.assertIn("is closed", str(ctx.exception))
		trail = frappe.get_doc("SSP Request", result["request"]).approvals
		self.assertEqual([r.decision for r in trail], ["Pending", "Pending"])
		frappe.set_user(self.manager)
		self.assertNotIn(result["request"], [r["name"] for r in api.get_pending_approvals()])
		self.assertFalse(api.get_request_for_approval(result["request"])["can_decide"])

	def test_the_wait_counts_as_sla_hold_time(self):
		result = self.submit()
		ticket = frappe.get_doc("HD Ticket", result["ticket"])
		self.assertTrue(ticket.on_hold_since, "Helpdesk's SLA did not see the ticket pause")
		self.assertFalse(ticket.total_hold_time)
		# A week of waiting (working days included, whatever the SLA's calendar).
		frappe.db.set_value(
			"HD Ticket",
			ticket.name,
			"on_hold_since",
			add_days(now_datetime(), -7),
			update_modified=False,
		)
		self.decide(self.manager, result["request"])
		self.assertTrue(frappe.db.get_value("HD Ticket", ticket.name, "on_hold_since"))  # still waiting
		self.decide(self.head, result["request"])
		ticket.reload()
		self.assertEqual(ticket.status_category, "Open")
		self.assertFalse(ticket.on_hold_since)
		self.assertGreater(ticket.total_hold_time or 0, 0)

	def test_a_ticket_from_helpdesks_own_form_waits_the_same_way(self):
		service = self.leave_service(approval_steps=[{"approver_type": "Requester's Manager"}])
		self.as_user(self.requester)
		ticket = make_helpdesk_form_ticket(self.requester, service)
		frappe.set_user("Administrator")
		self.assert_waiting(ticket.name)
		self.assertTrue(frappe.db.get_value("HD Ticket", ticket.name, "on_hold_since"))
		request = frappe.db.get_value("SSP Request", {"hd_ticket": ticket.name})
		self.assertEqual(self.decide(self.manager, request)["status"], "Approved")
		self.assertEqual(
			frappe.db.get_value("HD Ticket", ticket.name, ["status_category", "agent_group"]),
			("Open", self.team),
		)

	def test_the_first_response_is_the_first_agent_reply_not_the_wait(self):
		"""Regression (issue 11, item 5): Helpdesk took the pause for approval as the ticket's first
		response, so requesters read "First Response: Fulfilled in 0s"."""
		result = self.submit()
		ticket = result["ticket"]
		self.assertFalse(frappe.db.get_value("HD Ticket", ticket, "first_responded_on"))
		self.assertEqual(frappe.db.get_value("HD Ticket", ticket, "agreement_status"), "Paused")
		# The requester's own reply during the wait is no response either.
		frappe.set_user(self.requester)
		frappe.get_doc("HD Ticket", ticket).create_communication_via_contact("<p>Any news?</p>")
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.get_value("HD Ticket", ticket, "first_responded_on"))
		frappe.db.set_value(
			"HD Ticket", ticket, "on_hold_since", add_days(now_datetime(), -7), update_modified=False
		)
		self.decide(self.manager, result["request"])
		self.decide(self.head, result["request"])
		values = frappe.db.get_value(
			"HD Ticket",
			ticket,
			["first_responded_on", "first_response_time", "total_hold_time", "status_category"],
			as_dict=True,
		)
		self.assertFalse(values.first_responded_on)
		self.assertFalse(values.first_response_time)
		self.assertEqual(values.status_category, "Open")
		self.assertGreater(values.total_hold_time or 0, 0)  # the wait is still SLA hold time
		approved_at = now_datetime()
		frappe.set_user(self.agent)
		frappe.get_doc("HD Ticket", ticket).reply_via_agent("<p>Your leave is booked.</p>")
		frappe.set_user("Administrator")
		first = frappe.db.get_value("HD Ticket", ticket, "first_responded_on")
		self.assertTrue(first, "the agent's reply is the first response")
		self.assertGreaterEqual(first.replace(microsecond=0), approved_at.replace(microsecond=0))

	def test_a_decision_says_what_was_decided_for_whom_and_what_happens_next(self):
		result = self.submit()
		first = self.decide(self.manager, result["request"])
		self.assertEqual(first["decided"], "You approved the request “Leave” of Requester User.")
		self.assertIn("now waits for Head Tester (step 2 of 2)", first["next"])
		frappe.set_user(self.requester)
		mine = requests.get_requests_of(self.requester)
		frappe.set_user("Administrator")
		self.assertEqual(mine[0]["name"], result["request"])
		self.assertEqual(mine[0]["status_label"], "Pending")
		self.assertEqual(mine[0]["status_text"], "Waiting for approval by Head Tester (step 2 of 2)")
		last = self.decide(self.head, result["request"])
		self.assertIn(f"ticket {result['ticket']} is handed to {self.team}", last["next"])
