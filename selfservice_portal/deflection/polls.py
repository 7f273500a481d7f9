"""Portal polls: managers ask, portal users answer once, managers read the results next to what the
app knows of the respondents (their portal share).

Lifecycle **Draft → Open → Closed**, moved by the poll's actions and an hourly job (``opens_on`` /
``closes_on``). Once a poll has answers its questions, anonymity and audience are frozen.

One answer per person is the database's job: SSP Poll Response has a unique key on (poll,
respondent_key), where the key is an HMAC of poll and user with the site's secret — a one-way marker,
so an anonymous response stores no link to the user and a second answer still fails.
"""

import hashlib
import hmac

import frappe
from frappe import _
from frappe.utils import cint, escape_html, format_datetime, get_datetime, now_datetime

from selfservice_portal.contests.leaderboard import is_participant, notify_audience
from selfservice_portal.contests.lifecycle import change_status

DRAFT, OPEN, CLOSED = "Draft", "Open", "Closed"
TRANSITIONS = {DRAFT: {OPEN}, OPEN: {CLOSED}, CLOSED: set()}

SINGLE, MULTIPLE, RATING, LIKELIHOOD, TEXT = (
	"Single Choice",
	"Multiple Choice",
	"Rating 1-5",
	"Likelihood 0-10",
	"Short Text",
)
CHOICE_KINDS = (SINGLE, MULTIPLE)
SCALES = {RATING: (1, 5), LIKELIHOOD: (0, 10)}
QUESTION_RULES = ("question_key", "question", "kind", "options", "is_required")

MAX_QUESTIONS = 30
MAX_OPTIONS = 20
OPTION_LENGTH = 140
TEXT_LENGTH = 1000
SHOWN_POLLS = 20


# --------------------------------------------------------------------------- the poll (controller)


def set_question_keys(doc) -> None:
	"""Answers are filed under a question's key, which survives reordering."""
	for row in doc.questions:
		if not row.question_key:
			row.question_key = frappe.generate_hash(length=10)


def validate_questions(doc) -> None:
	if len(doc.questions) > MAX_QUESTIONS:
		frappe.throw(_("A poll has at most {0} questions").format(MAX_QUESTIONS))
	for row in doc.questions:
		if not (row.question or "").strip():
			frappe.throw(_("Question {0}: the question text is required").format(row.idx))
		if row.kind in CHOICE_KINDS:
			options = option_list(row)
			if len(options) < 2:
				frappe.throw(
					_("Question {0}: a choice needs at least two options, one per line").format(row.idx)
				)
			if len(options) > MAX_OPTIONS:
				frappe.throw(_("Question {0}: at most {1} options").format(row.idx, MAX_OPTIONS))
			if len(set(options)) != len(options):
				frappe.throw(_("Question {0}: every option must be different").format(row.idx))
			long = [o for o in options if len(o) > OPTION_LENGTH]
			if long:
				frappe.throw(
					_("Question {0}: option {1} is longer than {2} characters").format(
						row.idx, escape_html(long[0][:40] + "…"), OPTION_LENGTH
					)
				)
		elif row.options and row.kind not in CHOICE_KINDS:
			row.options = ""  # a scale or a text has no options; left over from another kind


def option_list(row) -> list[str]:
	return [line.strip() for line in (row.options or "").splitlines() if line.strip()]


def validate_period(doc) -> None:
	if doc.opens_on and doc.closes_on and get_datetime(doc.closes_on) <= get_datetime(doc.opens_on):
		frappe.throw(_("The poll must close after it opens"))


def guard_status(doc) -> None:
	"""Status moves only through transition() (Actions in Desk, the hourly job)."""
	before = doc.get_doc_before_save()
	old = before.status if before else DRAFT
	if doc.is_new() and doc.status != DRAFT:
		frappe.throw(_("A new poll starts as a draft"))
	if old != doc.status and not doc.flags.ssp_transition:
		frappe.throw(
			_("Use the poll's actions to change its status from {0} to {1}").format(
				escape_html(_(old)), escape_html(_(doc.status) if doc.status else "")
			)
		)


def rules_snapshot(doc) -> tuple:
	return (
		tuple(tuple(cstr_or_int(row.get(f)) for f in QUESTION_RULES) for row in doc.questions),
		cint(doc.is_anonymous),
		doc.audience_type,
		tuple(sorted((a.audience_doctype, a.audience_name) for a in doc.audience)),
	)


def cstr_or_int(value):
	return cint(value) if isinstance(value, int | bool) else (value or "")


def guard_frozen(doc) -> None:
	"""Answers were given to these questions, under this promise of anonymity and to this audience."""
	if doc.is_new() or not has_answers(doc.name):
		return
	before = doc.get_doc_before_save()
	if before and rules_snapshot(doc) != rules_snapshot(before):
		frappe.throw(
			_(
				"This poll has answers: its questions, their order, anonymity and audience can no longer change."
			),
			title=_("Questions are frozen"),
		)


def guard_deletion(doc) -> None:
	if doc.status == OPEN:
		frappe.throw(_("Close the poll before deleting it"))


def delete_responses(doc) -> None:
	"""The answers belong to the poll: they go with it (a closed poll's results go too)."""
	frappe.db.delete("SSP Poll Answer", {"poll": doc.name})
	frappe.db.delete("SSP Poll Response", {"poll": doc.name})


def guard_question_row_deletion(row) -> None:
	"""A question deleted on its own (``frappe.client.delete``) never runs the poll's validate."""
	if row.parenttype == "SSP Poll" and row.parent and has_answers(row.parent):
		frappe.throw(_("Poll {0} has answers: its questions can no longer change").format(row.parent))


def has_answers(poll: str) -> bool:
	return bool(frappe.db.exists("SSP Poll Response", {"poll": poll}))


def response_count(poll: str) -> int:
	return frappe.db.count("SSP Poll Response", {"poll": poll}) if poll else 0


# --------------------------------------------------------------------------- lifecycle


def transition(doc, status: str, **values) -> None:
	change_status(doc, status, TRANSITIONS, _("A poll cannot go from {0} to {1}"), **values)


def open_poll(doc) -> None:
	"""Draft → Open, and tell the audience."""
	if not doc.questions:
		frappe.throw(_("Add at least one question before opening the poll"))
	if doc.closes_on and get_datetime(doc.closes_on) <= now_datetime():
		frappe.throw(_("The poll closes on {0}, which has passed").format(format_datetime(doc.closes_on)))
	transition(doc, OPEN, opened_on=now_datetime())
	notify_poll_audience(doc)


def close_poll(doc) -> None:
	transition(doc, CLOSED, closed_on=now_datetime())


def advance_polls() -> None:
	"""Scheduler (hourly): open drafts whose opening time has come, close open polls that are over."""
	now = now_datetime()
	# "is set" first: Frappe compares an empty datetime as the year 1 (earlier than now).
	due = [["status", "=", DRAFT], ["opens_on", "is", "set"], ["opens_on", "<=", now]]
	for name in frappe.get_all("SSP Poll", filters=due, pluck="name"):
		doc = frappe.get_doc("SSP Poll", name)
		if doc.questions and not (doc.closes_on and get_datetime(doc.closes_on) <= now):
			open_poll(doc)
	over = [["status", "=", OPEN], ["closes_on", "is", "set"], ["closes_on", "<=", now]]
	for name in frappe.get_all("SSP Poll", filters=over, pluck="name"):
		close_poll(frappe.get_doc("SSP Poll", name))


def notify_poll_audience(doc) -> None:
	"""The contest announcements' notification: a Desk notification (and a mail when the site sends
	mail) to everyone in the audience, in their own language."""
	notify_audience(doc, poll_opening)


def poll_opening(doc) -> tuple[str, list[str]]:
	closes = _("Open until {0}.").format(format_datetime(doc.closes_on)) if doc.closes_on else ""
	lines = [
		doc.title,
		doc.introduction or "",
		_("It takes {0} questions, on one page: {1}").format(
			len(doc.questions), frappe.utils.get_url(f"/polls?poll={doc.name}")
		),
		closes,
	]
	return _("New poll: {0}").format(doc.title), lines


# --------------------------------------------------------------------------- who answers


def respondent_key(poll: str, user: str) -> str:
	"""One-way: the site's secret and the poll make it useless for finding who answered."""
	secret = frappe.utils.password.get_encryption_key().encode()
	return hmac.new(secret, f"{poll}\0{user}".encode(), hashlib.sha256).hexdigest()


def visible_to(doc, user: str) -> bool:
	"""Open and closed polls of the user's audience; drafts are the managers' business."""
	return user not in (None, "", "Guest") and doc.status in (OPEN, CLOSED) and is_participant(doc, user)


def open_polls_for(user: str) -> list[dict]:
	"""The open polls of ``user``'s audience, newest first, each with whether they answered it."""
	if not user or user == "Guest":
		return []
	now = now_datetime()
	polls = [
		p
		for p in frappe.get_all(
			"SSP Poll",
			filters={"status": OPEN},
			fields=["name", "title", "introduction", "closes_on", "audience_type", "is_anonymous"],
			order_by="opened_on desc",
			limit=SHOWN_POLLS,
		)
		if not (p.closes_on and get_datetime(p.closes_on) <= now)
	]
	polls = [p for p in polls if is_participant(frappe.get_cached_doc("SSP Poll", p.name), user)]
	if not polls:
		return []
	keys = {respondent_key(p.name, user): p.name for p in polls}
	answered = set(
		frappe.get_all("SSP Poll Response", filters={"respondent_key": ("in", list(keys))}, pluck="poll")
	)
	counts = dict(
		frappe.get_all(
			"SSP Poll Question",
			filters={"parenttype": "SSP Poll", "parent": ("in", [p.name for p in polls])},
			fields=["parent", "count(name) as n"],
			group_by="parent",
			as_list=True,
		)
	)
	return [
		{
			"name": p.name,
			"title": p.title,
			"introduction": p.introduction or "",
			"closes_on": format_datetime(p.closes_on) if p.closes_on else "",
			"is_anonymous": cint(p.is_anonymous),
			"questions": cint(counts.get(p.name)),
			"answered": p.name in answered,
			"url": f"/polls?poll={p.name}",
		}
		for p in polls
	]


def poll_form(doc, user: str) -> dict:
	"""One poll as the portal's form shows it."""
	return {
		"name": doc.name,
		"title": doc.title,
		"introduction": doc.introduction or "",
		"is_anonymous": cint(doc.is_anonymous),
		"closes_on": format_datetime(doc.closes_on) if doc.closes_on else "",
		"answered": bool(
			frappe.db.exists("SSP Poll Response", {"respondent_key": respondent_key(doc.name, user)})
		),
		"questions": [
			{
				"key": q.question_key,
				"question": q.question,
				"kind": q.kind,
				"options": option_list(q),
				"scale": list(range(SCALES[q.kind][0], SCALES[q.kind][1] + 1)) if q.kind in SCALES else [],
				"is_required": cint(q.is_required),
			}
			for q in doc.questions
		],
	}


# --------------------------------------------------------------------------- answering


def clean_answers(doc, answers: dict) -> list[dict]:
	"""Every answer checked against its question; rows to store (a multiple choice gives one row per
	option picked, so results count with one GROUP BY)."""
	if not isinstance(answers, dict):
		frappe.throw(_("Answers must be a JSON object of question keys and answers"))
	questions = {q.question_key: q for q in doc.questions}
	unknown = [k for k in answers if k not in questions]
	if unknown:
		frappe.throw(_("Unknown question {0}").format(escape_html(str(unknown[0])[:40])))
	rows = []
	for q in doc.questions:
		value = answers.get(q.question_key)
		if isinstance(value, str):
			value = value.strip()
		if value in (None, "", []):
			if cint(q.is_required):
				frappe.throw(_("Question {0} needs an answer: {1}").format(q.idx, escape_html(q.question)))
			continue
		rows.extend(answer_rows(doc.name, q, value))
	if not rows:
		frappe.throw(_("Answer at least one question"))
	return rows


def answer_rows(poll: str, q, value) -> list[dict]:
	row = {"poll": poll, "question_key": q.question_key}
	label = _("Question {0}").format(q.idx)
	if q.kind in CHOICE_KINDS:
		picked = value if isinstance(value, list) else [value]
		if q.kind == SINGLE and len(picked) != 1:
			frappe.throw(_("{0}: pick one option").format(label))
		options = option_list(q)
		for option in picked:
			if not isinstance(option, str) or option not in options:
				frappe.throw(
					_("{0}: {1} is not one of its options").format(label, escape_html(str(option)[:40]))
				)
		if len(set(picked)) != len(picked):
			frappe.throw(_("{0}: an option was picked twice").format(label))
		# ``number`` marks a respondent's first pick, so that results count respondents in the same
		# GROUP BY that counts the options.
		return [{**row, "value": option, "number": int(i == 0)} for i, option in enumerate(picked)]
	if q.kind in SCALES:
		low, high = SCALES[q.kind]
		try:
			number = int(str(value))
		except ValueError:
			number = None
		if number is None or not low <= number <= high or isinstance(value, bool | float | list):
			frappe.throw(_("{0}: pick a whole number from {1} to {2}").format(label, low, high))
		return [{**row, "value": str(number), "number": number}]
	if not isinstance(value, str):
		frappe.throw(_("{0}: the answer must be text").format(label))
	if len(value) > TEXT_LENGTH:
		frappe.throw(_("{0}: at most {1} characters").format(label, TEXT_LENGTH))
	return [{**row, "text": value}]


def submit_answers(poll: str, answers: dict, user: str) -> dict:
	"""Store one respondent's answers, once. A second answer — even a concurrent one — hits the unique
	key on (poll, respondent_key) and writes nothing."""
	doc = frappe.get_doc("SSP Poll", poll)
	if not visible_to(doc, user):
		frappe.throw(_("This poll is not addressed to you"), frappe.PermissionError)
	if doc.status != OPEN:
		frappe.throw(_("This poll is closed: it takes no more answers"))
	if doc.closes_on and get_datetime(doc.closes_on) <= now_datetime():
		frappe.throw(_("This poll closed on {0}").format(format_datetime(doc.closes_on)))
	rows = clean_answers(doc, answers)
	anonymous = cint(doc.is_anonymous)
	response = frappe.get_doc(
		{
			"doctype": "SSP Poll Response",
			"poll": doc.name,
			"user": None if anonymous else user,
			"respondent_key": respondent_key(doc.name, user),
			"answers": rows,
		}
	)
	response.name = frappe.generate_hash(length=12)
	stamp = now_datetime()
	if anonymous:
		# No trace of who answered: not the owner, and only the day (not the minute) of the answer.
		stamp = get_datetime(stamp.date())
	response.owner = response.modified_by = user if not anonymous else "Administrator"
	response.creation = response.modified = stamp
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
				"creation": stamp,
				"modified": stamp,
			}
		)
		answer.db_insert()
	return {"poll": doc.name, "title": doc.title, "answered": True}


# --------------------------------------------------------------------------- template


TEMPLATE_KEY = "why-not-portal"


def template_questions() -> list[dict]:
	return [
		{
			"question": _("How do you prefer to contact support?"),
			"kind": SINGLE,
			"options": "\n".join(
				[_("Self-service portal"), _("Email"), _("Phone"), _("Chat or messenger"), _("In person")]
			),
			"is_required": 1,
		},
		{"question": _("Why do you prefer this way?"), "kind": TEXT},
		{
			"question": _("What is missing in the service catalog?"),
			"kind": MULTIPLE,
			"options": "\n".join(
				[
					_("The service I need is not there"),
					_("The forms ask too much"),
					_("I cannot follow my request"),
					_("Approvals take too long"),
					_("Nothing is missing"),
				]
			),
		},
		{
			"question": _("Was the knowledge base useful?"),
			"kind": SINGLE,
			"options": "\n".join(
				[_("Yes, it solved my problem"), _("Partly"), _("No"), _("I have not used it")]
			),
		},
		{
			"question": _("How easy is the portal to use? (1 = very hard, 5 = very easy)"),
			"kind": RATING,
			"is_required": 1,
		},
		{
			"question": _(
				"How likely are you to recommend the portal to a colleague? (0 = not at all, 10 = certainly)"
			),
			"kind": LIKELIHOOD,
			"is_required": 1,
		},
	]


def ensure_template_poll() -> str | None:
	"""The ready-made "Why don't you use the portal?" poll, as a draft, unless it exists."""
	existing = frappe.db.get_value("SSP Poll", {"template": TEMPLATE_KEY})
	if existing:
		return existing
	doc = frappe.get_doc(
		{
			"doctype": "SSP Poll",
			"title": _("Why don't you use the portal?"),
			"template": TEMPLATE_KEY,
			"introduction": _(
				"Six short questions, about two minutes. Tell us what keeps you from serving yourself on the "
				"portal, so that we fix what matters to you."
			),
			"audience_type": "All Portal Users",
			"questions": template_questions(),
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name
