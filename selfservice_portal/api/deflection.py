"""Deflection endpoints: `selfservice_portal.api.deflection.<verb_noun>`."""

import datetime
import re

import frappe
from frappe import _

from selfservice_portal.deflection import events, report_data, rollup
from selfservice_portal.permissions import MANAGER_ROLES, STAFF_ROLES, bounded, check_text, roles_required
from selfservice_portal.service_catalog import fulfilment_rollup

# What only the browser sees; everything else is recorded server-side where it happens.
CLIENT_EVENT_TYPES = ("New Ticket Opened",)
MAX_RESULT_COUNT = 10_000
MAX_FILTERS_LENGTH = 1000
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def require_tracking_allowed() -> None:
	if not events.tracking_allowed():
		frappe.throw(_("Please sign in: anonymous tracking is off."), frappe.PermissionError)


@frappe.whitelist(allow_guest=True, methods=["POST"])
def log_portal_event(
	event_type: str = "",
	article: str | None = None,
	query: str | None = None,
	result_count: int | None = None,
) -> dict:
	"""One portal event from the browser; guests only when anonymous tracking is on (allow_guest for that).
	Agents' own steps are not recorded (``name`` is None): they are not self-service. Written behind
	(``events.defer_event_within_rate_limit``): ``name`` is the row's name once the next flush has
	written it."""
	require_tracking_allowed()
	if event_type not in CLIENT_EVENT_TYPES:
		if event_type in events.EVENT_TYPES:
			frappe.throw(
				_("Event {0} is recorded by the server, not by the browser").format(bounded(event_type))
			)
		frappe.throw(_("Unknown event type {0}").format(frappe.bold(bounded(event_type or ""))))
	if query not in (None, ""):  # the label's translation is a Redis read: only when there is a query
		query = check_text(query, _("Query", context="Search query"), events.MAX_QUERY_LENGTH)
	if article is not None and (not isinstance(article, str) or len(article) > 140):
		frappe.throw(_("Article must be an article's name"))
	if result_count is not None and not 0 <= int(result_count) <= MAX_RESULT_COUNT:
		frappe.throw(_("Result count must be between 0 and {0}").format(MAX_RESULT_COUNT))
	if article and not frappe.db.exists("HD Article", {"name": article, "status": "Published"}):
		frappe.throw(_("Article {0} was not found").format(bounded(article)))
	allowed, name = events.defer_event_within_rate_limit(
		event_type, hd_article=article, query=query, result_count=result_count
	)
	if not allowed:
		frappe.throw(_("Too many events; please slow down."), frappe.RateLimitExceededError)
	return {"name": name}


@frappe.whitelist(methods=["POST"])
@roles_required(*MANAGER_ROLES)
def recompute_rollups(from_date: str = "", to_date: str = "") -> dict:
	"""Rebuild the daily roll-ups for a range in the background (progress on the SSP Deflection
	Settings form): the deflection reports' and the Fulfilment report's."""
	start, end = (
		parse_date(from_date, _("From date", context="Start of a date range")),
		parse_date(to_date, _("To date", context="End of a date range")),
	)
	if end < start:
		frappe.throw(_("To date {0} is before from date {1}").format(end, start))
	if (end - start).days > 3660:
		frappe.throw(_("At most ten years at a time"))
	return {
		"job_id": rollup.enqueue_rollup(str(start), str(end)),
		"fulfilment_job_id": fulfilment_rollup.enqueue_rollup(str(start), str(end)),
	}


def parse_date(value: str, label: str) -> datetime.date:
	"""A date as YYYY-MM-DD, checked before Frappe's getdate, whose own error echoes it unescaped."""
	if isinstance(value, str) and ISO_DATE.fullmatch(value):
		try:
			return datetime.date.fromisoformat(value)
		except ValueError:
			pass
	frappe.throw(_("{0} {1} is not a date (YYYY-MM-DD)").format(label, bounded(value)))


@frappe.whitelist()
@roles_required(*STAFF_ROLES)
@frappe.read_only()
def get_number_card(filters: str | dict | None = None) -> dict:
	"""Number Cards of the Self-Service workspace, this month so far, from the daily roll-ups."""
	if isinstance(filters, str) and len(filters) > MAX_FILTERS_LENGTH:
		frappe.throw(_("Filters are too long (at most {0} characters)").format(MAX_FILTERS_LENGTH))
	try:
		filters = frappe.parse_json(filters) if isinstance(filters, str) else filters
	except (ValueError, RecursionError):
		filters = None
	if not isinstance(filters or {}, dict):
		frappe.throw(_("Filters must be an object"))
	metric = (filters or {}).get("metric")
	card = report_data.number_card(metric)
	if card is None:
		frappe.throw(_("Unknown number card metric {0}").format(bounded(metric)))
	value, fieldtype = card
	return {"value": value, "fieldtype": fieldtype}
