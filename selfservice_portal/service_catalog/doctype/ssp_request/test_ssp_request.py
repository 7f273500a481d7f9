# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
import frappe.model.document
from frappe.utils import get_datetime

from selfservice_portal.api.test_catalog import LEAVE_ANSWERS, CatalogTestCase
from selfservice_portal.service_catalog.catalog import get_viewer
from selfservice_portal.service_catalog.intake import submit_request
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_agent, make_portal_user


class TestSSPRequest(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_requests_are_read_only_for_staff_and_hidden_from_portal_users(self):
		frappe.set_user(make_agent())
		self.assertTrue(frappe.has_permission("SSP Request", "read"))
		self.assertFalse(frappe.has_permission("SSP Request", "write"))
		self.assertFalse(frappe.has_permission("SSP Request", "create"))
		frappe.set_user(make_portal_user())
		with self.assertRaises(frappe.PermissionError):
			frappe.get_list("SSP Request")


class TestSSPRequestMethods(CatalogTestCase):
	"""The request's own methods, called on the document as the API, the pages and the hooks do."""

	def submit(self) -> frappe.model.document.Document:
		service = self.leave_service(
			approval_steps=[
				{"approver_type": "Requester's Manager", "step_label": "Manager"},
				{"approver_type": "Department Head", "step_label": "Head"},
			]
		)
		self.as_user(self.requester)
		result = submit_request(service, LEAVE_ANSWERS, get_viewer())
		frappe.set_user("Administrator")
		return frappe.get_doc("SSP Request", result["request"])

	def test_only_the_current_steps_approver_or_an_admin_may_decide_never_the_requester(self):
		request = self.submit()
		self.assertTrue(request.can_be_decided_by(self.manager, is_admin=False))
		self.assertFalse(request.can_be_decided_by(self.head, is_admin=False))  # step 2, not its turn
		self.assertTrue(request.can_be_decided_by(self.head, is_admin=True))
		self.assertFalse(request.can_be_decided_by(self.requester, is_admin=True))

	def test_deciding_moves_the_request_and_its_ticket_on(self):
		request = self.submit()
		outcome = request.decide("Approved", "", self.manager, is_admin=False)
		self.assertEqual(outcome["status"], "Pending Approval")
		self.assertEqual([a.decision for a in request.approvals], ["Approved", "Pending"])
		outcome = request.decide("Rejected", "no budget", self.head, is_admin=False)
		self.assertEqual((outcome["status"], request.rejection_reason), ("Rejected", "no budget"))
		ticket = frappe.db.get_value("HD Ticket", request.hd_ticket, ["status", "ssp_approval_status"])
		self.assertEqual(ticket, ("Closed", "Rejected"))
		with self.assertRaises(frappe.ValidationError):
			request.decide("Approved", "", self.head, is_admin=True)

	def test_withdrawing_skips_the_pending_steps_once(self):
		request = self.submit()
		request.withdraw()
		self.assertEqual(request.status, "Cancelled")
		self.assertEqual([a.decision for a in request.approvals], ["Skipped", "Skipped"])
		modified = request.modified
		request.withdraw()  # no longer waiting: nothing changes
		request.reload()
		self.assertEqual(get_datetime(request.modified), get_datetime(modified))

	def test_the_summary_carries_answers_and_the_approval_trail_in_words(self):
		summary = self.submit().as_summary()
		self.assertEqual(summary["status_label"], "Pending")
		self.assertEqual([a["label"] for a in summary["answers"]], ["Leave type", "Dates", "Note"])
		self.assertEqual([a["label"] for a in summary["approvals"]], ["Manager", "Head"])
		self.assertIn("step 1 of 2", summary["status_text"])
