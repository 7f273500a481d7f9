"""Request-form rules, frappe-free: field names, answer validation and the ticket description.

The portal page, the API and the Helpdesk new-ticket path all go through ``validate_answers`` so a
service's form means the same thing wherever it is filled in.
"""

import html
import re
from dataclasses import dataclass
from datetime import date

FIELD_TYPES = ("Data", "Text", "Select", "Date", "Date Range", "Number", "Check", "Attach", "User")
MAX_LENGTH = {"Data": 140, "Text": 5000, "Attach": 500, "User": 140}
DEFAULT_MAX_LENGTH = 500


@dataclass(frozen=True)
class FormField:
	fieldname: str
	label: str
	fieldtype: str = "Data"
	is_required: bool = False
	options: tuple[str, ...] = ()
	min_value: float | None = None  # Number fields: the smallest and largest answer allowed
	max_value: float | None = None


@dataclass(frozen=True)
class Answer:
	fieldname: str
	label: str
	fieldtype: str
	value: str  # normalised, plain text (never HTML)


# A wrong type named for the field's kind, for answers that are lists or objects where text was due.
WRONG_TYPE = {
	"Check": "must be yes or no",
	"Number": "must be a number",
	"Date": "must be a date (YYYY-MM-DD)",
}
MAX_UNKNOWN_KEYS = 10


class FormError(ValueError):
	"""Every problem with a submission at once, so the requester can fix them in one go."""

	def __init__(self, errors: list[tuple[str, str]]) -> None:
		self.errors = errors  # (fieldname, message-key) pairs, message keys are translated by the caller
		super().__init__("; ".join(f"{f}: {m}" for f, m in errors))


def make_fieldname(label: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
	base = re.sub(r"[^a-z0-9]+", "_", label.strip().lower()).strip("_") or "field"
	if base[0].isdigit():
		base = f"f_{base}"
	base = base[:60]
	name, n = base, 2
	while name in taken:
		name, n = f"{base}_{n}", n + 1
	return name


def parse_options(raw: str | None) -> tuple[str, ...]:
	return tuple(line.strip() for line in (raw or "").splitlines() if line.strip())


def parse_limit(raw: str | float | None) -> float | None:
	"""A field's minimum or maximum as configured (text, so that "no limit" differs from 0)."""
	if raw is None or (isinstance(raw, str) and not raw.strip()):
		return None
	try:
		number = float(str(raw).strip())
	except ValueError:
		raise ValueError("is not a number")
	if number != number or number in (float("inf"), float("-inf")):
		raise ValueError("is not a number")
	return number


def number_text(number: float) -> str:
	"""A number as people write it: no trailing .0."""
	return str(int(number)) if float(number).is_integer() else str(number)


def _is_blank(value: object) -> bool:
	return value is None or (isinstance(value, str) and not value.strip())


def _is_empty(value: object) -> bool:
	"""No answer: nothing, blank text, or a container of those (one level: a date range). Deeper
	containers are answers of the wrong type, refused by _normalise, never walked."""
	if isinstance(value, list | tuple | dict):
		return all(_is_blank(v) for v in (value.values() if isinstance(value, dict) else value))
	return _is_blank(value)


def _parse_date(value: object) -> date:
	if isinstance(value, date):
		return value
	if not isinstance(value, str):
		raise TypeError("a date is text")
	return date.fromisoformat(value.strip()[:10])


def _normalise(field: FormField, value: object) -> str:
	"""Return the canonical text of ``value`` or raise ValueError with a message key."""
	kind = field.fieldtype
	if kind != "Date Range" and isinstance(value, list | tuple | dict):
		raise ValueError(WRONG_TYPE.get(kind, "must be text"))
	if kind == "Check":
		if isinstance(value, bool) or value in (0, 1, "0", "1"):
			return "Yes" if int(value) else "No"
		if isinstance(value, str) and value.lower() in ("yes", "no", "true", "false"):
			return "Yes" if value.lower() in ("yes", "true") else "No"
		raise ValueError("must be yes or no")
	if kind == "Number":
		try:
			number = float(str(value).strip())
		except ValueError:
			raise ValueError("must be a number")
		if number != number or number in (float("inf"), float("-inf")):
			raise ValueError("must be a number")
		if field.min_value is not None and number < field.min_value:
			raise ValueError("is below the minimum")
		if field.max_value is not None and number > field.max_value:
			raise ValueError("is above the maximum")
		return number_text(number)
	if kind == "Date":
		try:
			return _parse_date(value).isoformat()
		except (TypeError, ValueError):
			raise ValueError("must be a date (YYYY-MM-DD)")
	if kind == "Date Range":
		if isinstance(value, dict):
			start, end = value.get("from") or value.get("start"), value.get("to") or value.get("end")
		elif isinstance(value, list | tuple) and len(value) == 2:
			start, end = value
		else:
			raise ValueError("must be a start and an end date")
		try:
			start, end = _parse_date(start), _parse_date(end)
		except (TypeError, ValueError):
			raise ValueError("must be a start and an end date")
		if end < start:
			raise ValueError("ends before it starts")  # shown as "the end date … is before the start date"
		return f"{start.isoformat()} to {end.isoformat()}"
	if not isinstance(value, str | int | float):
		raise ValueError("must be text")
	text = str(value).strip()
	if len(text) > MAX_LENGTH.get(kind, DEFAULT_MAX_LENGTH):
		raise ValueError("is too long")
	if kind == "Select" and text not in field.options:
		raise ValueError("is not one of the options")
	return text


def validate_answers(fields: list[FormField], answers: dict) -> list[Answer]:
	"""Check ``answers`` against the form; return them normalised, in form order.

	Unknown keys are refused rather than ignored: they mean the client and the form disagree.
	"""
	if not isinstance(answers, dict):
		raise FormError([("", "answers must be an object")])
	known = {f.fieldname for f in fields}
	unknown = [key for key in answers if key not in known]
	if len(unknown) > MAX_UNKNOWN_KEYS:
		# Named one by one, a flood of keys would make the error message itself the attack.
		raise FormError([("", "has too many answers that are not fields of this form")])
	errors = [(key, "is not a field of this form") for key in unknown]
	cleaned: list[Answer] = []
	for field in fields:
		value = answers.get(field.fieldname)
		if _is_empty(value) or (
			field.fieldtype == "Check" and value in (0, "0", False) and field.is_required
		):
			if field.is_required:
				errors.append((field.fieldname, "is required"))
			continue
		try:
			cleaned.append(Answer(field.fieldname, field.label, field.fieldtype, _normalise(field, value)))
		except ValueError as e:
			errors.append((field.fieldname, str(e)))
	if errors:
		raise FormError(errors)
	return cleaned


def render_description(service_title: str, answers: list[Answer], requester_note: str = "") -> str:
	"""The ticket description: every answer, HTML-escaped, so nothing a requester typed runs as markup."""
	rows = "".join(
		f"<tr><th>{html.escape(a.label)}</th><td>{html.escape(a.value).replace(chr(10), '<br>')}</td></tr>"
		for a in answers
	)
	note = f"<p>{html.escape(requester_note)}</p>" if requester_note else ""
	return f"<p><strong>{html.escape(service_title)}</strong></p>{note}<table>{rows}</table>"


def render_subject(service_title: str, answers: list[Answer], limit: int = 140) -> str:
	"""'<Service>: <first short answer>' — readable in a ticket list."""
	first = next((a.value for a in answers if a.fieldtype in ("Data", "Select", "Date Range", "Date")), "")
	subject = f"{service_title}: {first}" if first else service_title
	subject = " ".join(subject.split())
	return subject if len(subject) <= limit else subject[: limit - 1] + "…"
