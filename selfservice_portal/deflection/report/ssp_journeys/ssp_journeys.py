# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""The journeys behind the deflection figures: each with its events, outcome and the ticket if any.
Computed with the same rules as the roll-up (deflection/journeys.py) and the same attribution — a
journey belongs to the day it started, events up to a day either side are read so that a journey
crossing midnight is not cut in two — so a drill-down from an SSP Deflection row counts what the row
counts."""

from datetime import timedelta

import frappe
from frappe import _, _lt
from frappe.utils import add_days, get_datetime, now_datetime

from selfservice_portal.deflection import report_data
from selfservice_portal.deflection.events import agent_users
from selfservice_portal.deflection.journeys import (
	CONFIRMED,
	INFERRED,
	NO_ENGAGEMENT,
	PENDING,
	TICKET,
	Event,
	Journey,
	build_journeys,
	is_engagement,
)
from selfservice_portal.deflection.settings import get_rules

MAX_EVENTS = 50_000
# What a person reads for each outcome key (the keys stay the filter's values).
OUTCOME_LABELS = {
	CONFIRMED: _lt("Confirmed deflection"),
	INFERRED: _lt("Inferred deflection"),
	TICKET: _lt("Followed by a ticket"),
	NO_ENGAGEMENT: _lt("Did not use the knowledge base"),
	PENDING: _lt("Window still open"),
}
EVENT_FIELDS = (
	"name",
	"creation",
	"user",
	"session_id",
	"event_type",
	"hd_article",
	"department",
	"result_count",
	"hd_ticket",
	"query",
)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	from_date, to_date = report_data.date_range(filters)
	journeys, truncated = journeys_in_range(from_date, to_date)
	shown = [j for j in journeys if matches(j, filters)]
	data = [journey_row(j) for j in shown]
	message = (
		_("Only the first {0} events of the range were read; narrow the dates to see every journey.").format(
			MAX_EVENTS
		)
		if truncated
		else _(
			"A journey is one person's run of portal events without a pause longer than the inactivity gap, "
			"counted on the day it started. Outcomes: confirmed (said an article helped, no ticket within the "
			"deflection window), inferred (used the knowledge base, no ticket), ticket, no engagement, pending "
			"(window still open)."
		)
	)
	return columns(), data, message, None, summary(shown)


def journeys_in_range(from_date, to_date) -> tuple[list[Journey], bool]:
	"""Journeys that started in [from_date, to_date], classified as the roll-up classifies them."""
	rules = get_rules()
	start, end = get_datetime(from_date), get_datetime(add_days(to_date, 1))
	rows = frappe.get_all(
		"SSP Portal Event",
		filters={"creation": ("between", [start - timedelta(days=1), end + timedelta(days=1)])},
		fields=list(EVENT_FIELDS),
		order_by="creation asc",
		limit=MAX_EVENTS,
	)
	agents = agent_users({r.user for r in rows})  # as the roll-up: desk users' own steps are left out
	events = [
		to_event(r)
		for r in rows
		if (r.user or r.session_id) not in (None, "", "Guest") and r.user not in agents
	]
	journeys = build_journeys(
		events,
		tickets_by_key({e.key for e in events}, start, end, rules.window),
		rules.gap,
		rules.window,
		now_datetime(),
	)
	return [j for j in journeys if start <= j.start < end], len(rows) >= MAX_EVENTS


def to_event(r) -> Event:
	return Event(
		r.creation,
		r.user or r.session_id,
		r.event_type,
		r.hd_article,
		r.department,
		r.result_count,
		r.hd_ticket,
		r.query,
		r.name,
	)


def tickets_by_key(keys: set[str], start, end, window: timedelta) -> dict[str, list]:
	"""(created, name) of the tickets each person raised while any journey of the range could see them."""
	tickets: dict[str, list] = {}
	if not keys:
		return tickets
	for t in frappe.get_all(
		"HD Ticket",
		filters={
			"raised_by": ("in", list(keys)),
			"creation": ("between", [start - timedelta(days=1), end + timedelta(days=1) + window]),
		},
		fields=["raised_by", "creation", "name"],
	):
		tickets.setdefault(t.raised_by, []).append((t.creation, t.name))
	return tickets


def matches(journey: Journey, filters) -> bool:
	if filters.get("department") and journey.department != filters.department:
		return False
	if filters.get("outcome") and journey.outcome != filters.outcome:
		return False
	if filters.get("kb_only") and not engaged(journey):
		return False
	return True


def engaged(journey: Journey) -> bool:
	return any(is_engagement(e) for e in journey.events)


def journey_row(j: Journey) -> dict:
	return {
		"started": j.start,
		"who": j.key,
		"department": j.department,
		"outcome": str(OUTCOME_LABELS.get(j.outcome, j.outcome)),
		"used_kb": int(engaged(j)),
		"events": ", ".join(_(e.event_type) for e in j.events),
		"articles_read": ", ".join(j.articles_read),
		"ticket": j.ticket,
		"minutes": round((j.end - j.start) / timedelta(minutes=1), 1),
	}


def summary(journeys: list[Journey]) -> list[dict]:
	"""The same counts as the SSP Deflection row the drill-down came from."""

	def count(outcome: str, kb_only: bool = False) -> int:
		return sum(j.outcome == outcome and (engaged(j) or not kb_only) for j in journeys)

	return [
		{"label": _("Journeys"), "value": len(journeys), "datatype": "Int"},
		{"label": _("KB Journeys"), "value": sum(engaged(j) for j in journeys), "datatype": "Int"},
		{"label": _("Confirmed"), "value": count(CONFIRMED), "datatype": "Int", "indicator": "Green"},
		{"label": _("Inferred"), "value": count(INFERRED), "datatype": "Int", "indicator": "Green"},
		{
			"label": _("KB Journeys Then a Ticket"),
			"value": count(TICKET, kb_only=True),
			"datatype": "Int",
			"indicator": "Red",
		},
		{"label": _("Pending"), "value": count(PENDING), "datatype": "Int", "indicator": "Grey"},
	]


def columns():
	return [
		{"fieldname": "started", "label": _("Started"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "who", "label": _("User or Session"), "fieldtype": "Data", "width": 200},
		{
			"fieldname": "department",
			"label": _("Department"),
			"fieldtype": "Link",
			"options": "SSP Department",
			"width": 120,
		},
		{"fieldname": "outcome", "label": _("Outcome"), "fieldtype": "Data", "width": 110},
		{"fieldname": "used_kb", "label": _("Used KB"), "fieldtype": "Check", "width": 70},
		{"fieldname": "events", "label": _("Events"), "fieldtype": "Data", "width": 320},
		{"fieldname": "articles_read", "label": _("Articles Read"), "fieldtype": "Data", "width": 160},
		{
			"fieldname": "ticket",
			"label": _("Ticket"),
			"fieldtype": "Link",
			"options": "HD Ticket",
			"width": 90,
		},
		{"fieldname": "minutes", "label": _("Minutes"), "fieldtype": "Float", "width": 80},
	]
