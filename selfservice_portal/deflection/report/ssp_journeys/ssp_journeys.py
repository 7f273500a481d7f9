# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""The journeys behind the deflection figures: each with its events, outcome and the ticket if any.
Computed with the same rules as the roll-up (deflection/journeys.py) and the same attribution — a
journey belongs to the day it started, events up to a day either side are read so that a journey
crossing midnight is not cut in two — so a drill-down from an SSP Deflection row counts what the row
counts."""

from datetime import date, datetime, timedelta

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


def execute(filters: dict | None = None) -> tuple:
	filters = frappe._dict(filters or {})
	from_date, to_date = report_data.date_range(filters)
	journeys, truncated = journeys_in_range(from_date, to_date)
	shown = [journey for journey in journeys if matches(journey, filters)]
	data = [journey_row(journey) for journey in shown]
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


def journeys_in_range(from_date: date, to_date: date) -> tuple[list[Journey], bool]:
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
	agents = agent_users({row.user for row in rows})  # as the roll-up: desk users' own steps are left out
	events = [
		to_event(row)
		for row in rows
		if (row.user or row.session_id) not in (None, "", "Guest") and row.user not in agents
	]
	journeys = build_journeys(
		events,
		tickets_by_key({event.key for event in events}, start, end, rules.window),
		rules.gap,
		rules.window,
		now_datetime(),
	)
	return [journey for journey in journeys if start <= journey.start < end], len(rows) >= MAX_EVENTS


def to_event(row: frappe._dict) -> Event:
	return Event(
		row.creation,
		row.user or row.session_id,
		row.event_type,
		row.hd_article,
		row.department,
		row.result_count,
		row.hd_ticket,
		row.query,
		row.name,
	)


def tickets_by_key(keys: set[str], start: datetime, end: datetime, window: timedelta) -> dict[str, list]:
	"""(created, name) of the tickets each person raised while any journey of the range could see them."""
	tickets: dict[str, list] = {}
	if not keys:
		return tickets
	for ticket in frappe.get_all(
		"HD Ticket",
		filters={
			"raised_by": ("in", list(keys)),
			"creation": ("between", [start - timedelta(days=1), end + timedelta(days=1) + window]),
		},
		fields=["raised_by", "creation", "name"],
	):
		tickets.setdefault(ticket.raised_by, []).append((ticket.creation, ticket.name))
	return tickets


def matches(journey: Journey, filters: frappe._dict) -> bool:
	if filters.get("department") and journey.department != filters.department:
		return False
	if filters.get("outcome") and journey.outcome != filters.outcome:
		return False
	if filters.get("kb_only") and not engaged(journey):
		return False
	return True


def engaged(journey: Journey) -> bool:
	return any(is_engagement(event) for event in journey.events)


def journey_row(journey: Journey) -> dict:
	return {
		"started": journey.start,
		"who": journey.key,
		"department": journey.department,
		"outcome": str(OUTCOME_LABELS.get(journey.outcome, journey.outcome)),
		"used_kb": int(engaged(journey)),
		"events": ", ".join(_(event.event_type) for event in journey.events),
		"articles_read": ", ".join(journey.articles_read),
		"ticket": journey.ticket,
		"minutes": round((journey.end - journey.start) / timedelta(minutes=1), 1),
	}


def summary(journeys: list[Journey]) -> list[dict]:
	"""The same counts as the SSP Deflection row the drill-down came from."""

	def count(outcome: str, kb_only: bool = False) -> int:
		return sum(journey.outcome == outcome and (engaged(journey) or not kb_only) for journey in journeys)

	figure = report_data.figure
	return [
		figure(_("Journeys"), len(journeys)),
		figure(_("KB Journeys"), sum(engaged(journey) for journey in journeys)),
		figure(_("Confirmed"), count(CONFIRMED), indicator="Green"),
		figure(_("Inferred"), count(INFERRED), indicator="Green"),
		figure(_("KB Journeys Then a Ticket"), count(TICKET, kb_only=True), indicator="Red"),
		figure(_("Pending"), count(PENDING), indicator="Grey"),
	]


def columns() -> list[dict]:
	column = report_data.column
	return [
		column("started", _("Started"), "Datetime", 160),
		column("who", _("User or Session"), "Data", 200),
		report_data.department_column(120),
		column("outcome", _("Outcome"), "Data", 110),
		column("used_kb", _("Used KB"), "Check", 70),
		column("events", _("Events"), "Data", 320),
		column("articles_read", _("Articles Read"), "Data", 160),
		column("ticket", _("Ticket"), "Link", 90, options="HD Ticket"),
		column("minutes", _("Minutes"), "Float", 80),
	]
