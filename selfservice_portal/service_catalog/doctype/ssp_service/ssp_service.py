# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from selfservice_portal.service_catalog import plans, service_sla
from selfservice_portal.service_catalog.doctype.ssp_plan_task.ssp_plan_task import SSPPlanTask
from selfservice_portal.service_catalog.doctype.ssp_service_field.ssp_service_field import SSPServiceField
from selfservice_portal.service_catalog.form import FIELD_TYPES, make_fieldname, parse_limit, parse_options


class SSPService(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from selfservice_portal.service_catalog.doctype.ssp_approval_step.ssp_approval_step import (
			SSPApprovalStep,
		)
		from selfservice_portal.service_catalog.doctype.ssp_plan_task.ssp_plan_task import SSPPlanTask
		from selfservice_portal.service_catalog.doctype.ssp_service_article.ssp_service_article import (
			SSPServiceArticle,
		)
		from selfservice_portal.service_catalog.doctype.ssp_service_audience.ssp_service_audience import (
			SSPServiceAudience,
		)
		from selfservice_portal.service_catalog.doctype.ssp_service_field.ssp_service_field import (
			SSPServiceField,
		)
		from selfservice_portal.service_catalog.doctype.ssp_service_role.ssp_service_role import (
			SSPServiceRole,
		)

		approval_steps: DF.Table[SSPApprovalStep]
		articles: DF.Table[SSPServiceArticle]
		department: DF.Link
		description: DF.TextEditor | None
		form_fields: DF.Table[SSPServiceField]
		fulfilment_hours: DF.Float
		hd_ticket_type: DF.Link | None
		help_text: DF.SmallText | None
		is_enabled: DF.Check
		plan_tasks: DF.Table[SSPPlanTask]
		service_kind: DF.Literal["Service Request", "Incident"]
		service_level_agreement: DF.Link | None
		short_description: DF.SmallText | None
		sort_order: DF.Int
		title: DF.Data
		visibility: DF.Literal["Everyone", "Roles", "Customers and Contacts"]
		visible_roles: DF.Table[SSPServiceRole]
		visible_to: DF.Table[SSPServiceAudience]

	# end: auto-generated types
	def validate(self) -> None:
		self.set_fieldnames()
		self.validate_form_fields()
		self.validate_approval_steps()
		self.validate_plan()
		self.validate_service_level_agreement()

	def on_update(self) -> None:
		service_sla.sync(self)

	def after_delete(self) -> None:
		service_sla.on_service_deleted(self.name)

	def validate_service_level_agreement(self) -> None:
		"""An SLA an admin links must be one Helpdesk applies: a disabled one would be ignored silently."""
		sla = self.service_level_agreement
		if (
			not sla
			or service_sla.is_app_owned(self.name, sla)
			or not self.has_value_changed("service_level_agreement")
		):
			return
		if not frappe.db.get_value(service_sla.DOCTYPE, sla, "enabled"):
			frappe.throw(
				_("Service Level Agreement {0} is disabled: enable it or choose another").format(bold(sla)),
				title=_("Expected fulfilment"),
			)

	def set_fieldnames(self) -> None:
		taken: set[str] = set()
		for field in self.form_fields:
			field.fieldname = make_fieldname(field.fieldname or field.label, taken)
			taken.add(field.fieldname)

	def validate_form_fields(self) -> None:
		for field in self.form_fields:
			if field.fieldtype not in FIELD_TYPES:
				frappe.throw(_("Row {0}: unknown field type {1}").format(field.idx, field.fieldtype))
			if field.fieldtype == "Select" and not parse_options(field.options):
				frappe.throw(
					_("Row {0}: field {1} needs at least one option").format(
						field.idx, frappe.bold(field.label)
					)
				)
			self.validate_limits(field)

	def validate_limits(self, field: SSPServiceField) -> None:
		"""A Number field's minimum and maximum are numbers, the minimum not above the maximum; other
		kinds have none."""
		if field.fieldtype != "Number":
			field.min_value = field.max_value = None
			return
		limits = {}
		for key, label in (("min_value", _("minimum")), ("max_value", _("maximum"))):
			try:
				limits[key] = parse_limit(field.get(key))
			except ValueError:
				frappe.throw(
					_("Row {0}: the {1} of field {2} must be a number").format(
						field.idx, label, frappe.bold(frappe.utils.escape_html(field.label))
					)
				)
		if None not in limits.values() and limits["min_value"] > limits["max_value"]:
			frappe.throw(
				_("Row {0}: the minimum of field {1} is above its maximum").format(
					field.idx, frappe.bold(frappe.utils.escape_html(field.label))
				)
			)

	def validate_approval_steps(self) -> None:
		for step in self.approval_steps:
			if step.approver_type == "Role" and not step.approver_role:
				frappe.throw(_("Approval step {0}: choose the role whose holders approve").format(step.idx))
			if step.approver_type == "User" and not step.approver_user:
				frappe.throw(_("Approval step {0}: choose the user who approves").format(step.idx))

	def validate_plan(self) -> None:
		"""Every task names a department with a team, waits only for tasks of this plan, and the plan
		has no loop (the path is named); its dates and answers refer to fields of the form."""
		self.set_task_ids()
		labels = {}
		for task in self.plan_tasks:
			task.task_label = " ".join((task.task_label or "").split())
			labels.setdefault(task.task_label, task.task_id)
			labels.setdefault(task.task_id, task.task_id)
		tasks = []
		for task in self.plan_tasks:
			self.validate_plan_task(task)
			waits_for, unknown = plans.resolve_waits_for(labels, task.waits_for)
			if unknown:
				frappe.throw(
					_("Plan task {0}: {1} waits for {2}, which is not a task of this plan").format(
						task.idx, bold(task.task_label), bold(", ".join(unknown))
					),
					title=_("Fulfilment plan"),
				)
			tasks.append(plans.PlanTask(task.task_id, task.task_label, waits_for))
		problems = plans.check_plan(tasks)
		if problems:
			frappe.throw("<br>".join(plan_problem_message(p) for p in problems), title=_("Fulfilment plan"))

	def set_task_ids(self) -> None:
		"""A stable id per task, made from its label once: a running request's frozen plan and its
		ticket keys refer to it, so renaming a task does not orphan them."""
		taken = {t.task_id for t in self.plan_tasks if t.task_id}
		for task in self.plan_tasks:
			if not task.task_id:
				task.task_id = make_fieldname(task.task_label or "task", taken)
				taken.add(task.task_id)

	def validate_plan_task(self, task: SSPPlanTask) -> None:
		if not frappe.db.get_value("SSP Department", task.department, "hd_team"):
			frappe.throw(
				_("Plan task {0}: department {1} has no Helpdesk team to do the work").format(
					task.idx, bold(task.department)
				),
				title=_("Fulfilment plan"),
			)
		fields = self.form_field_lookup()
		if task.date_field:
			field = fields.get(task.date_field.strip().casefold())
			if not field or field.fieldtype != "Date":
				frappe.throw(
					_("Plan task {0}: {1} is not a Date field of the form").format(
						task.idx, bold(task.date_field)
					),
					title=_("Fulfilment plan"),
				)
			task.date_field = field.fieldname
		names = []
		for name in plans.split_names(task.answer_fields):
			field = fields.get(name.casefold())
			if not field:
				frappe.throw(
					_("Plan task {0}: {1} is not a field of the form").format(task.idx, bold(name)),
					title=_("Fulfilment plan"),
				)
			names.append(field.fieldname)
		task.answer_fields = ", ".join(names)

	def form_field_lookup(self) -> dict[str, SSPServiceField]:
		fields = {}
		for field in self.form_fields:
			fields[(field.label or "").strip().casefold()] = field
			fields[field.fieldname.casefold()] = field
		return fields


def bold(value: str | None) -> str:
	return frappe.bold(frappe.utils.escape_html(value or ""))


def plan_problem_message(problem: plans.PlanProblem) -> str:
	"""plans.py's problems (a frappe-free module) as translatable sentences, labels escaped."""
	args = [bold(a) for a in problem.args]
	if problem.key == "duplicate label":
		return _("Two plan tasks are called {0}: each task needs its own label").format(*args)
	if problem.key == "label has a comma":
		return _(
			"Plan task {0}: a label cannot contain a comma (commas separate the tasks it waits for)"
		).format(*args)
	if problem.key == "waits for itself":
		return _("Plan task {0} waits for itself").format(*args)
	if problem.key == "waits for an unknown task":
		return _("Plan task {0} waits for {1}, which is not a task of this plan").format(*args)
	if problem.key == "cycle":
		return _("The plan's tasks wait for each other in a loop: {0}").format(*args)
	return _("The plan cannot be saved")
