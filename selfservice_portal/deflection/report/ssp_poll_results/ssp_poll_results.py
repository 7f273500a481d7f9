# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""A poll's results for managers: per question the answers with counts and shares, averages of the
scales, the NPS of the 0-10 question and the free texts; for a named poll the answers of respondents
whose portal share is below 20 % next to those at or above it (no cell under 5 people)."""

import frappe
from frappe import _
from frappe.utils import cint

from selfservice_portal.deflection import poll_results as results
from selfservice_portal.deflection.polls import LIKELIHOOD, SCALES, TEXT
from selfservice_portal.permissions import MANAGER_ROLES, require_roles


def execute(filters=None):
	require_roles(*MANAGER_ROLES)
	filters = frappe._dict(filters or {})
	if not filters.poll or not frappe.db.exists("SSP Poll", filters.poll):
		return columns(None), [], _("Pick a poll to see its results."), None
	data = results.poll_results(filters.poll)
	return columns(data), rows(data), message(data), chart(data, cint(filters.question))


def columns(data) -> list[dict]:
	cols = [
		{"fieldname": "question", "label": _("Question"), "fieldtype": "Data", "width": 320},
		{"fieldname": "answer", "label": _("Answer"), "fieldtype": "Data", "width": 260},
		{"fieldname": "count", "label": _("People"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "share",
			"label": _("Share", context="Share of answers"),
			"fieldtype": "Data",
			"width": 90,
		},
	]
	if data and data["crosstab"]:
		sizes = data["crosstab"]["group_sizes"]
		for group in results.GROUPS:
			cols.append(
				{
					"fieldname": f"group_{group}",
					"label": "{0} ({1})".format(results.group_label(group), group_size_text(sizes[group])),
					"fieldtype": "Data",
					"width": 260,
				}
			)
	return cols


def group_size_text(size: int) -> str:
	if size < results.MIN_CELL:
		return _("fewer than {0} people").format(results.MIN_CELL)
	return _("{0} people").format(size)


def rows(data) -> list[dict]:
	out = []
	crosstab = data["crosstab"]
	for q in data["questions"]:
		out.append(
			{
				"question": f"{q['idx']}. {q['question']}",
				"answer": _(q["kind"]),
				"count": q["answered"],
				"share": "",
				"is_heading": 1,
			}
		)
		if q["kind"] == TEXT:
			out.extend({"question": "", "answer": text, "count": None, "share": ""} for text in q["texts"])
			if q["answered"] > len(q["texts"]):
				out.append(
					{"question": "", "answer": _("… and {0} more").format(q["answered"] - len(q["texts"]))}
				)
			continue
		for a in q["answers"]:
			row = {
				"question": "",
				"answer": a["value"],
				"count": a["count"],
				"share": results.percent_text(a["share"]),
			}
			if crosstab:
				sizes = crosstab["group_sizes"]
				for g in results.GROUPS:
					row[f"group_{g}"] = results.cell_text(
						crosstab["cells"][(q["key"], a["value"], g)], sizes[g]
					)
			out.append(row)
		if q["kind"] in SCALES and q.get("average") is not None:
			out.append({"question": "", "answer": _("Average"), "share": f"{q['average']:g}"})
		if q["kind"] == LIKELIHOOD and q.get("nps") is not None:
			out.append(
				{
					"question": "",
					"answer": _("NPS ({0} promoters minus {1} detractors)").format(
						q["promoters"], q["detractors"]
					),
					"share": results.signed_text(q["nps"]),
				}
			)
	return out


def message(data) -> str:
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
	return "".join(f"<p>{frappe.utils.escape_html(p)}</p>" for p in parts)


def chart(data, question_no: int = 0) -> dict | None:
	candidates = [q for q in data["questions"] if q["kind"] != TEXT]
	if question_no:
		candidates = [q for q in candidates if q["idx"] == question_no] or candidates
	if not candidates:
		return None
	q = candidates[0]
	return {
		"data": {
			"labels": [a["value"] for a in q["answers"]],
			"datasets": [{"name": _("People"), "values": [a["count"] for a in q["answers"]]}],
		},
		"type": "bar",
		"title": f"{q['idx']}. {q['question']}",
		"colors": ["#2490ef"],
	}
