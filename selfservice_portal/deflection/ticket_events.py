"""HD Ticket and HD Article Feedback doc_events feeding the portal journey."""

import frappe

from selfservice_portal.deflection.events import log_event

CLASSIFICATION_FIELDS = ("ticket_type", "agent_group", "ssp_service")
FEEDBACK_EVENTS = {"1": "Article Helpful", "2": "Article Not Helpful"}


def after_insert(doc, method=None) -> None:
	"""A ticket raised in Helpdesk's portal ends a journey (the catalog logs its own submissions)."""
	# Helpdesk flags every ticket made through its UI as "via customer portal", agents' too: the
	# detected channel says whether the requester served themselves.
	if doc.get("ssp_channel") != "Portal" or doc.flags.ssp_from_catalog:
		return
	log_event(
		"Ticket Submitted",
		user=frappe.session.user if frappe.session.user != "Guest" else None,
		hd_ticket=doc.name,
		service=doc.get("ssp_service"),
		department=doc.get("ssp_department"),
	)


def flag_reclassification(doc, method=None) -> None:
	"""validate: an agent changing what a portal requester chose is a misclassification to measure."""
	if doc.is_new() or doc.get("ssp_reclassified") or doc.get("ssp_channel") != "Portal":
		return
	if doc.flags.ssp_approval_handoff or not is_agent():
		return
	if any(doc.has_value_changed(f) and doc.get_doc_before_save().get(f) for f in CLASSIFICATION_FIELDS):
		doc.ssp_reclassified = 1


def is_agent() -> bool:
	return bool({"Agent", "Agent Manager"} & set(frappe.get_roles()))


def on_article_feedback(doc, method=None) -> None:
	"""HD Article Feedback on_update (runs on insert too): the "this helped" buttons."""
	event_type = FEEDBACK_EVENTS.get(str(doc.feedback))
	if not event_type or not doc.has_value_changed("feedback"):
		return
	log_event(event_type, user=doc.user, hd_article=doc.article)
