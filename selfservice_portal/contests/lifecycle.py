"""Contest lifecycle: Draft → Announced → Running → Judging → Awarded (and Cancelled).

Once announced, what participants were promised is frozen: nominations, metrics, eligibility and
fair-play rules, audience and start. The end may only be extended, and only before it passes.
"""

from datetime import time, timedelta

import frappe
from frappe import _
from frappe.model import no_value_fields, table_fields
from frappe.utils import escape_html, formatdate, get_datetime, now_datetime

from selfservice_portal.contests.metrics import get_metrics
from selfservice_portal.contests.ranking import (
	COMBINE_RULES,
	TIERS,
	WEIGHTED,
	next_future_period,
	period_label,
)

DRAFT, ANNOUNCED, RUNNING, JUDGING, AWARDED, CANCELLED = (
	"Draft",
	"Announced",
	"Running",
	"Judging",
	"Awarded",
	"Cancelled",
)
TRANSITIONS = {
	DRAFT: {ANNOUNCED, CANCELLED},
	ANNOUNCED: {RUNNING, CANCELLED},
	RUNNING: {JUDGING, CANCELLED},
	JUDGING: {AWARDED},
	AWARDED: set(),
	CANCELLED: set(),
}
NOMINATION_RULES = (
	"nomination_title",
	"metric",
	"combine_rule",
	"direction",
	"eligibility_floor",
	"places",
	"tie_rule",
)
# A combined nomination's metrics: rows of the contest's nomination_metrics, each naming its nomination.
PART_RULES = ("nomination", "metric", "direction", "eligibility_floor", "weight")
FROZEN_FIELDS = (
	"starts_on",
	"audience_type",
	"daily_ticket_cap",
	"min_ticket_length",
	"burst_tickets",
	"burst_minutes",
	"outlier_factor",
)


def validate_period(doc) -> None:
	if get_datetime(doc.ends_on) <= get_datetime(doc.starts_on):
		frappe.throw(_("The contest must end after it starts"))


def set_nomination_keys(doc) -> None:
	for row in doc.nominations:
		if not row.nomination_key:
			row.nomination_key = frappe.generate_hash(length=10)


def set_metric_labels(doc) -> None:
	"""Desk shows a metric by its name ('Independence'), not by its registry key; a combined
	nomination by its metrics' names ('Requests through the portal + Ratings given')."""
	for part in doc.get("nomination_metrics") or []:
		part.metric_label = metric_label(part.metric) if part.metric else ""
	for row in doc.nominations:
		if row.combine_rule:
			row.metric_label = " + ".join(p.metric_label for p in parts_of(doc, row))
		else:
			row.metric_label = metric_label(row.metric) if row.metric else ""


def parts_of(doc, nomination) -> list:
	"""The metric rows of a combined nomination (none for a single-metric one)."""
	if not nomination.combine_rule:
		return []
	return [p for p in doc.get("nomination_metrics") or [] if p.nomination_key == nomination.nomination_key]


def link_nomination_metrics(doc) -> None:
	"""Each metric row names its nomination by title (what a manager types); the row keeps the
	nomination's key, so renaming a draft's nomination carries its metrics along."""
	by_title: dict[str, list] = {}
	for row in doc.nominations:
		by_title.setdefault((row.nomination_title or "").strip(), []).append(row)
	by_key = {row.nomination_key: row for row in doc.nominations}
	for part in doc.get("nomination_metrics") or []:
		matches = by_title.get((part.nomination or "").strip(), [])
		if len(matches) > 1:
			frappe.throw(
				_(
					"Metric row {0}: more than one nomination is titled {1}; give them different titles"
				).format(part.idx, frappe.bold(escape_html(part.nomination or "")))
			)
		nomination = matches[0] if matches else by_key.get(part.nomination_key)
		if not nomination or not nomination.combine_rule:
			frappe.throw(
				_("Metric row {0}: there is no combined nomination titled {1}").format(
					part.idx, frappe.bold(escape_html(part.nomination or ""))
				),
				title=_("Invalid combined nomination"),
			)
		part.nomination, part.nomination_key = nomination.nomination_title, nomination.nomination_key


def validate_nominations(doc) -> None:
	metrics = get_metrics()
	for row in doc.nominations:
		if row.combine_rule:
			validate_combined(doc, row, metrics)
		elif row.metric not in metrics:
			frappe.throw(
				_("Nomination {0}: unknown metric {1}. Known metrics: {2}").format(
					row.idx,
					frappe.bold(escape_html(row.metric or "")),
					escape_html(", ".join(f"{m.label} ({m.key})" for m in metrics.values())),
				)
			)
		# Rules of an announced contest are frozen, so only a draft's places are checked (again).
		if doc.status == DRAFT and not 1 <= (row.places or 0) <= len(TIERS):
			frappe.throw(
				_(
					"Nomination {0}: places must be between 1 and {1}, one per star (gold, silver, bronze)"
				).format(row.idx, len(TIERS)),
				title=_("Invalid places"),
			)


def validate_combined(doc, row, metrics: dict) -> None:
	"""Two or more distinct registered metrics, floors not negative, weights above zero (weighted)."""
	if row.combine_rule not in COMBINE_RULES:
		frappe.throw(
			_("Nomination {0}: unknown way to combine metrics {1}").format(
				row.idx, frappe.bold(escape_html(row.combine_rule))
			)
		)
	row.metric = None  # a combined nomination is measured by its metric rows only
	parts = parts_of(doc, row)
	title = frappe.bold(escape_html(row.nomination_title or ""))
	if len(parts) < 2:
		frappe.throw(
			_(
				"Nomination {0} combines metrics: list at least two of them under Metrics of Combined Nominations"
			).format(title),
			title=_("Invalid combined nomination"),
		)
	seen = set()
	for part in parts:
		if part.metric not in metrics:
			frappe.throw(
				_("Nomination {0}: unknown metric {1}. Known metrics: {2}").format(
					title,
					frappe.bold(escape_html(part.metric or "")),
					escape_html(", ".join(f"{m.label} ({m.key})" for m in metrics.values())),
				)
			)
		if part.metric in seen:
			frappe.throw(
				_("Nomination {0} lists the metric {1} twice").format(
					title, escape_html(metrics[part.metric].label)
				)
			)
		seen.add(part.metric)
		if (part.eligibility_floor or 0) < 0:
			frappe.throw(_("Nomination {0}: a floor cannot be negative").format(title))
		if row.combine_rule == WEIGHTED and (part.weight or 0) <= 0:
			frappe.throw(
				_("Nomination {0}: the weight of {1} must be above zero").format(
					title, escape_html(metrics[part.metric].label)
				),
				title=_("Invalid combined nomination"),
			)


def guard_status(doc) -> None:
	"""Status moves only through the lifecycle functions below (which set the transition flag)."""
	before = doc.get_doc_before_save()
	old = before.status if before else DRAFT
	if doc.is_new() and doc.status != DRAFT:
		frappe.throw(_("A new contest starts as a draft"))
	if old != doc.status and not doc.flags.ssp_transition:
		frappe.throw(
			_("Use the contest's actions to change its status from {0} to {1}").format(
				escape_html(_(old)), escape_html(_(doc.status))
			)
		)


def rules_snapshot(doc) -> tuple:
	return (
		tuple(doc.get(f) if f != "starts_on" else get_datetime(doc.starts_on) for f in FROZEN_FIELDS),
		# The key too: standings and badges are filed under it.
		tuple(tuple(row.get(f) for f in (*NOMINATION_RULES, "nomination_key")) for row in doc.nominations),
		tuple(
			tuple(row.get(f) for f in (*PART_RULES, "nomination_key"))
			for row in doc.get("nomination_metrics") or []
		),
		tuple(sorted((a.audience_doctype, a.audience_name) for a in doc.audience)),
	)


def guard_frozen_rules(doc) -> None:
	before = doc.get_doc_before_save()
	if not before or before.status == DRAFT:
		return
	if rules_snapshot(doc) != rules_snapshot(before):
		frappe.throw(
			_(
				"This contest was announced on {0}: its nominations, metrics, eligibility rules, audience and "
				"start can no longer change."
			).format(frappe.utils.format_datetime(before.announced_on)),
			title=_("Rules are frozen"),
		)
	old_end, new_end = get_datetime(before.ends_on), get_datetime(doc.ends_on)
	if new_end != old_end:
		if new_end < old_end:
			frappe.throw(_("The end of an announced contest can only be extended, not brought forward"))
		if old_end <= now_datetime():
			frappe.throw(_("The contest ended on {0}; its end can no longer change").format(old_end))


def guard_closed(doc) -> None:
	"""An awarded or cancelled contest is a record: its badges carry its title and period, its
	announcement was sent. No field changes any more, through any door."""
	before = doc.get_doc_before_save()
	if not before or before.status not in (AWARDED, CANCELLED) or doc.flags.ssp_transition:
		return
	changed = [
		_(df.label)
		for df in doc.meta.fields
		if df.fieldtype not in (*no_value_fields, *table_fields)
		and field_value(doc, df) != field_value(before, df)
	]
	if changed or rules_snapshot(doc) != rules_snapshot(before):
		frappe.throw(
			_("This contest is {0}: it can no longer be edited (changed: {1}).").format(
				_(before.status).lower(), escape_html(", ".join(changed) or _("nominations or audience"))
			),
			title=_("Contest closed"),
		)


def field_value(doc, df):
	value = doc.get(df.fieldname)
	if df.fieldtype in ("Datetime", "Date") and value:
		return get_datetime(value)
	if df.fieldtype in ("Int", "Check"):
		return int(value or 0)
	if df.fieldtype in ("Float", "Percent", "Currency"):
		return float(value or 0)
	return value or None


def guard_deletion(doc) -> None:
	"""A contest its audience was told about stays on record: only drafts and cancelled ones go."""
	if doc.status not in (DRAFT, CANCELLED):
		frappe.throw(
			_("Contest {0} is {1}: only draft or cancelled contests can be deleted").format(
				doc.name, _(doc.status)
			),
			title=_("Rules are frozen"),
		)


def delete_standings(doc) -> None:
	"""A cancelled contest may have interim standings; they are derived data and go with it."""
	frappe.db.delete("SSP Contest Standing", {"contest": doc.name})


def guard_rule_row_deletion(row) -> None:
	"""Deleting a nomination or audience row on its own (``frappe.client.delete``) never runs the
	contest's validate, so the rows guard themselves: only a draft's rows may go."""
	if row.parenttype != "SSP Contest" or not row.parent:
		return
	status = frappe.db.get_value("SSP Contest", row.parent, "status")
	if status and status != DRAFT:
		frappe.throw(
			_("Contest {0} is {1}: its nominations and audience can no longer change").format(
				row.parent, _(status)
			),
			title=_("Rules are frozen"),
		)


def transition(doc, status: str, **values) -> None:
	change_status(doc, status, TRANSITIONS, _("A contest cannot go from {0} to {1}"), **values)


def change_status(doc, status: str, allowed: dict, refusal: str, **values) -> None:
	"""Move ``doc`` (a contest or a poll) to ``status`` if ``allowed`` lets it, with ``values``; the
	flag tells its validate that this is no hand edit of the status. ``refusal`` names both statuses."""
	if status not in allowed[doc.status]:
		frappe.throw(refusal.format(_(doc.status), _(status)))
	doc.status = status
	doc.update(values)
	doc.flags.ssp_transition = True
	doc.save(ignore_permissions=True)


def announce(doc) -> None:
	if not doc.nominations:
		frappe.throw(_("Add at least one nomination before announcing"))
	if get_datetime(doc.starts_on) <= now_datetime():
		frappe.throw(_("Announce before the start: participants must know the metrics in advance"))
	transition(doc, ANNOUNCED, announced_on=now_datetime())


def cancel(doc) -> None:
	transition(doc, CANCELLED)


def advance_contests() -> None:
	"""Scheduler (hourly): start contests whose start has come, close and judge those that ended."""
	now = now_datetime()
	for name in frappe.get_all("SSP Contest", {"status": ANNOUNCED, "starts_on": ("<=", now)}, pluck="name"):
		transition(frappe.get_doc("SSP Contest", name), RUNNING)
	for name in frappe.get_all("SSP Contest", {"status": RUNNING, "ends_on": ("<=", now)}, pluck="name"):
		transition(frappe.get_doc("SSP Contest", name), JUDGING)
		from selfservice_portal.contests.judging import enqueue_judging

		enqueue_judging(name)


def next_edition(doc, now=None) -> dict:
	"""The next edition: same rules and audience, the first period of the same rhythm that has not
	begun yet (H1 → H2, or the same length) — never a period that is already under way."""
	now = get_datetime(now or now_datetime())
	start, end = get_datetime(doc.starts_on), get_datetime(doc.ends_on)
	starts_on, ends_on = next_future_period(start, end, now)
	fields = ("description", "audience_type", "leaderboard_visibility", *FROZEN_FIELDS[2:])
	return {
		"doctype": "SSP Contest",
		"title": next_title(doc.title, period_label(start, end), period_label(starts_on, ends_on)),
		"starts_on": starts_on,
		"ends_on": ends_on,
		"previous_contest": doc.name,
		"energy_points_gold": doc.energy_points_gold,
		"energy_points_silver": doc.energy_points_silver,
		"energy_points_bronze": doc.energy_points_bronze,
		**{f: doc.get(f) for f in fields},
		"audience": [
			{"audience_doctype": a.audience_doctype, "audience_name": a.audience_name} for a in doc.audience
		],
		"nominations": [{f: row.get(f) for f in NOMINATION_RULES} for row in doc.nominations],
		"nomination_metrics": [
			{f: row.get(f) for f in PART_RULES} for row in doc.get("nomination_metrics") or []
		],
	}


def preview_next(doc) -> dict:
	"""What *Draft Next Contest* would create, for the manager to confirm: title, period in the site's
	date format, nominations with their metrics' names."""
	edition = next_edition(doc)
	return {
		"title": edition["title"],
		"starts_on": edition["starts_on"],
		"ends_on": edition["ends_on"],
		"period": period_text(edition["starts_on"], edition["ends_on"]),
		"period_label": period_label(edition["starts_on"], edition["ends_on"]),
		"nominations": [
			{
				"title": n["nomination_title"],
				"metric": " + ".join(
					metric_label(p["metric"])
					for p in edition["nomination_metrics"]
					if p["nomination"] == n["nomination_title"]
				)
				if n["combine_rule"]
				else metric_label(n["metric"]),
			}
			for n in edition["nominations"]
		],
	}


def draft_next(doc, now=None) -> str:
	now = get_datetime(now or now_datetime())
	edition = next_edition(doc, now)
	if get_datetime(edition["starts_on"]) <= now:  # next_future_period promises this; the server holds it
		frappe.throw(_("The next contest must start in the future"))
	return frappe.get_doc(edition).insert().name


def period_end_date(starts_on, ends_on):
	"""The last day of a period: an end at midnight closes the day before."""
	start, end = get_datetime(starts_on), get_datetime(ends_on)
	if end.time() == time(0) and end > start:
		end -= timedelta(microseconds=1)
	return end.date()


def period_text(starts_on, ends_on) -> str:
	"""'01-01-2027 to 30-06-2027', in the site's date format."""
	return _("{0} to {1}").format(
		formatdate(get_datetime(starts_on).date()), formatdate(period_end_date(starts_on, ends_on))
	)


def metric_options() -> list[dict]:
	"""The registry as the nomination grid's Select offers it: the key stored, the name shown."""
	return [{"value": m.key, "label": m.label} for m in get_metrics().values()]


def metric_label(key: str) -> str:
	"""A metric's name for people; a key no longer registered is shown as it is."""
	metric = get_metrics().get(key)
	return metric.label if metric else key


def next_title(title: str, label: str, next_label: str) -> str:
	"""'Portal Champions H1 2026' → 'Portal Champions H2 2026'; a title without its period gets '(next)'."""
	if label in title and label != next_label:
		return title.replace(label, next_label)
	return _("{0} (next)").format(title)
