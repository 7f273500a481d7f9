"""The next edition of a contest: same rules and audience, the first period of the same rhythm that
has not begun yet (H1 → H2, or the same length) — never a period that is already under way."""

from datetime import datetime

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime

from selfservice_portal.contests.leaderboard_texts import period_text
from selfservice_portal.contests.lifecycle import FROZEN_FIELDS, NOMINATION_RULES, PART_RULES
from selfservice_portal.contests.metrics import metric_label
from selfservice_portal.contests.ranking import next_future_period, period_label

COPIED_FIELDS = (
	"description",
	"audience_type",
	"leaderboard_visibility",
	"energy_points_gold",
	"energy_points_silver",
	"energy_points_bronze",
	*FROZEN_FIELDS[2:],
)


def next_edition(contest: Document, now: datetime | None = None) -> dict:
	"""The next edition as a new document's values."""
	now = get_datetime(now or now_datetime())
	start, end = get_datetime(contest.starts_on), get_datetime(contest.ends_on)
	starts_on, ends_on = next_future_period(start, end, now)
	return {
		"doctype": "SSP Contest",
		"title": next_title(contest.title, period_label(start, end), period_label(starts_on, ends_on)),
		"starts_on": starts_on,
		"ends_on": ends_on,
		"previous_contest": contest.name,
		**{field: contest.get(field) for field in COPIED_FIELDS},
		"audience": [
			{"audience_doctype": row.audience_doctype, "audience_name": row.audience_name}
			for row in contest.audience
		],
		"nominations": [{field: row.get(field) for field in NOMINATION_RULES} for row in contest.nominations],
		"nomination_metrics": [
			{field: row.get(field) for field in PART_RULES} for row in contest.get("nomination_metrics") or []
		],
	}


def preview_next(contest: Document) -> dict:
	"""What *Draft Next Contest* would create, for the manager to confirm: title, period in the site's
	date format, nominations with their metrics' names."""
	edition = next_edition(contest)
	return {
		"title": edition["title"],
		"starts_on": edition["starts_on"],
		"ends_on": edition["ends_on"],
		"period": period_text(edition["starts_on"], edition["ends_on"]),
		"period_label": period_label(edition["starts_on"], edition["ends_on"]),
		"nominations": [
			{"title": nomination["nomination_title"], "metric": edition_metric_text(edition, nomination)}
			for nomination in edition["nominations"]
		],
	}


def edition_metric_text(edition: dict, nomination: dict) -> str:
	"""'Requests through the portal + Ratings given': what measures a nomination of the new edition."""
	if not nomination["combine_rule"]:
		return metric_label(nomination["metric"])
	return " + ".join(
		metric_label(part["metric"])
		for part in edition["nomination_metrics"]
		if part["nomination"] == nomination["nomination_title"]
	)


def draft_next(contest: Document, now: datetime | None = None) -> str:
	now = get_datetime(now or now_datetime())
	edition = next_edition(contest, now)
	if get_datetime(edition["starts_on"]) <= now:  # next_future_period promises this; the server holds it
		frappe.throw(_("The next contest must start in the future"))
	return frappe.get_doc(edition).insert().name


def next_title(title: str, label: str, next_label: str) -> str:
	"""'Portal Champions H1 2026' → 'Portal Champions H2 2026'; a title without its period gets '(next)'."""
	if label in title and label != next_label:
		return title.replace(label, next_label)
	return _("{0} (next)").format(title)
