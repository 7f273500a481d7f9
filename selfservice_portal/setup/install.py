"""Install lifecycle: everything we add to other apps is created here and removed here."""

import frappe

from selfservice_portal.deflection.channels import DEFAULT_CHANNELS
from selfservice_portal.deflection.polls import ensure_template_poll
from selfservice_portal.notifications import ensure_email_templates, remove_email_templates
from selfservice_portal.service_catalog import service_sla
from selfservice_portal.setup import helpdesk_artefacts
from selfservice_portal.setup.custom_fields import apply_custom_fields, remove_custom_fields


def after_install() -> None:
	apply_custom_fields()
	helpdesk_artefacts.ensure_all()
	ensure_default_channels()
	ensure_settings_defaults()
	backfill_existing_tickets()
	ensure_template_poll()
	ensure_email_templates()


def after_migrate() -> None:
	# Code-owned artefacts are re-synced on every migrate; admin-owned data (channels) is seeded
	# only at install so that a channel an admin deleted stays deleted.
	apply_custom_fields()
	helpdesk_artefacts.ensure_all()
	ensure_template_poll()
	ensure_email_templates()


def before_uninstall() -> None:
	service_sla.remove_all()
	helpdesk_artefacts.remove_all()
	remove_email_templates()
	remove_custom_fields()


INLINE_BACKFILL_LIMIT = 20_000


# What a save would give an existing ticket and patches do not on a fresh install: which tickets still
# lack it, the set-based backfill, its job's id.
TICKET_BACKFILLS = (
	(
		{"ssp_channel": ("is", "not set")},
		"selfservice_portal.deflection.ticket_channels.backfill_ticket_channels",
		"ssp-channel-backfill",
	),
	(
		{"ssp_text_length": ("<", 0)},
		"selfservice_portal.contests.ticket_events.backfill_text_lengths",
		"ssp-text-length-backfill",
	),
)


def backfill_existing_tickets() -> None:
	"""Installing onto a Helpdesk with history: give its tickets a channel and their text length.
	Small sites inline; large ones in a background job (set-based batches either way)."""
	for pending_filter, method, job_id in TICKET_BACKFILLS:
		pending = frappe.db.count("HD Ticket", pending_filter)
		if not pending:
			continue
		if pending <= INLINE_BACKFILL_LIMIT:
			frappe.get_attr(method)()
		else:
			frappe.enqueue(method, queue="long", job_id=job_id, deduplicate=True, enqueue_after_commit=True)


def ensure_settings_defaults() -> None:
	"""Frappe does not store a Single's defaults until it is saved; reports need them from day one."""
	for doctype in ("SSP Deflection Settings",):
		for df in frappe.get_meta(doctype).fields:
			if df.default and frappe.db.get_single_value(doctype, df.fieldname) in (None, "", 0):
				frappe.db.set_single_value(doctype, df.fieldname, df.default)


def ensure_default_channels() -> None:
	"""Insert missing default channels; never touch existing ones (admins may have edited them)."""
	existing = set(frappe.get_all("SSP Channel", pluck="name"))
	for order, channel in enumerate(DEFAULT_CHANNELS):
		if channel.name in existing:
			continue
		frappe.get_doc(
			{
				"doctype": "SSP Channel",
				"channel_name": channel.name,
				"is_enabled": 1,
				"is_self_service": int(channel.is_self_service),
				"sort_order": order,
				"description": channel.description,
			}
		).insert(ignore_permissions=True)
