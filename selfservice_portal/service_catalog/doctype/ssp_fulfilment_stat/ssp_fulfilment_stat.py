# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document


class SSPFulfilmentStat(Document):
	pass
