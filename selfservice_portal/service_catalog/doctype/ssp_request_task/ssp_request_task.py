# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SSPRequestTask(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		department: DF.Link | None
		description: DF.SmallText | None
		due_on: DF.Date | None
		hd_team: DF.Link | None
		hd_ticket: DF.Link | None
		request: DF.Link
		request_ticket: DF.Link | None
		resolved_on: DF.Datetime | None
		sort_order: DF.Int
		started_on: DF.Datetime | None
		status: DF.Literal["Waiting", "Open", "Resolved", "Cancelled"]
		task_id: DF.Data
		task_label: DF.Data | None
		waits_for: DF.SmallText | None
	# end: auto-generated types
	"""Created and updated only by service_catalog.fulfilment; nobody writes it through a door."""


def on_doctype_update() -> None:
	# The idempotency key: one row per task of a request, whatever retries or double clicks happen.
	frappe.db.add_unique("SSP Request Task", ["request", "task_id"], constraint_name="unique_request_task")
