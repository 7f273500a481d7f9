"""A respondent's answers checked against the poll's questions and turned into the rows stored: a
multiple choice gives one row per option picked, so that results count with one GROUP BY."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, escape_html

from selfservice_portal.deflection.poll_questions import (
	CHOICE_KINDS,
	SCALES,
	SINGLE,
	TEXT_LENGTH,
	option_list,
)

# An answer as the portal's form sends it: text, a number, or the options picked.
AnswerValue = str | int | float | bool | list | None


def clean_answers(poll: Document, answers: dict) -> list[dict]:
	"""Every answer checked against its question; the rows to store."""
	if not isinstance(answers, dict):
		frappe.throw(_("Answers must be a JSON object of question keys and answers"))
	questions = {question.question_key: question for question in poll.questions}
	unknown = [key for key in answers if key not in questions]
	if unknown:
		frappe.throw(_("Unknown question {0}").format(escape_html(str(unknown[0])[:40])))
	rows = []
	for question in poll.questions:
		value = answers.get(question.question_key)
		if isinstance(value, str):
			value = value.strip()
		if value in (None, "", []):
			if cint(question.is_required):
				frappe.throw(
					_("Question {0} needs an answer: {1}").format(
						question.idx, escape_html(question.question)
					)
				)
			continue
		rows.extend(answer_rows(poll.name, question, value))
	if not rows:
		frappe.throw(_("Answer at least one question"))
	return rows


def answer_rows(poll: str, question: Document, value: AnswerValue) -> list[dict]:
	row = {"poll": poll, "question_key": question.question_key}
	label = _("Question {0}").format(question.idx)
	if question.kind in CHOICE_KINDS:
		return [{**row, **choice} for choice in choice_rows(question, value, label)]
	if question.kind in SCALES:
		return [{**row, **scale_row(question.kind, value, label)}]
	if not isinstance(value, str):
		frappe.throw(_("{0}: the answer must be text").format(label))
	if len(value) > TEXT_LENGTH:
		frappe.throw(_("{0}: at most {1} characters").format(label, TEXT_LENGTH))
	return [{**row, "text": value}]


def choice_rows(question: Document, value: AnswerValue, label: str) -> list[dict]:
	picked = value if isinstance(value, list) else [value]
	if question.kind == SINGLE and len(picked) != 1:
		frappe.throw(_("{0}: pick one option").format(label))
	options = option_list(question)
	for option in picked:
		if not isinstance(option, str) or option not in options:
			frappe.throw(_("{0}: {1} is not one of its options").format(label, escape_html(str(option)[:40])))
	if len(set(picked)) != len(picked):
		frappe.throw(_("{0}: an option was picked twice").format(label))
	# ``number`` marks a respondent's first pick, so that results count respondents in the same
	# GROUP BY that counts the options.
	return [{"value": option, "number": int(position == 0)} for position, option in enumerate(picked)]


def scale_row(kind: str, value: AnswerValue, label: str) -> dict:
	low, high = SCALES[kind]
	try:
		number = int(str(value))
	except ValueError:
		number = None
	if number is None or not low <= number <= high or isinstance(value, bool | float | list):
		frappe.throw(_("{0}: pick a whole number from {1} to {2}").format(label, low, high))
	return {"value": str(number), "number": number}
