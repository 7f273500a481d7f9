# Copyright (c) 2026, selfservice_portal developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_to_date, get_datetime, now_datetime

MAX_SUMMARY_LENGTH = 1000
# Clocks of integrations drift; a contact a few minutes "ahead" is still a contact that happened.
FUTURE_TOLERANCE_MINUTES = 5


class SSPContactLog(Document):
	def validate(self):
		self.set_logged_by()
		self.validate_channel()
		self.validate_contact_on()
		self.validate_summary()

	def set_logged_by(self):
		if self.is_new():
			self.logged_by = frappe.session.user
		if not self.source:
			self.source = "Agent"

	def validate_channel(self):
		enabled = frappe.get_cached_value("SSP Channel", self.channel, "is_enabled")
		if enabled is None:
			frappe.throw(_("Channel {0} does not exist").format(frappe.bold(self.channel)))
		if not enabled:
			frappe.throw(_("Channel {0} is disabled").format(frappe.bold(self.channel)))

	def validate_contact_on(self):
		self.contact_on = self.contact_on or now_datetime()
		latest = add_to_date(now_datetime(), minutes=FUTURE_TOLERANCE_MINUTES)
		if get_datetime(self.contact_on) > latest:
			frappe.throw(_("Contact On {0} is in the future").format(self.contact_on))

	def validate_summary(self):
		if self.summary and len(self.summary) > MAX_SUMMARY_LENGTH:
			frappe.throw(
				_("Summary is too long: {0} characters, at most {1}").format(
					len(self.summary), MAX_SUMMARY_LENGTH
				)
			)
