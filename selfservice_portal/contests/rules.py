"""What a contest's rules must satisfy, and when they freeze: the checks ``SSPContest.validate`` and
``on_trash`` run (each through a method of the contest)."""

import frappe
from frappe import _
from frappe.model import no_value_fields, table_fields
from frappe.model.document import Document
from frappe.utils import escape_html, get_datetime, now_datetime

from selfservice_portal.contests.lifecycle import (
	AWARDED,
	CANCELLED,
	DRAFT,
	FROZEN_FIELDS,
	NOMINATION_RULES,
	PART_RULES,
)
from selfservice_portal.contests.metric_model import Metric
from selfservice_portal.contests.metrics import get_metrics, metric_label
from selfservice_portal.contests.ranking import COMBINE_RULES, TIERS, WEIGHTED


def validate_period(doc: Document) -> None:
	if get_datetime(doc.ends_on) <= get_datetime(doc.starts_on):
		frappe.throw(_("The contest must end after it starts"))


def set_nomination_keys(doc: Document) -> None:
	for row in doc.nominations:
		if not row.nomination_key:
			row.nomination_key = frappe.generate_hash(length=10)


def set_metric_labels(doc: Document) -> None:
	"""Desk shows a metric by its name ('Independence'), not by its registry key; a combined
	nomination by its metrics' names ('Requests through the portal + Ratings given')."""
	for part in doc.get("nomination_metrics") or []:
		part.metric_label = metric_label(part.metric) if part.metric else ""
	for row in doc.nominations:
		if row.combine_rule:
			row.metric_label = " + ".join(part.metric_label for part in doc.metrics_of(row))
		else:
			row.metric_label = metric_label(row.metric) if row.metric else ""


def link_nomination_metrics(doc: Document) -> None:
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


def validate_nominations(doc: Document) -> None:
	metrics = get_metrics()
	for row in doc.nominations:
		if row.combine_rule:
			validate_combined(doc, row, metrics)
		elif row.metric not in metrics:
			frappe.throw(
				_("Nomination {0}: unknown metric {1}. Known metrics: {2}").format(
					row.idx,
					frappe.bold(escape_html(row.metric or "")),
					known_metrics(metrics),
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


def validate_combined(doc: Document, row: Document, metrics: dict[str, Metric]) -> None:
	"""Two or more distinct registered metrics, floors not negative, weights above zero (weighted)."""
	if row.combine_rule not in COMBINE_RULES:
		frappe.throw(
			_("Nomination {0}: unknown way to combine metrics {1}").format(
				row.idx, frappe.bold(escape_html(row.combine_rule))
			)
		)
	row.metric = None  # a combined nomination is measured by its metric rows only
	parts = doc.metrics_of(row)
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
					known_metrics(metrics),
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


def guard_status(doc: Document) -> None:
	"""Status moves only through the contest's transitions (``SSPContest.transition`` sets the flag)."""
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


def rules_snapshot(doc: Document) -> tuple:
	"""Every value the announcement froze, to compare a contest with its state before the save."""
	return (
		tuple(
			doc.get(field) if field != "starts_on" else get_datetime(doc.starts_on) for field in FROZEN_FIELDS
		),
		# The key too: standings and badges are filed under it.
		tuple(
			tuple(row.get(field) for field in (*NOMINATION_RULES, "nomination_key"))
			for row in doc.nominations
		),
		tuple(
			tuple(row.get(field) for field in (*PART_RULES, "nomination_key"))
			for row in doc.get("nomination_metrics") or []
		),
		tuple(sorted((row.audience_doctype, row.audience_name) for row in doc.audience)),
	)


def guard_frozen_rules(doc: Document) -> None:
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


def guard_closed(doc: Document) -> None:
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


def field_value(doc: Document, df: Document) -> object:
	value = doc.get(df.fieldname)
	if df.fieldtype in ("Datetime", "Date") and value:
		return get_datetime(value)
	if df.fieldtype in ("Int", "Check"):
		return int(value or 0)
	if df.fieldtype in ("Float", "Percent", "Currency"):
		return float(value or 0)
	return value or None


def guard_deletion(doc: Document) -> None:
	"""A contest its audience was told about stays on record: only drafts and cancelled ones go."""
	if doc.status not in (DRAFT, CANCELLED):
		frappe.throw(
			_("Contest {0} is {1}: only draft or cancelled contests can be deleted").format(
				doc.name, _(doc.status)
			),
			title=_("Rules are frozen"),
		)


def known_metrics(metrics: dict[str, Metric]) -> str:
	"""'Independence (independence), …': what an unknown metric's error offers instead."""
	return escape_html(", ".join(f"{metric.label} ({metric.key})" for metric in metrics.values()))
