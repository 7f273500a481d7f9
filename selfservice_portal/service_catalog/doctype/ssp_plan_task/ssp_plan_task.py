# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document


class SSPPlanTask(Document):
	"""Validated by its SSP Service (service_catalog/plans.py checks the plan as a whole)."""
