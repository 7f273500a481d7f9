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

import frappe

from selfservice_portal.deflection.events import log_event, not_agent_sql

FEEDBACK = "HD Article Feedback"
FEEDBACK_EVENTS = {"1": "Article Helpful", "2": "Article Not Helpful"}


def on_feedback_update(doc, method=None) -> None:
	"""HD Article Feedback on_update (runs on insert too)."""
	if not doc.has_value_changed("feedback"):
		return
	record_feedback(doc.user, doc.article, doc.feedback, doc.modified)


def after_set_feedback(doc, method=None, *args, **kwargs) -> None:
	"""HD Article ``set_feedback`` (through ``run_method``): Helpdesk answered for the session user."""
	user = frappe.session.user
	row = frappe.db.get_value(FEEDBACK, {"user": user, "article": doc.name}, ["feedback", "modified"])
	if row:
		record_feedback(user, doc.name, *row)


def record_feedback(user: str | None, article: str | None, feedback, changed_on) -> str | None:
	event_type = FEEDBACK_EVENTS.get(str(feedback))
	if not (event_type and article) or user in (None, "", "Guest"):
		return None
	if is_recorded(user, article, event_type, changed_on):
		return None
	return log_event(event_type, user=user, hd_article=article)


def is_recorded(user: str, article: str, event_type: str, changed_on) -> bool:
	return bool(
		frappe.db.exists(
			"SSP Portal Event",
			{"user": user, "hd_article": article, "event_type": event_type, "creation": (">=", changed_on)},
		)
	)


MISSED_FEEDBACK_SQL = f"""
INSERT INTO `tabSSP Portal Event`
	(name, creation, modified, owner, modified_by, docstatus, idx, event_type, `user`, hd_article)
SELECT LEFT(SHA2(CONCAT(f.name, '|', f.modified), 256), 12), f.modified, f.modified,
	'Administrator', 'Administrator', 0, 0, e.event_type, f.`user`, f.article
FROM `tab{FEEDBACK}` f
JOIN (SELECT '1' AS feedback, 'Article Helpful' AS event_type
	UNION ALL SELECT '2', 'Article Not Helpful') e ON e.feedback = f.feedback
WHERE f.modified >= %(since)s AND IFNULL(f.`user`, '') NOT IN ('', 'Guest') AND IFNULL(f.article, '') != ''
	AND {not_agent_sql("f.`user`")}
	AND IFNULL((
		SELECT p.event_type FROM `tabSSP Portal Event` p
		WHERE p.`user` = f.`user` AND p.hd_article = f.article
			AND p.event_type IN ('Article Helpful', 'Article Not Helpful')
		ORDER BY p.creation DESC LIMIT 1
	), '') != e.event_type
"""


def record_missed_feedback(since) -> int:
	"""Events for feedback rows changed since ``since`` by a path no hook sees: where the reader's
	latest recorded answer is not the row's (one INSERT … SELECT, stamped with the row's change time,
	so running it twice adds nothing). Returns the rows written."""
	frappe.db.sql(MISSED_FEEDBACK_SQL, {"since": since})
	return frappe.db._cursor.rowcount
