"""What a poll question is: its kinds, their limits and the checks a question passes before a poll
is saved. The portal's form, the answers and the results all read the kinds from here."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, escape_html

SINGLE, MULTIPLE, RATING, LIKELIHOOD, TEXT = (
	"Single Choice",
	"Multiple Choice",
	"Rating 1-5",
	"Likelihood 0-10",
	"Short Text",
)
CHOICE_KINDS = (SINGLE, MULTIPLE)
SCALES = {RATING: (1, 5), LIKELIHOOD: (0, 10)}
# What answers are given to: once a poll has answers, none of these may change.
QUESTION_RULES = ("question_key", "question", "kind", "options", "is_required")

MAX_QUESTIONS = 30
MAX_OPTIONS = 20
OPTION_LENGTH = 140
TEXT_LENGTH = 1000


def option_list(question: Document) -> list[str]:
	return [line.strip() for line in (question.options or "").splitlines() if line.strip()]


def scale_values(kind: str) -> list[int]:
	"""The numbers a scale offers, low to high; none for other kinds."""
	if kind not in SCALES:
		return []
	low, high = SCALES[kind]
	return list(range(low, high + 1))


def check_questions(questions: list[Document]) -> None:
	if len(questions) > MAX_QUESTIONS:
		frappe.throw(_("A poll has at most {0} questions").format(MAX_QUESTIONS))
	for question in questions:
		if not (question.question or "").strip():
			frappe.throw(_("Question {0}: the question text is required").format(question.idx))
		if question.kind in CHOICE_KINDS:
			check_options(question)
		elif question.options:
			question.options = ""  # a scale or a text has no options; left over from another kind


def check_options(question: Document) -> None:
	options = option_list(question)
	if len(options) < 2:
		frappe.throw(
			_("Question {0}: a choice needs at least two options, one per line").format(question.idx)
		)
	if len(options) > MAX_OPTIONS:
		frappe.throw(_("Question {0}: at most {1} options").format(question.idx, MAX_OPTIONS))
	if len(set(options)) != len(options):
		frappe.throw(_("Question {0}: every option must be different").format(question.idx))
	too_long = [option for option in options if len(option) > OPTION_LENGTH]
	if too_long:
		frappe.throw(
			_("Question {0}: option {1} is longer than {2} characters").format(
				question.idx, escape_html(too_long[0][:40] + "…"), OPTION_LENGTH
			)
		)


def question_rules(questions: list[Document]) -> tuple:
	"""The questions as answers depend on them, comparable between two versions of a poll."""
	return tuple(tuple(comparable(question.get(field)) for field in QUESTION_RULES) for question in questions)


def comparable(value: object) -> object:
	"""A stored value and the same value as the form sends it compare equal (1 and True, None and "")."""
	return cint(value) if isinstance(value, int | bool) else (value or "")
