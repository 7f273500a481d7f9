"""Fields this app adds to other apps' DocTypes.

One registry, so that install, the patch that follows a change and uninstall all agree on what
"ours" means. Every fieldname starts with ``ssp_`` (custom fieldnames are global per DocType).
"""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

FIELD_PREFIX = "ssp_"


def get_custom_fields() -> dict[str, list[dict]]:
	return {
		"HD Ticket": [
			{
				"fieldname": "ssp_section",
				"fieldtype": "Section Break",
				"label": "Self-Service",
				"insert_after": "via_customer_portal",
				"collapsible": 1,
			},
			{
				"fieldname": "ssp_channel",
				"fieldtype": "Link",
				"label": "Channel",
				"options": "SSP Channel",
				"insert_after": "ssp_section",
				"search_index": 1,
				# Not a standard filter: Helpdesk offers standard filters to customers too, whose link
				# search for SSP Channel is refused (an error toast on every "My tickets" visit). Agents
				# filter by it from the list's Filter menu, which lists custom fields for agents only.
				"in_standard_filter": 0,
				"description": "How the request reached the desk. Set on creation; agents may correct it.",
			},
			{
				"fieldname": "ssp_channel_source",
				"fieldtype": "Data",
				"label": "Channel Set By",
				"insert_after": "ssp_channel",
				"read_only": 1,
				"description": "Which rule set the channel (Customer Portal, Email Account, Call Log, REST API, "
				"Explicit, Default, Agent, Backfill).",
			},
			{
				"fieldname": "ssp_column_break",
				"fieldtype": "Column Break",
				"insert_after": "ssp_channel_source",
			},
			{
				"fieldname": "ssp_service",
				"fieldtype": "Link",
				"label": "Service",
				"options": "SSP Service",
				"insert_after": "ssp_column_break",
				"search_index": 1,
				"description": "The catalog service this ticket requests.",
			},
			{
				"fieldname": "ssp_department",
				"fieldtype": "Link",
				"label": "Department",
				"options": "SSP Department",
				"insert_after": "ssp_service",
				"search_index": 1,
				"read_only": 1,
				"in_standard_filter": 0,  # as ssp_channel
			},
			{
				"fieldname": "ssp_request",
				"fieldtype": "Link",
				"label": "Catalog Request",
				"options": "SSP Request",
				"insert_after": "ssp_department",
				"read_only": 1,
			},
			{
				"fieldname": "ssp_approval_status",
				"fieldtype": "Data",
				"label": "Approval Status",
				"insert_after": "ssp_request",
				"read_only": 1,
			},
			{
				"fieldname": "ssp_parent_ticket",
				"fieldtype": "Link",
				"label": "Request Ticket",
				"options": "HD Ticket",
				"insert_after": "ssp_approval_status",
				"read_only": 1,
				"search_index": 1,
				"description": "This ticket is a task of the fulfilment plan of that request's ticket.",
			},
			{
				# Unique: a plan task gets one ticket, whatever retries or double clicks happen.
				"fieldname": "ssp_plan_task",
				"fieldtype": "Link",
				"label": "Plan Task",
				"options": "SSP Request Task",
				"insert_after": "ssp_parent_ticket",
				"read_only": 1,
				"unique": 1,
			},
			{
				"fieldname": "ssp_reclassified",
				"fieldtype": "Check",
				"label": "Reclassified by an Agent",
				"insert_after": "ssp_plan_task",
				"read_only": 1,
				"search_index": 1,
				"description": "An agent changed the type, team or service the requester chose.",
			},
			{
				"fieldname": "ssp_exclude_from_contests",
				"fieldtype": "Check",
				"label": "Exclude from Contests",
				"insert_after": "ssp_reclassified",
				"description": "Spam, duplicate or invalid: this ticket counts for no contest metric.",
			},
			{
				"fieldname": "ssp_exclusion_reason",
				"fieldtype": "Select",
				"label": "Exclusion Reason",
				"options": "\nSpam\nDuplicate\nInvalid\nOther",
				"insert_after": "ssp_exclude_from_contests",
				"depends_on": "ssp_exclude_from_contests",
				"mandatory_depends_on": "ssp_exclude_from_contests",
			},
			{
				# Kept by our validate hook at every save (contests.fair_play.text_length), whatever a
				# client sends: contests compare it with their minimum length instead of stripping every
				# ticket's HTML while judging. -1 (an Int column is never NULL): not known yet, a ticket
				# written without a save (the patch fills those in).
				"fieldname": "ssp_text_length",
				"fieldtype": "Int",
				"label": "Text Length",
				"insert_after": "ssp_exclusion_reason",
				"default": "-1",
				"read_only": 1,
				"hidden": 1,
				"no_copy": 1,
				"description": "Characters of the subject and the description without HTML tags.",
			},
		],
		"User": [
			{
				"fieldname": "ssp_manager",
				"fieldtype": "Link",
				"label": "Manager (approvals)",
				"options": "User",
				"insert_after": "mobile_no",
				# Level 1 (System Managers): a user's own User record is shared with them for writing.
				"permlevel": 1,
				"description": "Approves this user's catalog requests when HRMS/ERPNext's Employee record does not say.",
			},
		],
	}


def apply_custom_fields() -> None:
	"""Create or update our fields; safe to run any number of times."""
	create_custom_fields(get_custom_fields(), ignore_validate=True, update=True)


def remove_custom_fields() -> None:
	"""Delete our fields and drop their columns, leaving the host DocTypes as Helpdesk ships them.

	Frappe deletes the Custom Field record but keeps the column; an uninstall that left columns
	behind would resurrect stale values on reinstall.
	"""
	for doctype, fields in get_custom_fields().items():
		for df in fields:
			frappe.delete_doc(
				"Custom Field",
				f"{doctype}-{df['fieldname']}",
				ignore_missing=True,
				force=True,
				ignore_permissions=True,
			)
		drop_columns(doctype, [df["fieldname"] for df in fields])
		frappe.clear_cache(doctype=doctype)


def drop_columns(doctype: str, fieldnames: list[str]) -> None:
	existing = [f for f in fieldnames if f.startswith(FIELD_PREFIX) and frappe.db.has_column(doctype, f)]
	if not existing:
		return
	drops = ", ".join(f"DROP COLUMN `{fieldname}`" for fieldname in existing)
	frappe.db.sql_ddl(f"ALTER TABLE `tab{doctype}` {drops}")  # nosemgrep: fieldnames come from our registry
	# Frappe caches each table's columns; a stale entry would make has_column() and inserts lie.
	frappe.cache.hdel("table_columns", f"tab{doctype}")
