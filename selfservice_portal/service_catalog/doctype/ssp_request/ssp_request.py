# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document


class SSPRequest(Document):
	"""Created and updated only by service_catalog.requests; Desk shows it read-only."""
