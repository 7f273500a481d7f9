"""Portal polls: managers ask, portal users answer once, managers read the results next to what the
app knows of the respondents (their portal share).

Lifecycle **Draft → Open → Closed**, moved by the poll's actions and an hourly job (``opens_on`` /
``closes_on``). Once a poll has answers its questions, anonymity and audience are frozen (the SSP
Poll controller keeps them so).

One answer per person is the database's job: SSP Poll Response has a unique key on (poll,
respondent_key), where the key is an HMAC of poll and user with the site's secret — a one-way marker,
so an anonymous response stores no link to the user and a second answer still fails.

The questions' kinds live in ``poll_questions`` (read here too: ``polls.SINGLE``), the checks of the
answers in ``poll_answers``, the ready-made poll in ``poll_template``.
"""

import hashlib
import hmac
from datetime import datetime

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Count
from frappe.utils import cint, format_datetime, get_datetime, now_datetime

from selfservice_portal.contests.announcements import notify_audience
from selfservice_portal.contests.audience import is_member, is_participant, memberships_of
from selfservice_portal.contests.lifecycle import change_status
from selfservice_portal.deflection.poll_answers import clean_answers
from selfservice_portal.deflection.poll_questions import (
	CHOICE_KINDS,
	LIKELIHOOD,
	MULTIPLE,
	RATING,
	SCALES,
	SINGLE,
	TEXT,
	option_list,
	scale_values,
)
from selfservice_portal.deflection.poll_template import TEMPLATE_KEY, template_poll

DRAFT, OPEN, CLOSED = "Draft", "Open", "Closed"
TRANSITIONS = {DRAFT: {OPEN}, OPEN: {CLOSED}, CLOSED: set()}
SHOWN_POLLS = 20


def has_answers(poll: str) -> bool:
	return bool(frappe.db.exists("SSP Poll Response", {"poll": poll}))


def response_count(poll: str) -> int:
	return frappe.db.count("SSP Poll Response", {"poll": poll}) if poll else 0


def is_over(poll: Document | frappe._dict, now: datetime | None = None) -> bool:
	"""The poll's closing time has passed (a poll without one stays open until it is closed)."""
	return bool(poll.closes_on) and get_datetime(poll.closes_on) <= (now or now_datetime())


# --------------------------------------------------------------------------- lifecycle


def transition(poll: Document, status: str, **values: object) -> None:
	change_status(poll, status, TRANSITIONS, _("A poll cannot go from {0} to {1}"), **values)


def open_poll(poll: Document) -> None:
	"""Draft → Open, and tell the audience."""
	if not poll.questions:
		frappe.throw(_("Add at least one question before opening the poll"))
	if is_over(poll):
		frappe.throw(_("The poll closes on {0}, which has passed").format(format_datetime(poll.closes_on)))
	transition(poll, OPEN, opened_on=now_datetime())
	notify_poll_audience(poll)


def close_poll(poll: Document) -> None:
	transition(poll, CLOSED, closed_on=now_datetime())


def advance_polls() -> None:
	"""Scheduler (hourly): open drafts whose opening time has come, close open polls that are over."""
	now = now_datetime()
	# "is set" first: Frappe compares an empty datetime as the year 1 (earlier than now).
	due = [["status", "=", DRAFT], ["opens_on", "is", "set"], ["opens_on", "<=", now]]
	for name in frappe.get_all("SSP Poll", filters=due, pluck="name"):
		poll = frappe.get_doc("SSP Poll", name)
		if poll.questions and not is_over(poll, now):
			open_poll(poll)
	over = [["status", "=", OPEN], ["closes_on", "is", "set"], ["closes_on", "<=", now]]
	for name in frappe.get_all("SSP Poll", filters=over, pluck="name"):
		close_poll(frappe.get_doc("SSP Poll", name))


def notify_poll_audience(poll: Document) -> None:
	"""The contest announcements' notification: a Desk notification (and a mail when the site sends
	mail) to everyone in the audience, in their own language."""
	notify_audience(poll, poll_opening)


def poll_opening(poll: Document) -> tuple[str, list[str]]:
	closes = _("Open until {0}.").format(format_datetime(poll.closes_on)) if poll.closes_on else ""
	lines = [
		poll.title,
		poll.introduction or "",
		_("It takes {0} questions, on one page: {1}").format(
			len(poll.questions), frappe.utils.get_url(f"/polls?poll={poll.name}")
		),
		closes,
	]
	return _("New poll: {0}").format(poll.title), lines


# --------------------------------------------------------------------------- who answers


def respondent_key(poll: str, user: str) -> str:
	"""One-way: the site's secret and the poll make it useless for finding who answered."""
	secret = frappe.utils.password.get_encryption_key().encode()
	return hmac.new(secret, f"{poll}\0{user}".encode(), hashlib.sha256).hexdigest()


def visible_to(poll: Document, user: str) -> bool:
	"""Open and closed polls of the user's audience; drafts are the managers' business."""
	return user not in (None, "", "Guest") and poll.status in (OPEN, CLOSED) and is_participant(poll, user)


def open_poll_rows() -> list[frappe._dict]:
	"""The newest SHOWN_POLLS open polls, whoever their audience."""
	# frappe.qb (here and in open_polls_for), not frappe.get_all: no DocType meta loaded per page.
	table = frappe.qb.DocType("SSP Poll")
	return (
		frappe.qb.from_(table)
		.select(
			table.name,
			table.title,
			table.introduction,
			table.closes_on,
			table.audience_type,
			table.is_anonymous,
		)
		.where(table.status == OPEN)
		.orderby(table.opened_on, order=frappe.qb.desc)
		.limit(SHOWN_POLLS)
		.run(as_dict=True)
	)


def open_polls_for(user: str) -> list[dict]:
	"""The open polls of ``user``'s audience, newest first, each with whether they answered it."""
	if not user or user == "Guest":
		return []
	now = now_datetime()
	candidates = open_poll_rows()
	# The user's contacts and customers once, not an audience query per poll.
	memberships = memberships_of(user) if candidates else frozenset()
	polls = [
		poll
		for poll in candidates
		if not is_over(poll, now)
		and is_member(frappe.get_cached_doc("SSP Poll", poll.name), user, memberships)
	]
	if not polls:
		return []
	keys = [respondent_key(poll.name, user) for poll in polls]
	response = frappe.qb.DocType("SSP Poll Response")
	answered = set(
		frappe.qb.from_(response)
		.select(response.poll)
		.where(response.respondent_key.isin(keys))
		.run(pluck=True)
	)
	question = frappe.qb.DocType("SSP Poll Question")
	question_counts = dict(
		frappe.qb.from_(question)
		.select(question.parent, Count(question.name))
		.where((question.parenttype == "SSP Poll") & question.parent.isin([poll.name for poll in polls]))
		.groupby(question.parent)
		.run()
	)
	return [
		{
			"name": poll.name,
			"title": poll.title,
			"introduction": poll.introduction or "",
			"closes_on": format_datetime(poll.closes_on) if poll.closes_on else "",
			"is_anonymous": cint(poll.is_anonymous),
			"questions": cint(question_counts.get(poll.name)),
			"answered": poll.name in answered,
			"url": f"/polls?poll={poll.name}",
		}
		for poll in polls
	]


def poll_form(poll: Document, user: str) -> dict:
	"""One poll as the portal's form shows it."""
	return {
		"name": poll.name,
		"title": poll.title,
		"introduction": poll.introduction or "",
		"is_anonymous": cint(poll.is_anonymous),
		"closes_on": format_datetime(poll.closes_on) if poll.closes_on else "",
		"status": poll.status,
		"answered": bool(
			frappe.db.exists("SSP Poll Response", {"respondent_key": respondent_key(poll.name, user)})
		),
		"questions": [
			{
				"key": question.question_key,
				"question": question.question,
				"kind": question.kind,
				"options": option_list(question),
				"scale": scale_values(question.kind),
				"is_required": cint(question.is_required),
			}
			for question in poll.questions
		],
	}


def find_poll(name: str) -> Document | None:
	"""The poll a page's ``?poll=`` names, or None (a name too long for one is none)."""
	if len(name) > 140 or not frappe.db.exists("SSP Poll", name):
		return None
	return frappe.get_doc("SSP Poll", name)


def polls_page(user: str, name: str | None) -> dict:
	"""What /polls shows ``user``: their open polls and, when ``name`` is given, that poll's form."""
	page = {"title": _("Polls"), "poll": None}
	if name:
		poll = find_poll(str(name))
		if not poll or not visible_to(poll, user):
			# 403, not 404: Frappe caches a 404 of a page for every visitor of the URL.
			raise frappe.PermissionError(_("This poll is not open to you."))
		page.update(poll=poll_form(poll, user), title=poll.title)
	page["polls"] = open_polls_for(user)
	return page


# --------------------------------------------------------------------------- answering


def submit_answers(poll: str, answers: dict, user: str) -> dict:
	"""Store one respondent's answers, once. A second answer — even a concurrent one — hits the unique
	key on (poll, respondent_key) and writes nothing."""
	doc = frappe.get_doc("SSP Poll", poll)
	if not visible_to(doc, user):
		frappe.throw(_("This poll is not addressed to you"), frappe.PermissionError)
	if doc.status != OPEN:
		frappe.throw(_("This poll is closed: it takes no more answers"))
	if is_over(doc):
		frappe.throw(_("This poll closed on {0}").format(format_datetime(doc.closes_on)))
	response = new_response(doc, clean_answers(doc, answers), user)
	try:
		response.db_insert()
	except frappe.UniqueValidationError:
		frappe.clear_last_message()
		frappe.throw(_("You have already answered this poll. Thank you!"), frappe.DuplicateEntryError)
	for idx, answer in enumerate(response.answers, start=1):
		answer.update(
			{
				"name": frappe.generate_hash(length=12),
				"parent": response.name,
				"parenttype": "SSP Poll Response",
				"parentfield": "answers",
				"idx": idx,
				"owner": response.owner,
				"modified_by": response.owner,
				"creation": response.creation,
				"modified": response.creation,
			}
		)
		answer.db_insert()
	return {"poll": doc.name, "title": doc.title, "answered": True}


def new_response(poll: Document, rows: list[dict], user: str) -> Document:
	"""The response to insert. An anonymous one leaves no trace of who answered: not the owner, and
	only the day (not the minute) of the answer."""
	anonymous = cint(poll.is_anonymous)
	response = frappe.get_doc(
		{
			"doctype": "SSP Poll Response",
			"poll": poll.name,
			"user": None if anonymous else user,
			"respondent_key": respondent_key(poll.name, user),
			"answers": rows,
		}
	)
	response.name = frappe.generate_hash(length=12)
	stamp = now_datetime()
	if anonymous:
		stamp = get_datetime(stamp.date())
	response.owner = response.modified_by = user if not anonymous else "Administrator"
	response.creation = response.modified = stamp
	return response


# --------------------------------------------------------------------------- the ready-made poll


def ensure_template_poll() -> str | None:
	"""The ready-made "Why don't you use the portal?" poll, as a draft, unless it exists."""
	existing = frappe.db.get_value("SSP Poll", {"template": TEMPLATE_KEY})
	if existing:
		return existing
	poll = frappe.get_doc(template_poll())
	poll.insert(ignore_permissions=True)
	return poll.name
