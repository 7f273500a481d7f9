# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from selfservice_portal.service_catalog.form import FIELD_TYPES, make_fieldname, parse_limit, parse_options


class SSPService(Document):
	def validate(self):
		self.set_fieldnames()
		self.validate_form_fields()
		self.validate_approval_steps()

	def set_fieldnames(self):
		taken: set[str] = set()
		for field in self.form_fields:
			field.fieldname = make_fieldname(field.fieldname or field.label, taken)
			taken.add(field.fieldname)

	def validate_form_fields(self):
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

	def validate_limits(self, field):
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

	def validate_approval_steps(self):
		for step in self.approval_steps:
			if step.approver_type == "Role" and not step.approver_role:
				frappe.throw(_("Approval step {0}: choose the role whose holders approve").format(step.idx))
			if step.approver_type == "User" and not step.approver_user:
				frappe.throw(_("Approval step {0}: choose the user who approves").format(step.idx))
