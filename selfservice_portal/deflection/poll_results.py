"""A poll's results: one set-based query per question (counts per answer), arithmetic in Python.

For a named poll, answers are also cross-tabulated by the respondent's portal share — the share of
their HD Tickets raised through a self-service channel (SSP Channel.is_self_service) — in one more
query. No breakdown cell shows fewer than MIN_CELL people.
"""

import frappe
from frappe import _
from frappe.utils import cint, fmt_money

from selfservice_portal.deflection.polls import CHOICE_KINDS, LIKELIHOOD, MULTIPLE, SCALES, TEXT, option_list

MIN_CELL = 5
SHARE_THRESHOLD = 20  # percent
TEXTS_SHOWN = 200
LOW, HIGH, NO_TICKETS = "low", "high", "none"
GROUPS = (LOW, HIGH, NO_TICKETS)

COUNTS_SQL = """
SELECT a.value, COUNT(*) AS n, SUM(a.number) AS n_first
FROM `tabSSP Poll Answer` a
WHERE a.poll = %(poll)s AND a.question_key = %(key)s
GROUP BY a.value
"""
# Free texts: how many, and the latest TEXTS_SHOWN of them (a text row has no value and number 0, so
# the index gives them newest first and only the rows shown are read).
TEXTS_SQL = """
SELECT a.text, (SELECT COUNT(*) FROM `tabSSP Poll Answer` b
	WHERE b.poll = %(poll)s AND b.question_key = %(key)s) AS total
FROM `tabSSP Poll Answer` a
WHERE a.poll = %(poll)s AND a.question_key = %(key)s AND a.value IS NULL AND a.number = 0
ORDER BY a.creation DESC
LIMIT {limit}
"""

# The respondents' portal share: tickets they raised, how many through a self-service channel.
SHARES = """
SELECT t.raised_by AS user, COUNT(*) AS tickets, SUM(IFNULL(c.is_self_service, 0)) AS self_service
FROM `tabHD Ticket` t
LEFT JOIN `tabSSP Channel` c ON c.name = t.ssp_channel
WHERE t.raised_by IN (SELECT r0.user FROM `tabSSP Poll Response` r0 WHERE r0.poll = %(poll)s)
GROUP BY t.raised_by
"""
GROUP_CASE = f"""CASE WHEN s.tickets IS NULL THEN '{NO_TICKETS}'
	WHEN 100 * s.self_service < {SHARE_THRESHOLD} * s.tickets THEN '{LOW}' ELSE '{HIGH}' END"""
CROSSTAB_SQL = f"""
SELECT a.question_key, a.value, {GROUP_CASE} AS grp, COUNT(*) AS n
FROM `tabSSP Poll Answer` a
JOIN `tabSSP Poll Response` r ON r.name = a.parent
LEFT JOIN ({SHARES}) s ON s.user = r.user
WHERE a.poll = %(poll)s AND r.user IS NOT NULL AND a.value IS NOT NULL
GROUP BY a.question_key, a.value, grp
"""
GROUP_SIZES_SQL = f"""
SELECT {GROUP_CASE} AS grp, COUNT(*) AS n
FROM `tabSSP Poll Response` r
LEFT JOIN ({SHARES}) s ON s.user = r.user
WHERE r.poll = %(poll)s AND r.user IS NOT NULL
GROUP BY grp
"""


def share(part: float, whole: float) -> float:
	return round(100.0 * part / whole, 1) if whole else 0.0


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
	questions = [question_results(doc.name, q) for q in doc.questions]
	crosstab = None if cint(doc.is_anonymous) else portal_share_crosstab(doc, questions)
	return {
		"poll": doc.name,
		"title": doc.title,
		"is_anonymous": cint(doc.is_anonymous),
		"respondents": respondents,
		"questions": questions,
		"crosstab": crosstab,
	}


def question_results(poll: str, q) -> dict:
	"""One query for this question whatever its kind."""
	params = {"poll": poll, "key": q.question_key}
	out = {"key": q.question_key, "idx": q.idx, "question": q.question, "kind": q.kind}
	if q.kind == TEXT:
		rows = frappe.db.sql(TEXTS_SQL.format(limit=TEXTS_SHOWN), params, as_dict=True)
		out.update(answered=cint(rows[0].total) if rows else 0, texts=[r.text for r in rows])
		return out
	rows = frappe.db.sql(COUNTS_SQL, params, as_dict=True)
	counts = {r.value: cint(r.n) for r in rows}
	# A multiple choice has a row per option picked; each respondent's first pick is marked (number = 1).
	answered = sum(cint(r.n_first) for r in rows) if q.kind == MULTIPLE else sum(counts.values())
	values = answer_values(q)
	values += [v for v in counts if v not in values]  # defensive: nothing counted is left out
	out.update(
		answered=answered,
		answers=[
			{"value": v, "count": counts.get(v, 0), "share": share(counts.get(v, 0), answered)}
			for v in values
		],
	)
	if q.kind in SCALES:
		out.update(scale_figures(q.kind, counts))
	return out


def answer_values(q) -> list[str]:
	if q.kind in CHOICE_KINDS:
		return option_list(q)
	low, high = SCALES[q.kind]
	return [str(v) for v in range(low, high + 1)]


def scale_figures(kind: str, counts: dict) -> dict:
	"""Average of a scale; for the 0-10 likelihood also the NPS: promoters (9-10) minus detractors
	(0-6), as a percentage of the answers."""
	answered = sum(counts.values())
	total = sum(int(v) * n for v, n in counts.items())
	figures = {"average": round(total / answered, 2) if answered else None}
	if kind == LIKELIHOOD:
		promoters = sum(n for v, n in counts.items() if int(v) >= 9)
		detractors = sum(n for v, n in counts.items() if int(v) <= 6)
		figures.update(
			promoters=promoters,
			detractors=detractors,
			nps=round(100.0 * (promoters - detractors) / answered, 1) if answered else None,
		)
	return figures


def portal_share_crosstab(doc, questions: list[dict]) -> dict:
	"""Counts per answer and portal-share group; cells under MIN_CELL people are withheld."""
	params = {"poll": doc.name}
	sizes = {r.grp: cint(r.n) for r in frappe.db.sql(GROUP_SIZES_SQL, params, as_dict=True)}
	cells: dict[tuple[str, str, str], int] = {}
	for r in frappe.db.sql(CROSSTAB_SQL, params, as_dict=True):
		cells[(r.question_key, r.value, r.grp)] = cint(r.n)
	out = {"group_sizes": {g: sizes.get(g, 0) for g in GROUPS}, "cells": {}}
	for q in questions:
		if q["kind"] == TEXT:
			continue
		for a in q["answers"]:
			for g in GROUPS:
				out["cells"][(q["key"], a["value"], g)] = cells.get((q["key"], a["value"], g), 0)
	return out


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
