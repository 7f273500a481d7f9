"""Records we add to Helpdesk's own DocTypes (a ticket status, a template row, form scripts).

Each has an ``ensure_*`` (idempotent, run on install and migrate) and a ``remove_*`` (uninstall).
"""

from pathlib import Path

import frappe

AWAITING_APPROVAL = "Awaiting Approval"
DEFAULT_TEMPLATE = "Default"
SERVICE_OPTIONS_METHOD = "selfservice_portal.api.catalog.get_service_options"

TEMPLATE_ROWS = (
	{
		"fieldname": "ssp_service",
		"required": 0,
		"url_method": SERVICE_OPTIONS_METHOD,
		"placeholder": "Pick a service (optional)",
	},
	{
		# Shown to agents only, so they can correct how the request arrived.
		"fieldname": "ssp_channel",
		"required": 0,
		"hide_from_customer": 1,
		"placeholder": "Channel (set automatically)",
	},
	{
		# Agents only: spam, duplicate or invalid tickets count for no contest (the reason shows once set).
		"fieldname": "ssp_exclude_from_contests",
		"required": 0,
		"hide_from_customer": 1,
	},
	{
		"fieldname": "ssp_exclusion_reason",
		"required": 0,
		"hide_from_customer": 1,
		"placeholder": "Why it counts for no contest",
	},
)

APP_DIR = Path(__file__).resolve().parent.parent

# Every HD Form Script we install: its script file (relative to the app package) and where Helpdesk
# runs it. Helpdesk v1.25.1 never loads apply_to="List" scripts; its new-ticket page (agent and
# customer alike) loads the apply_on_new_page ones.
FORM_SCRIPTS = (
	{
		"name": "SSP Approval Progress (Portal)",
		"file": "service_catalog/form_scripts/approval_progress.js",
		"apply_to_customer_portal": 1,
		"apply_on_new_page": 0,
	},
	{
		"name": "SSP Approval Progress (Agent)",
		"file": "service_catalog/form_scripts/approval_progress.js",
		"apply_to_customer_portal": 0,
		"apply_on_new_page": 0,
	},
	{
		"name": "SSP Plan Progress (Portal)",
		"file": "service_catalog/form_scripts/plan_progress.js",
		"apply_to_customer_portal": 1,
		"apply_on_new_page": 0,
	},
	{
		"name": "SSP Plan Progress (Agent)",
		"file": "service_catalog/form_scripts/plan_progress.js",
		"apply_to_customer_portal": 0,
		"apply_on_new_page": 0,
	},
	{
		"name": "SSP Quick Log Contact (Agent)",
		"file": "deflection/form_scripts/quick_log_contact.js",
		"apply_to_customer_portal": 0,
		"apply_on_new_page": 1,
	},
	{
		# The portal journey's "new-ticket form opened", and the way from Helpdesk's form to our catalog.
		"name": "SSP New Ticket Opened (Portal)",
		"file": "deflection/form_scripts/new_ticket_opened.js",
		"apply_to_customer_portal": 0,  # Helpdesk loads new-page scripts with this flag off only
		"apply_on_new_page": 1,
	},
	{
		"name": "SSP Self-Service Home (Portal)",
		"file": "service_catalog/form_scripts/portal_home.js",
		"apply_to_customer_portal": 1,
		"apply_on_new_page": 0,
	},
	{
		"name": "SSP Raiser Badges (Agent)",
		"file": "contests/form_scripts/raiser_badges.js",
		"apply_to_customer_portal": 0,
		"apply_on_new_page": 0,
	},
)


def ensure_ticket_status() -> None:
	if frappe.db.exists("HD Ticket Status", AWAITING_APPROVAL):
		return
	frappe.get_doc(
		{
			"doctype": "HD Ticket Status",
			"label_agent": AWAITING_APPROVAL,
			"label_customer": AWAITING_APPROVAL,
			"category": "Paused",
			"color": "Amber",
			"enabled": 1,
			"order": 90,
		}
	).insert(ignore_permissions=True)


def remove_ticket_status() -> None:
	"""Delete the status unless tickets still use it (they keep a valid status that way)."""
	if frappe.db.exists("HD Ticket Status", AWAITING_APPROVAL) and not frappe.db.exists(
		"HD Ticket", {"status": AWAITING_APPROVAL}
	):
		frappe.delete_doc("HD Ticket Status", AWAITING_APPROVAL, ignore_permissions=True, force=True)


def ensure_template_rows() -> None:
	if not frappe.db.exists("HD Ticket Template", DEFAULT_TEMPLATE):
		return
	template = frappe.get_doc("HD Ticket Template", DEFAULT_TEMPLATE)
	present = {row.fieldname for row in template.fields}
	missing = [row for row in TEMPLATE_ROWS if row["fieldname"] not in present]
	for row in missing:
		template.append("fields", row)
	if missing:
		template.save(ignore_permissions=True)


def remove_template_rows() -> None:
	ours = [row["fieldname"] for row in TEMPLATE_ROWS]
	frappe.db.delete(
		"HD Ticket Template Field", {"parenttype": "HD Ticket Template", "fieldname": ("in", ours)}
	)


def ensure_form_scripts() -> None:
	for spec in FORM_SCRIPTS:
		values = {
			"dt": "HD Ticket",
			"apply_to": "Form",
			"apply_to_customer_portal": spec["apply_to_customer_portal"],
			"apply_on_new_page": spec["apply_on_new_page"],
			"script": (APP_DIR / spec["file"]).read_text(),
		}
		if not frappe.db.exists("HD Form Script", spec["name"]):
			frappe.get_doc(
				{"doctype": "HD Form Script", "name": spec["name"], "enabled": 1, **values}
			).insert(ignore_permissions=True, set_name=spec["name"])
			continue
		doc = frappe.get_doc("HD Form Script", spec["name"])
		if any(doc.get(k) != v for k, v in values.items()):  # "enabled" stays the admin's choice
			doc.update(values)
			doc.save(ignore_permissions=True)


def remove_form_scripts() -> None:
	for spec in FORM_SCRIPTS:
		frappe.delete_doc(
			"HD Form Script", spec["name"], ignore_missing=True, ignore_permissions=True, force=True
		)


# Indexes we add to Helpdesk's ticket table: journeys, contests and reports look tickets up by
# requester and time. Named with our prefix so uninstall can drop exactly these.
TICKET_INDEXES = {"ssp_raised_by_creation": ("raised_by", "creation"), "ssp_creation": ("creation",)}


def ensure_ticket_indexes() -> None:
	for name, columns in TICKET_INDEXES.items():
		frappe.db.add_index("HD Ticket", list(columns), index_name=name)


def remove_ticket_indexes() -> None:
	existing = {row[2] for row in frappe.db.sql("SHOW INDEX FROM `tabHD Ticket`")}
	for name in TICKET_INDEXES:
		if name in existing:
			frappe.db.sql_ddl(f"ALTER TABLE `tabHD Ticket` DROP INDEX `{name}`")  # nosemgrep: our own names


def ensure_all() -> None:
	ensure_ticket_indexes()
	ensure_ticket_status()
	ensure_template_rows()
	ensure_form_scripts()


def remove_all() -> None:
	remove_ticket_indexes()
	remove_form_scripts()
	remove_template_rows()
	remove_ticket_status()
