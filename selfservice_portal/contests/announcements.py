"""What the audience hears: the announcement of a contest and of its winners, as a Desk alert and an
e-mail to each member, in their own language. Polls (``deflection.polls``) use ``notify_audience``."""

from collections.abc import Callable

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html

from selfservice_portal.contests.audience import audience_users
from selfservice_portal.contests.awards import active_winners
from selfservice_portal.contests.leaderboard_texts import floor_text, rule_text, tie_sentence
from selfservice_portal.contests.metrics import get_metric
from selfservice_portal.notifications import in_each_language

Compose = Callable[[Document], tuple[str, list[str]]]


def nomination_lines(contest: Document) -> list[str]:
	"""Each nomination in a sentence or two: what it measures, the floor, how a tie is settled."""
	lines = []
	for nomination in contest.nominations:
		if nomination.combine_rule:
			lines.extend(combined_lines(contest, nomination))
			continue
		metric = get_metric(nomination.metric)
		floor = (
			_("To be ranked you need {0}.").format(floor_text(nomination, metric))
			if nomination.eligibility_floor
			else ""
		)
		sentences = (f"{nomination.nomination_title}: {metric.description}", floor, tie_sentence(nomination))
		lines.append(" ".join(sentence for sentence in sentences if sentence))
	return lines


def combined_lines(contest: Document, nomination: Document) -> list[str]:
	"""The announcement of a combined nomination: its rule, then what each of its metrics counts."""
	lines = [f"{nomination.nomination_title}: {rule_text(contest, nomination)} {tie_sentence(nomination)}"]
	for part in contest.metrics_of(nomination):
		metric = get_metric(part.metric)
		lines.append(f"{nomination.nomination_title} — {metric.label}: {metric.description}")
	return lines


def notify(
	users: list[str], subject: str, message: str, contest: str, document_type: str = "SSP Contest"
) -> None:
	"""Desk notification to each user and, when the site can send mail, one e-mail (background job).
	``contest`` is the record the notification links to (a contest, or a poll of ``document_type``)."""
	for user in users:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": document_type,
				"document_name": contest,
				"subject": subject,
				"email_content": message,
			}
		).insert(ignore_permissions=True)
	if users and frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}):
		frappe.sendmail(
			recipients=users,
			subject=subject,
			message=message,
			reference_doctype=document_type,
			reference_name=contest,
		)


def notify_audience(doc: Document, compose: Compose) -> None:
	"""Tell everyone in the audience of ``doc`` (a contest, or a poll) in a background job, each in
	their own language: ``compose(doc)`` is called once per language and returns the subject and the
	lines of the message (empty lines are left out)."""
	frappe.enqueue(
		notify_in_each_language,
		queue="long",
		doctype=doc.doctype,
		name=doc.name,
		compose=compose,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
	)


def notify_in_each_language(doctype: str, name: str, compose: Compose) -> None:
	doc = frappe.get_doc(doctype, name)
	for group in in_each_language(audience_users(doc)):
		subject, lines = compose(doc)
		message = "".join(f"<p>{escape_html(line)}</p>" for line in lines if line)
		notify(group, subject, message, doc.name, doc.doctype)


def announcement(contest: Document) -> tuple[str, list[str]]:
	subject = _("New contest: {0}, from {1} to {2}").format(
		contest.title,
		frappe.utils.format_datetime(contest.starts_on),
		frappe.utils.format_datetime(contest.ends_on),
	)
	return subject, [contest.title, *nomination_lines(contest)]


def notify_audience_of_announcement(contest: Document) -> None:
	notify_audience(contest, announcement)


def winners_message(contest: Document) -> tuple[str, list[str]]:
	lines = [
		_("{0}: {1} — {2}").format(
			winner.nomination_title, frappe.utils.get_fullname(winner.user), _(winner.tier)
		)
		for winner in active_winners(contest.name)
	]
	return _("Winners of {0}").format(contest.title), lines


def announce_winners(contest: Document) -> None:
	notify_audience(contest, winners_message)
