"""What the audience hears: the announcement of a contest and of its winners, as a Desk alert and an
e-mail to each member, in their own language, worded by the Email Templates "SSP Contest
Announcement" and "SSP Contest Winners" (``selfservice_portal/templates/emails``). Polls
(``deflection.polls``) tell their audience through ``notify_audience``."""

from collections.abc import Callable
from functools import partial

import frappe
from frappe import _
from frappe.model.document import Document

from selfservice_portal.contests.audience import audience_users
from selfservice_portal.contests.awards import active_winners
from selfservice_portal.contests.leaderboard_texts import floor_text, rule_text, tie_sentence
from selfservice_portal.contests.metrics import get_metric
from selfservice_portal.notifications import in_each_language, render, send

ANNOUNCEMENT = "SSP Contest Announcement"
WINNERS = "SSP Contest Winners"
# A message whose subject and lines are composed in code (a poll's opening): the template lays it out.
AUDIENCE_MESSAGE = "SSP Audience Message"

Compose = Callable[[Document], tuple[str, list[str]]]
ContextOf = Callable[[Document], dict]


def tell_audience(doc: Document, template_name: str, context_of: ContextOf) -> None:
	"""Tell everyone in the audience of ``doc`` (a contest, or a poll) in a background job, each in
	their own language: the Email Template ``template_name`` rendered with ``context_of(doc)``, which
	is called once per language."""
	frappe.enqueue(
		send_in_each_language,
		queue="long",
		doctype=doc.doctype,
		name=doc.name,
		template_name=template_name,
		context_of=context_of,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
	)


def send_in_each_language(doctype: str, name: str, template_name: str, context_of: ContextOf) -> None:
	doc = frappe.get_doc(doctype, name)
	for group in in_each_language(audience_users(doc)):
		send(template_name, group, context_of(doc), doc.doctype, doc.name)


def notify_audience(doc: Document, compose: Compose) -> None:
	"""Tell the audience of ``doc`` a message composed in code: ``compose(doc)`` is called once per
	language and returns the subject and the lines of the message (empty lines are left out)."""
	tell_audience(doc, AUDIENCE_MESSAGE, partial(composed_context, compose))


def composed_context(compose: Compose, doc: Document) -> dict:
	subject, lines = compose(doc)
	return {"subject": subject, "lines": lines}


def notify_audience_of_announcement(contest: Document) -> None:
	tell_audience(contest, ANNOUNCEMENT, announcement_context)


def announce_winners(contest: Document) -> None:
	tell_audience(contest, WINNERS, winners_context)


def announcement_context(contest: Document) -> dict:
	return {
		"contest_title": contest.title,
		"starts_on": frappe.utils.format_datetime(contest.starts_on),
		"ends_on": frappe.utils.format_datetime(contest.ends_on),
		"nomination_lines": nomination_lines(contest),
	}


def announcement(contest: Document) -> tuple[str, str]:
	"""The announcement's subject and message in the current language, as the audience reads them."""
	return render(ANNOUNCEMENT, announcement_context(contest))


def winners_context(contest: Document) -> dict:
	winners = active_winners(contest.name)
	for winner in winners:
		winner.full_name = frappe.utils.get_fullname(winner.user)  # names, never e-mail addresses
	return {"contest_title": contest.title, "winners": winners}


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
