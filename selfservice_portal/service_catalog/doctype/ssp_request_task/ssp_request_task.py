# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SSPRequestTask(Document):
	"""Created and updated only by service_catalog.fulfilment; nobody writes it through a door."""


def on_doctype_update():
	# The idempotency key: one row per task of a request, whatever retries or double clicks happen.
	frappe.db.add_unique("SSP Request Task", ["request", "task_id"], constraint_name="unique_request_task")
