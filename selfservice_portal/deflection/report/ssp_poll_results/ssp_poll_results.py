# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""A poll's results for managers: per question the answers with counts and shares, averages of the
scales, the NPS of the 0-10 question and the free texts; for a named poll the answers of respondents
whose portal share is below 20 % next to those at or above it (no cell under 5 people)."""

import frappe
from frappe import _
from frappe.utils import cint

from selfservice_portal.deflection import poll_results as results
from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.poll_questions import LIKELIHOOD, SCALES, TEXT
from selfservice_portal.permissions import MANAGER_ROLES, require_roles


def execute(filters: dict | None = None) -> tuple:
	require_roles(*MANAGER_ROLES)
	filters = frappe._dict(filters or {})
	if not filters.poll or not frappe.db.exists("SSP Poll", filters.poll):
		return columns(None), [], _("Pick a poll to see its results."), None
	data = results.poll_results(filters.poll)
	return columns(data), rows(data), message(data), chart(data, cint(filters.question))


def columns(data: dict | None) -> list[dict]:
	column = report_data.column
	found = [
		column("question", _("Question"), "Data", 320),
		column("answer", _("Answer"), "Data", 260),
		column("count", _("People"), "Int", 90),
		column("share", _("Share", context="Share of answers"), "Data", 90),
	]
	if data and data["crosstab"]:
		sizes = data["crosstab"]["group_sizes"]
		found += [
			column(
				f"group_{group}",
				"{0} ({1})".format(results.group_label(group), group_size_text(sizes[group])),
				"Data",
				260,
			)
			for group in results.GROUPS
		]
	return found


def group_size_text(size: int) -> str:
	if size < results.MIN_CELL:
		return _("fewer than {0} people").format(results.MIN_CELL)
	return _("{0} people").format(size)


def rows(data: dict) -> list[dict]:
	found = []
	for question in data["questions"]:
		found.append(
			{
				"question": f"{question['idx']}. {question['question']}",
				"answer": _(question["kind"]),
				"count": question["answered"],
				"share": "",
				"is_heading": 1,
			}
		)
		if question["kind"] == TEXT:
			found.extend(text_rows(question))
		else:
			found.extend(answer_rows(question, data["crosstab"]))
	return found


def text_rows(question: dict) -> list[dict]:
	found = [{"question": "", "answer": text, "count": None, "share": ""} for text in question["texts"]]
	if question["answered"] > len(question["texts"]):
		more = question["answered"] - len(question["texts"])
		found.append({"question": "", "answer": _("… and {0} more").format(more)})
	return found


def answer_rows(question: dict, crosstab: dict | None) -> list[dict]:
	"""Each answer with its count and share (and its cells by portal share), then the scale's figures."""
	found = []
	for answer in question["answers"]:
		row = {
			"question": "",
			"answer": answer["value"],
			"count": answer["count"],
			"share": results.percent_text(answer["share"]),
		}
		if crosstab:
			sizes = crosstab["group_sizes"]
			for group in results.GROUPS:
				row[f"group_{group}"] = results.cell_text(
					crosstab["cells"][(question["key"], answer["value"], group)], sizes[group]
				)
		found.append(row)
	if question["kind"] in SCALES and question.get("average") is not None:
		found.append({"question": "", "answer": _("Average"), "share": f"{question['average']:g}"})
	if question["kind"] == LIKELIHOOD and question.get("nps") is not None:
		nps_label = _("NPS ({0} promoters minus {1} detractors)").format(
			question["promoters"], question["detractors"]
		)
		found.append({"question": "", "answer": nps_label, "share": results.signed_text(question["nps"])})
	return found


def message(data: dict) -> str:
	parts = [
		_("{0} people answered this poll.").format(data["respondents"]),
		_(
			"Share = people who gave the answer ÷ people who answered the question (a multiple choice adds up "
			"to more than 100 %). NPS = promoters (9-10) minus detractors (0-6), as a percentage of the answers."
		),
	]
	if data["crosstab"]:
		parts.append(
			_(
				"Portal share = the respondent's tickets raised through a self-service channel ÷ all their "
				"tickets. Cells of fewer than {0} people are not shown, so that nobody can be recognised."
			).format(results.MIN_CELL)
		)
	elif data["is_anonymous"]:
		parts.append(_("This poll is anonymous: its answers are not broken down by respondent."))
	return "".join(f"<p>{frappe.utils.escape_html(part)}</p>" for part in parts)


def chart(data: dict, question_no: int = 0) -> dict | None:
	candidates = [question for question in data["questions"] if question["kind"] != TEXT]
	if question_no:
		candidates = [question for question in candidates if question["idx"] == question_no] or candidates
	if not candidates:
		return None
	question = candidates[0]
	return {
		"data": {
			"labels": [answer["value"] for answer in question["answers"]],
			"datasets": [
				{"name": _("People"), "values": [answer["count"] for answer in question["answers"]]}
			],
		},
		"type": "bar",
		"title": f"{question['idx']}. {question['question']}",
		"colors": ["#2490ef"],
	}
