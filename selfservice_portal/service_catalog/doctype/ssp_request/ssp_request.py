# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

"""A catalog request: its approvals are decided here, and its ticket follows them.

While approvals are pending the ticket waits in the "Awaiting Approval" status (category Paused) with
no team; the last approval hands it to the team, a rejection closes it with the reason. Closing the
ticket while it waits withdraws the request (ticket_events.hold_while_pending_approval). Created by
service_catalog.intake; Desk shows it read-only.
"""

from collections.abc import Callable

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import comma_or, escape_html, get_url, now_datetime

from selfservice_portal.notifications import in_each_language, send
from selfservice_portal.service_catalog import fulfilment
from selfservice_portal.service_catalog.approvals import (
	APPROVED,
	PENDING,
	REJECTED,
	SKIPPED,
	ApprovalRow,
	DecisionError,
	apply_decision,
	current_step,
	overall_status,
)
from selfservice_portal.service_catalog.request_status import (
	AWAITING_APPROVAL,
	CANCELLED,
	PENDING_APPROVAL,
	approval_states,
	summarise,
	waiting_for,
)


class SSPRequest(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from selfservice_portal.service_catalog.doctype.ssp_request_answer.ssp_request_answer import (
			SSPRequestAnswer,
		)
		from selfservice_portal.service_catalog.doctype.ssp_request_approval.ssp_request_approval import (
			SSPRequestApproval,
		)

		answers: DF.Table[SSPRequestAnswer]
		approvals: DF.Table[SSPRequestApproval]
		department: DF.Link | None
		hd_ticket: DF.Link | None
		plan_snapshot: DF.JSON | None
		plan_status: DF.Literal["", "Not Started", "Running", "Completed", "Cancelled"]
		rejection_reason: DF.SmallText | None
		requester: DF.Link
		service: DF.Link
		status: DF.Literal["Submitted", "Pending Approval", "Approved", "Rejected", "Cancelled"]
	# end: auto-generated types
	# ----------------------------------------------------------------------- after insert

	def start(self) -> None:
		"""With approvers, the ticket waits and the first approvers hear; without, the plan runs."""
		if self.approvals:
			self.hold_ticket()
			self.notify_current_approvers()
			return
		frappe.db.set_value(
			"HD Ticket", self.hd_ticket, {"ssp_request": self.name, "ssp_approval_status": self.status}
		)
		if self.plan_snapshot:
			fulfilment.enqueue_spawn(self.name)

	def hold_ticket(self) -> None:
		"""Pause the ticket through a real save, so Helpdesk's SLA counts the wait as hold time
		(on_hold_since now, added to total_hold_time when the last approval reopens it)."""
		ticket = frappe.get_doc("HD Ticket", self.hd_ticket)
		ticket.flags.ssp_approval_handoff = True
		ticket.ssp_request = self.name
		ticket.ssp_approval_status = self.status
		ticket.status = AWAITING_APPROVAL
		ticket.status_category = "Paused"
		ticket.save(ignore_permissions=True)

	# ----------------------------------------------------------------------- decisions

	def approval_states(self) -> list[ApprovalRow]:
		return approval_states(self.approvals)

	def decide(self, decision: str, comment: str, user: str, is_admin: bool) -> dict:
		"""Record one approver's decision, then move the ticket on. Load the request with
		``for_update`` (requests.decide): the row lock makes concurrent decisions queue, not race."""
		self.check_may_be_decided_by(user)
		rows = self.approval_states()
		try:
			changed = apply_decision(rows, user, decision, is_admin=is_admin)
		except DecisionError as error:
			message = decision_messages().get(str(error)) or _("This decision cannot be taken")
			frappe.throw(message, frappe.PermissionError)
		self.record_decisions(rows, {id(row) for row in changed}, user, comment)
		self.status = overall_status(rows)
		if self.status == "Rejected":
			self.rejection_reason = comment
		self.save(ignore_permissions=True)
		self.hand_off_ticket()
		self.tell_what_follows()
		return {
			"request": self.name,
			"status": self.status,
			"ticket": self.hd_ticket,
			**self.decision_outcome(decision),
		}

	def check_may_be_decided_by(self, user: str) -> None:
		if self.requester == user:
			# Separation of duties: not even an admin decides their own request.
			frappe.throw(_("You cannot decide your own request"), frappe.PermissionError)
		if self.status != PENDING_APPROVAL:
			frappe.throw(
				_("Request {0} is {1} and can no longer be decided").format(self.name, _(self.status))
			)
		if self.is_ticket_closed():
			frappe.throw(
				_("Ticket {0} is closed, so request {1} can no longer be decided").format(
					self.hd_ticket, self.name
				)
			)

	def record_decisions(self, rows: list[ApprovalRow], changed: set[int], user: str, comment: str) -> None:
		"""Copy the state machine's changed rows (``changed``: their ids) onto the approval rows."""
		decided_at = now_datetime()
		for row, approval in zip(rows, self.approvals, strict=True):
			if id(row) not in changed:
				continue
			approval.decision = row.decision
			approval.decided_on = decided_at
			if row.decision in (APPROVED, REJECTED):
				approval.decided_by = user
				approval.comment = comment

	def can_be_decided_by(self, user: str, is_admin: bool) -> bool:
		"""Whether ``user`` may decide now: it waits for their step (or an admin), and is not their own."""
		step = current_step(self.approval_states())
		return (
			self.status == PENDING_APPROVAL
			and self.requester != user
			and (
				is_admin
				or any(
					row.step == step and row.approver == user and row.decision == PENDING
					for row in self.approvals
				)
			)
			and not self.is_ticket_closed()
		)

	def is_ticket_closed(self) -> bool:
		"""Resolved or closed, even when it got there without our hooks (Helpdesk's auto-close skips them)."""
		status = frappe.db.get_value("HD Ticket", self.hd_ticket, "status")
		if not status:
			return True
		return frappe.get_cached_value("HD Ticket Status", status, "category") == "Resolved"

	def hand_off_ticket(self) -> None:
		"""The ticket follows the decision: to the team when approved, closed with the reason when
		rejected, still waiting otherwise."""
		ticket = frappe.get_doc("HD Ticket", self.hd_ticket)
		ticket.flags.ssp_approval_handoff = True  # not an agent reclassifying the request
		ticket.ssp_approval_status = self.status
		if self.status == "Approved":
			ticket.agent_group = frappe.get_cached_value("SSP Department", self.department, "hd_team")
			ticket.status = ticket.default_open_status
			ticket.status_category = None
		elif self.status == "Rejected":
			ticket.status = "Closed"
			ticket.status_category = None
			ticket.resolution_details = _("Rejected: {0}").format(escape_html(self.rejection_reason or ""))
		ticket.save(ignore_permissions=True)

	def tell_what_follows(self) -> None:
		"""The requester hears the outcome; or the next step's approvers are asked."""
		if self.status == "Rejected":
			self.tell_requester(
				lambda: _("Your request was rejected. Reason: {0}").format(
					self.rejection_reason or _("none given")
				)
			)
		elif self.status == "Approved":
			fulfilment.start_plan(self)
			self.tell_requester(lambda: _("Your request was approved and handed to the team."))
		else:
			self.notify_current_approvers()

	def decision_outcome(self, decision: str) -> dict:
		"""What the approver just did, for whom, and what happens next, in words."""
		service_title = frappe.get_cached_value("SSP Service", self.service, "title")
		requester = frappe.utils.get_fullname(self.requester)
		if decision == REJECTED:
			done = _("You rejected the request “{0}” of {1}.").format(service_title, requester)
		else:
			done = _("You approved the request “{0}” of {1}.").format(service_title, requester)
		summary = summarise(self, [], self.approvals)
		return {
			"service_title": service_title,
			"requester_name": requester,
			"decided": done,
			"next": self.what_follows(requester),
			"status_text": summary["status_text"],
			"approvals": summary["approvals"],
		}

	def what_follows(self, requester_name: str) -> str:
		if self.status == "Approved":
			team = frappe.get_cached_value("SSP Department", self.department, "hd_team")
			return _("Every approval is in: ticket {0} is handed to {1}, and {2} is told.").format(
				self.hd_ticket, team or self.department, requester_name
			)
		if self.status == "Rejected":
			return _("Ticket {0} is closed, and {1} is told your reason.").format(
				self.hd_ticket, requester_name
			)
		names, step = waiting_for(self.approvals)
		return _("Your decision is recorded; the request now waits for {0} (step {1} of {2}).").format(
			comma_or(names, add_quotes=False) or _("the next approver"),
			step,
			len({approval.step for approval in self.approvals}),
		)

	def withdraw(self) -> None:
		"""The ticket was closed while it waited: the request is cancelled and nobody needs to decide."""
		if self.status != PENDING_APPROVAL:
			return
		self.status = CANCELLED
		for approval in self.approvals:
			if approval.decision == PENDING:
				approval.decision = SKIPPED
		self.save(ignore_permissions=True)

	# ----------------------------------------------------------------------- telling people

	def notify_current_approvers(self) -> None:
		"""A Desk alert and an e-mail with a link to the approval page (login required), to the
		approvers of the current step, each in their own language."""
		step = current_step(self.approval_states())
		if step is None:
			return
		approvers = [row.approver for row in self.approvals if row.step == step and row.decision == PENDING]
		for group in in_each_language(approvers):
			self.ask_for_decision(group)

	def ask_for_decision(self, approvers: list[str]) -> None:
		"""Approvers who read the same language (the one set now): Email Template "SSP Approval Needed"."""
		link = approval_link(self.name)
		context = {
			"request_name": self.name,
			"service_title": frappe.get_cached_value("SSP Service", self.service, "title"),
			"requester": self.requester,
			"link": link,
			"approve_link": approval_link(self.name, "Approved"),
			"reject_link": approval_link(self.name, "Rejected"),
		}
		send("SSP Approval Needed", approvers, context, "SSP Request", self.name, link=link)

	def tell_requester(self, message: Callable[[], str]) -> None:
		"""A reply on the ticket, visible to the requester in the portal, in the requester's language
		(``message`` is called with it set)."""
		for _requester in in_each_language([self.requester]):
			self.write_reply(message())

	def write_reply(self, message: str) -> None:
		frappe.get_doc(
			{
				"doctype": "Communication",
				# An automated message: Helpdesk does not count it as an agent reply (nor re-saves the ticket).
				"communication_type": "Automated Message",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"subject": _("Request {0}").format(self.name),
				"content": f"<p>{escape_html(message)}</p>",
				"sender": "Administrator",
				"recipients": self.requester,
				"reference_doctype": "HD Ticket",
				"reference_name": self.hd_ticket,
			}
		).insert(ignore_permissions=True)

	# ----------------------------------------------------------------------- reading

	def as_summary(self) -> dict:
		"""The request with its answers and approval trail, in words (request_status.summarise)."""
		return summarise(self, self.answers, self.approvals)


def decision_messages() -> dict[str, str]:
	"""approvals.py's DecisionError keys (that module is frappe-free), as literal translatable strings."""
	return {
		"decision must be Approved or Rejected": _("Decision must be Approved or Rejected"),
		"this request is no longer awaiting approval": _("This request is no longer awaiting approval"),
		"you have already decided this step": _("You have already decided this step"),
		"it is not your step's turn yet": _("It is not your step's turn yet"),
		"you are not an approver of this request": _("You are not an approver of this request"),
	}


def approval_link(request_name: str, decision: str | None = None) -> str:
	"""The approval page (login required); a decision in the link only pre-selects it, never applies it."""
	query = f"request={request_name}" + (f"&decision={decision}" if decision else "")
	return get_url(f"/service-approval?{query}")
