# Copyright (c) 2026, selfservice_portal developers and contributors
# For license information, please see license.txt

from datetime import datetime
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_to_date, get_datetime, get_system_timezone, now_datetime

MAX_SUMMARY_LENGTH = 1000
# Clocks of integrations drift; a contact a few minutes "ahead" is still a contact that happened.
FUTURE_TOLERANCE_MINUTES = 5


class SSPContactLog(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		channel: DF.Link
		contact_on: DF.Datetime
		department: DF.Link | None
		hd_ticket: DF.Link | None
		logged_by: DF.Link | None
		raised_by: DF.Data | None
		source: DF.Literal["Agent", "Integration"]
		summary: DF.SmallText

	# end: auto-generated types
	def validate(self) -> None:
		self.set_logged_by()
		self.validate_channel()
		self.validate_contact_on()
		self.validate_summary()

	def set_logged_by(self) -> None:
		if self.is_new():
			self.logged_by = frappe.session.user
		if not self.source:
			self.source = "Agent"

	def validate_channel(self) -> None:
		channel = frappe.get_cached_value("SSP Channel", self.channel, ["is_enabled", "is_self_service"])
		if channel is None:
			frappe.throw(_("Channel {0} does not exist").format(frappe.bold(self.channel)))
		is_enabled, is_self_service = channel
		if not is_enabled:
			frappe.throw(_("Channel {0} is disabled").format(frappe.bold(self.channel)))
		if is_self_service:
			frappe.throw(
				_(
					"Channel {0} is self-service: its contacts are recorded as portal events, not logged by hand"
				).format(frappe.bold(self.channel))
			)

	def validate_contact_on(self) -> None:
		self.contact_on = to_system_time(self.contact_on) if self.contact_on else now_datetime()
		latest = add_to_date(now_datetime(), minutes=FUTURE_TOLERANCE_MINUTES)
		if self.contact_on > latest:
			frappe.throw(_("Contact On {0} is in the future").format(self.contact_on))

	def validate_summary(self) -> None:
		require_summary(self.summary)
		self.summary = self.summary.strip()
		if len(self.summary) > MAX_SUMMARY_LENGTH:
			frappe.throw(
				_("Summary is too long: {0} characters, at most {1}").format(
					len(self.summary), MAX_SUMMARY_LENGTH
				)
			)


def require_summary(summary: str | None) -> None:
	"""A contact without a word about it counts in the channel mix but tells nobody anything, and an
	empty dialog submitted twice would count twice."""
	if not (summary or "").strip():
		frappe.throw(
			_("Summary is required: say in a few words what the contact was about"),
			frappe.MandatoryError,
			title=_("Missing summary"),
		)


def to_system_time(value: str | datetime) -> datetime:
	"""A contact time as the site stores datetimes: naive, in the system time zone. Integrations send
	ISO times with an offset ("…T09:15:00+02:00"); those are converted, not compared as they are."""
	moment = get_datetime(value)
	if moment.tzinfo is not None:
		moment = moment.astimezone(ZoneInfo(get_system_timezone())).replace(tzinfo=None)
	return moment
