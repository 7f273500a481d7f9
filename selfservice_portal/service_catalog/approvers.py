"""Turn a service's approval steps into people, at the moment a request is submitted."""

import frappe
from frappe import _
from frappe.model.document import Document

from selfservice_portal.service_catalog.approvals import ApprovalRow


def get_manager(user: str) -> str | None:
	"""The requester's manager: HRMS/ERPNext's Employee.reports_to when present, else our User field."""
	if "Employee" in frappe.get_all("DocType", filters={"name": "Employee"}, pluck="name"):
		reports_to = frappe.db.get_value("Employee", {"user_id": user, "status": "Active"}, "reports_to")
		if reports_to:
			manager = frappe.db.get_value("Employee", reports_to, "user_id")
			if manager:
				return manager
	return frappe.db.get_value("User", user, "ssp_manager") or None


def users_with_role(role: str) -> list[str]:
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	return [
		r[0]
		for r in frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.distinct()
		.where((has_role.role == role) & (has_role.parenttype == "User") & (user.enabled == 1))
		.where(user.name.notin(["Administrator", "Guest"]))
		.orderby(user.name)
		.run()
	]


def resolve_step(step: Document, requester: str, department: Document) -> list[str]:
	kind = step.approver_type
	if kind == "Requester's Manager":
		manager = get_manager(requester)
		return [manager] if manager else []
	if kind == "Department Head":
		return [department.head_user] if department.head_user else []
	if kind == "Role":
		return users_with_role(step.approver_role) if step.approver_role else []
	if kind == "User":
		return [step.approver_user] if step.approver_user else []
	return []


def resolve_chain(service: Document, requester: str, department: Document) -> list[ApprovalRow]:
	"""One row per approver per step; a step that resolves to nobody stops the submission."""
	rows: list[ApprovalRow] = []
	for number, step in enumerate(service.approval_steps, start=1):
		# A requester never approves their own request.
		approvers = [a for a in resolve_step(step, requester, department) if a != requester]
		if not approvers:
			frappe.throw(
				_("Nobody can approve step {0} ({1}) of this service for you. Please contact {2}.").format(
					number, _(step.step_label or step.approver_type), department.department_name
				),
				title=_("No approver"),
			)
		rows.extend(
			ApprovalRow(step=number, approver=a, rule=step.approval_rule or "Any of") for a in approvers
		)
	return rows
