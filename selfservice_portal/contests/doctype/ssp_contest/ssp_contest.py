# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document

from selfservice_portal.contests import lifecycle


class SSPContest(Document):
	def onload(self):
		lifecycle.set_metric_labels(self)  # rows saved before labels were stored show them too
		self.set_onload("metrics", lifecycle.metric_options())

	def validate(self):
		lifecycle.validate_period(self)
		lifecycle.set_nomination_keys(self)
		lifecycle.link_nomination_metrics(self)
		lifecycle.set_metric_labels(self)
		lifecycle.validate_nominations(self)
		lifecycle.guard_status(self)
		lifecycle.guard_closed(self)
		lifecycle.guard_frozen_rules(self)

	def on_trash(self):
		lifecycle.guard_deletion(self)
		lifecycle.delete_standings(self)
