# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document


class SSPFulfilmentStat(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		department: DF.Link | None
		fulfil_histogram: DF.JSON | None
		fulfil_seconds: DF.Float
		fulfilled: DF.Int
		period: DF.Literal["Day", "Month"]
		promised: DF.Int
		requests: DF.Int
		service: DF.Link | None
		stat_date: DF.Date
		task_histograms: DF.JSON | None
		within_promise: DF.Int
	# end: auto-generated types
	pass
