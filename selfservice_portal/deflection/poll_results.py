"""A poll's results: one set-based query per question (counts per answer), arithmetic in Python.

For a named poll, answers are also cross-tabulated by the respondent's portal share — the share of
their HD Tickets raised through a self-service channel (SSP Channel.is_self_service) — in one more
query. No breakdown cell shows fewer than MIN_CELL people.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, fmt_money

from selfservice_portal.deflection.figures import share
from selfservice_portal.deflection.poll_questions import (
	CHOICE_KINDS,
	LIKELIHOOD,
	MULTIPLE,
	SCALES,
	TEXT,
	option_list,
	scale_values,
)

MIN_CELL = 5
SHARE_THRESHOLD = 20  # percent
TEXTS_SHOWN = 200
LOW, HIGH, NO_TICKETS = "low", "high", "none"
GROUPS = (LOW, HIGH, NO_TICKETS)

COUNTS_SQL = """
SELECT answer.value, COUNT(*) AS answers, SUM(answer.number) AS first_picks
FROM `tabSSP Poll Answer` answer
WHERE answer.poll = %(poll)s AND answer.question_key = %(key)s
GROUP BY answer.value
"""
# Free texts: how many, and the latest TEXTS_SHOWN of them (a text row has no value and number 0, so
# the index gives them newest first and only the rows shown are read).
TEXTS_SQL = """
SELECT answer.text, (SELECT COUNT(*) FROM `tabSSP Poll Answer` every_answer
	WHERE every_answer.poll = %(poll)s AND every_answer.question_key = %(key)s) AS total
FROM `tabSSP Poll Answer` answer
WHERE answer.poll = %(poll)s AND answer.question_key = %(key)s AND answer.value IS NULL AND answer.number = 0
ORDER BY answer.creation DESC
LIMIT {limit}
"""

# The respondents' portal share: tickets they raised, how many through a self-service channel.
SHARES = """
SELECT ticket.raised_by AS user, COUNT(*) AS tickets, SUM(IFNULL(channel.is_self_service, 0)) AS self_service
FROM `tabHD Ticket` ticket
LEFT JOIN `tabSSP Channel` channel ON channel.name = ticket.ssp_channel
WHERE ticket.raised_by IN (
	SELECT respondent.user FROM `tabSSP Poll Response` respondent WHERE respondent.poll = %(poll)s
)
GROUP BY ticket.raised_by
"""
GROUP_CASE = f"""CASE WHEN portal_share.tickets IS NULL THEN '{NO_TICKETS}'
	WHEN 100 * portal_share.self_service < {SHARE_THRESHOLD} * portal_share.tickets THEN '{LOW}'
	ELSE '{HIGH}' END"""
CROSSTAB_SQL = f"""
SELECT answer.question_key, answer.value, {GROUP_CASE} AS share_group, COUNT(*) AS people
FROM `tabSSP Poll Answer` answer
JOIN `tabSSP Poll Response` response ON response.name = answer.parent
LEFT JOIN ({SHARES}) portal_share ON portal_share.user = response.user
WHERE answer.poll = %(poll)s AND response.user IS NOT NULL AND answer.value IS NOT NULL
GROUP BY answer.question_key, answer.value, share_group
"""
GROUP_SIZES_SQL = f"""
SELECT {GROUP_CASE} AS share_group, COUNT(*) AS people
FROM `tabSSP Poll Response` response
LEFT JOIN ({SHARES}) portal_share ON portal_share.user = response.user
WHERE response.poll = %(poll)s AND response.user IS NOT NULL
GROUP BY share_group
"""


def percent_text(value: float) -> str:
	"""50 → "50%", 33.33 → "33.3%": no trailing .0, the site's number format (33,3 where the decimal
	mark is a comma) and the percent sign where the user's language puts it ("33,3 %" in Russian)."""
	value = round(value, 1)
	number = fmt_money(value, precision=0 if value == int(value) else 1)
	return _("{0}%").format(number)


def signed_text(value: float) -> str:
	return f"{round(value, 1):+g}"


def poll_results(poll: str) -> dict:
	doc = frappe.get_doc("SSP Poll", poll)
	respondents = frappe.db.count("SSP Poll Response", {"poll": doc.name})
	questions = [question_results(doc.name, question) for question in doc.questions]
	crosstab = None if cint(doc.is_anonymous) else portal_share_crosstab(doc.name, questions)
	return {
		"poll": doc.name,
		"title": doc.title,
		"is_anonymous": cint(doc.is_anonymous),
		"respondents": respondents,
		"questions": questions,
		"crosstab": crosstab,
	}


def question_results(poll: str, question: Document) -> dict:
	"""One query for this question whatever its kind."""
	params = {"poll": poll, "key": question.question_key}
	found = {
		"key": question.question_key,
		"idx": question.idx,
		"question": question.question,
		"kind": question.kind,
	}
	if question.kind == TEXT:
		texts = frappe.db.sql(TEXTS_SQL.format(limit=TEXTS_SHOWN), params, as_dict=True)
		found.update(answered=cint(texts[0].total) if texts else 0, texts=[row.text for row in texts])
		return found
	rows = frappe.db.sql(COUNTS_SQL, params, as_dict=True)
	counts = {row.value: cint(row.answers) for row in rows}
	# A multiple choice has a row per option picked; each respondent's first pick is marked (number = 1).
	if question.kind == MULTIPLE:
		answered = sum(cint(row.first_picks) for row in rows)
	else:
		answered = sum(counts.values())
	values = answer_values(question)
	values += [value for value in counts if value not in values]  # defensive: nothing counted is left out
	found.update(
		answered=answered,
		answers=[
			{"value": value, "count": counts.get(value, 0), "share": share(counts.get(value, 0), answered)}
			for value in values
		],
	)
	if question.kind in SCALES:
		found.update(scale_figures(question.kind, counts))
	return found


def answer_values(question: Document) -> list[str]:
	if question.kind in CHOICE_KINDS:
		return option_list(question)
	return [str(value) for value in scale_values(question.kind)]


def scale_figures(kind: str, counts: dict[str, int]) -> dict:
	"""Average of a scale; for the 0-10 likelihood also the NPS: promoters (9-10) minus detractors
	(0-6), as a percentage of the answers."""
	answered = sum(counts.values())
	total = sum(int(value) * people for value, people in counts.items())
	figures = {"average": round(total / answered, 2) if answered else None}
	if kind == LIKELIHOOD:
		promoters = sum(people for value, people in counts.items() if int(value) >= 9)
		detractors = sum(people for value, people in counts.items() if int(value) <= 6)
		figures.update(
			promoters=promoters,
			detractors=detractors,
			nps=round(100.0 * (promoters - detractors) / answered, 1) if answered else None,
		)
	return figures


def portal_share_crosstab(poll: str, questions: list[dict]) -> dict:
	"""Counts per answer and portal-share group; cells under MIN_CELL people are withheld."""
	params = {"poll": poll}
	sizes = {
		row.share_group: cint(row.people) for row in frappe.db.sql(GROUP_SIZES_SQL, params, as_dict=True)
	}
	counted = {
		(row.question_key, row.value, row.share_group): cint(row.people)
		for row in frappe.db.sql(CROSSTAB_SQL, params, as_dict=True)
	}
	cells = {
		(question["key"], answer["value"], group): counted.get((question["key"], answer["value"], group), 0)
		for question in questions
		if question["kind"] != TEXT
		for answer in question["answers"]
		for group in GROUPS
	}
	return {"group_sizes": {group: sizes.get(group, 0) for group in GROUPS}, "cells": cells}


def cell_text(count: int, group_size: int) -> str:
	if count < MIN_CELL:
		return _("fewer than {0}").format(MIN_CELL)
	return "{0} ({1})".format(count, percent_text(share(count, group_size)))


def group_label(group: str) -> str:
	return {
		LOW: _("Portal share below {0}").format(percent_text(SHARE_THRESHOLD)),
		HIGH: _("Portal share {0} or more").format(percent_text(SHARE_THRESHOLD)),
		NO_TICKETS: _("No tickets yet"),
	}[group]
