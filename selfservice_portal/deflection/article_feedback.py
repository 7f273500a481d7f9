"""Helpdesk's "this helped" / "this did not help" buttons as portal events.

Helpdesk v1.25.1 stores one HD Article Feedback row per reader and article: the first click inserts
it (doc_events see that), every later change goes through ``frappe.db.set_value`` inside
``HD Article.set_feedback`` (no doc_events). The portal calls that method through ``run_doc_method``,
which runs it with ``Document.run_method``, so a ``doc_events`` entry named after the method runs
right after it. Both hooks know that the answer changed (Helpdesk returns early on a repeated click)
and write an event unless the row's current answer already has one since the row last changed
(``modified``). The nightly roll-up writes the events missing for rows changed any other way
(:func:`record_missed_feedback`).
"""

from datetime import datetime

import frappe
from frappe.model.document import Document

from selfservice_portal.deflection.events import log_event, not_agent_sql
from selfservice_portal.deflection.queries import affected_rows

FEEDBACK = "HD Article Feedback"
FEEDBACK_EVENTS = {"1": "Article Helpful", "2": "Article Not Helpful"}


def on_feedback_update(doc: Document, method: str | None = None) -> None:
	"""HD Article Feedback on_update (runs on insert too)."""
	if not doc.has_value_changed("feedback"):
		return
	record_feedback(doc.user, doc.article, doc.feedback, doc.modified)


def after_set_feedback(doc: Document, method: str | None = None, *args: object, **kwargs: object) -> None:
	"""HD Article ``set_feedback`` (through ``run_method``): Helpdesk answered for the session user."""
	user = frappe.session.user
	row = frappe.db.get_value(FEEDBACK, {"user": user, "article": doc.name}, ["feedback", "modified"])
	if row:
		record_feedback(user, doc.name, *row)


def record_feedback(
	user: str | None, article: str | None, feedback: str | int | None, changed_on: datetime | str
) -> str | None:
	event_type = FEEDBACK_EVENTS.get(str(feedback))
	if not (event_type and article) or user in (None, "", "Guest"):
		return None
	if is_recorded(user, article, event_type, changed_on):
		return None
	return log_event(event_type, user=user, hd_article=article)


def is_recorded(user: str, article: str, event_type: str, changed_on: datetime | str) -> bool:
	return bool(
		frappe.db.exists(
			"SSP Portal Event",
			{"user": user, "hd_article": article, "event_type": event_type, "creation": (">=", changed_on)},
		)
	)


MISSED_FEEDBACK_SQL = f"""
INSERT INTO `tabSSP Portal Event`
	(name, creation, modified, owner, modified_by, docstatus, idx, event_type, `user`, hd_article)
SELECT LEFT(SHA2(CONCAT(feedback.name, '|', feedback.modified), 256), 12), feedback.modified,
	feedback.modified, 'Administrator', 'Administrator', 0, 0, answer.event_type, feedback.`user`,
	feedback.article
FROM `tab{FEEDBACK}` feedback
JOIN (SELECT '1' AS feedback, 'Article Helpful' AS event_type
	UNION ALL SELECT '2', 'Article Not Helpful') answer ON answer.feedback = feedback.feedback
WHERE feedback.modified >= %(since)s AND IFNULL(feedback.`user`, '') NOT IN ('', 'Guest')
	AND IFNULL(feedback.article, '') != ''
	AND {not_agent_sql("feedback.`user`")}
	AND IFNULL((
		SELECT recorded.event_type FROM `tabSSP Portal Event` recorded
		WHERE recorded.`user` = feedback.`user` AND recorded.hd_article = feedback.article
			AND recorded.event_type IN ('Article Helpful', 'Article Not Helpful')
		ORDER BY recorded.creation DESC LIMIT 1
	), '') != answer.event_type
"""


def record_missed_feedback(since: datetime) -> int:
	"""Events for feedback rows changed since ``since`` by a path no hook sees: where the reader's
	latest recorded answer is not the row's (one INSERT … SELECT, stamped with the row's change time,
	so running it twice adds nothing). Returns the rows written."""
	frappe.db.sql(MISSED_FEEDBACK_SQL, {"since": since})
	return affected_rows()
