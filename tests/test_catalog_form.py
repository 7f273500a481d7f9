from datetime import date

import pytest

from selfservice_portal.service_catalog.form import (
	FormError,
	FormField,
	make_fieldname,
	number_text,
	parse_limit,
	parse_options,
	render_description,
	render_subject,
	validate_answers,
)

LEAVE = [
	FormField("leave_type", "Leave type", "Select", True, ("Annual", "Sick", "Unpaid")),
	FormField("dates", "Dates", "Date Range", True),
	FormField("days", "Working days", "Number"),
	FormField("note", "Note", "Text"),
	FormField("handover", "Handover done", "Check"),
]


def errors_of(fields, answers):
	with pytest.raises(FormError) as info:
		validate_answers(fields, answers)
	return dict(info.value.errors)


def test_valid_answers_are_normalised_in_form_order():
	answers = validate_answers(
		LEAVE,
		{
			"note": "  back on Monday ",
			"dates": {"from": "2026-12-01", "to": "2026-12-05"},
			"leave_type": "Annual",
			"days": "5.0",
			"handover": 1,
		},
	)
	assert [(a.fieldname, a.value) for a in answers] == [
		("leave_type", "Annual"),
		("dates", "2026-12-01 to 2026-12-05"),
		("days", "5"),
		("note", "back on Monday"),
		("handover", "Yes"),
	]


def test_every_problem_is_reported_at_once():
	errors = errors_of(
		LEAVE, {"leave_type": "Holiday", "dates": ["2026-12-05", "2026-12-01"], "days": "five", "x": 1}
	)
	assert errors == {
		"x": "is not a field of this form",
		"leave_type": "is not one of the options",
		"dates": "ends before it starts",
		"days": "must be a number",
	}


def test_required_fields_and_blank_values():
	assert errors_of(LEAVE, {"leave_type": "  ", "dates": {"from": "", "to": ""}}) == {
		"leave_type": "is required",
		"dates": "is required",
	}


def test_required_check_must_be_ticked():
	fields = [FormField("agree", "I agree", "Check", True)]
	assert errors_of(fields, {"agree": 0}) == {"agree": "is required"}
	assert validate_answers(fields, {"agree": "1"})[0].value == "Yes"


@pytest.mark.parametrize(
	"fieldtype,value,message",
	[
		("Date", "31/12/2026", "must be a date (YYYY-MM-DD)"),
		("Date Range", "2026-01-01", "must be a start and an end date"),
		("Number", "nan", "must be a number"),
		("Number", "inf", "must be a number"),
		("Check", "maybe", "must be yes or no"),
		("Data", "x" * 141, "is too long"),
		("Text", {"a": 1}, "must be text"),
	],
)
def test_type_errors(fieldtype, value, message):
	assert errors_of([FormField("f", "F", fieldtype)], {"f": value}) == {"f": message}


def test_answers_must_be_an_object():
	with pytest.raises(FormError):
		validate_answers(LEAVE, ["Annual"])


def test_dates_accept_date_objects():
	answers = validate_answers([FormField("d", "D", "Date")], {"d": date(2026, 1, 2)})
	assert answers[0].value == "2026-01-02"


def test_description_escapes_everything_the_requester_typed():
	answers = validate_answers(
		[FormField("what", "What <b>", "Text")],
		{"what": '<script>alert(1)</script>\n<img src=x onerror="x()">'},
	)
	html = render_description("Chair <i>", answers)
	assert "<script>" not in html and "<img" not in html and "<i>" not in html
	assert "&lt;script&gt;" in html and "<br>" in html


def test_subject_is_readable_and_bounded():
	answers = validate_answers(LEAVE, {"leave_type": "Sick", "dates": ["2026-01-01", "2026-01-02"]})
	assert render_subject("Leave", answers) == "Leave: Sick"
	assert render_subject("Leave", []) == "Leave"
	long = validate_answers([FormField("t", "T", "Data")], {"t": "word " * 27})
	assert len(render_subject("Service", long, limit=60)) == 60


def test_fieldnames_from_labels_are_unique_and_safe():
	taken = set()
	names = []
	for label in ("Leave type", "Leave type", "2nd approver", "  ", "Ünïcode — name!"):
		name = make_fieldname(label, taken)
		taken.add(name)
		names.append(name)
	assert names == ["leave_type", "leave_type_2", "f_2nd_approver", "field", "n_code_name"]


def test_options_are_one_per_line():
	assert parse_options("A\n\n B \n") == ("A", "B")
	assert parse_options(None) == ()


def nested(depth: int):
	value = "x"
	for _ in range(depth):
		value = [value]
	return value


def test_deep_answers_are_wrong_types_not_crashes():
	deep = nested(5000)
	errors = errors_of(
		LEAVE,
		{"leave_type": deep, "dates": [deep, deep], "days": deep, "note": {"a": deep}, "handover": deep},
	)
	assert errors == {
		"leave_type": "must be text",
		"dates": "must be a start and an end date",
		"days": "must be a number",
		"note": "must be text",
		"handover": "must be yes or no",
	}


def test_a_flood_of_unknown_keys_is_one_short_error():
	answers = {f"k{i}": "x" for i in range(200_000)}
	with pytest.raises(FormError) as info:
		validate_answers(LEAVE, answers)
	assert info.value.errors == [("", "has too many answers that are not fields of this form")]
	assert len(str(info.value)) < 200


def test_a_few_unknown_keys_are_named():
	errors = errors_of(LEAVE, {"leave_type": "Sick", "dates": ["2026-01-01", "2026-01-02"], "typo": "x"})
	assert errors == {"typo": "is not a field of this form"}


def test_numbers_respect_their_limits():
	budget = [FormField("budget", "Budget", "Number", min_value=0, max_value=5000)]
	assert errors_of(budget, {"budget": "-500"}) == {"budget": "is below the minimum"}
	assert errors_of(budget, {"budget": "5000.01"}) == {"budget": "is above the maximum"}
	assert validate_answers(budget, {"budget": "0"})[0].value == "0"
	assert validate_answers(budget, {"budget": "5000.0"})[0].value == "5000"


def test_limits_are_parsed_from_text():
	assert parse_limit("") is None and parse_limit(None) is None
	assert parse_limit(" 2.5 ") == 2.5
	with pytest.raises(ValueError):
		parse_limit("nan")
	assert number_text(5.0) == "5" and number_text(2.5) == "2.5"
