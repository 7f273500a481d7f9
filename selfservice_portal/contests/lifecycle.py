"""Contest lifecycle: Draft → Announced → Running → Judging → Awarded (and Cancelled).

Once announced, what participants were promised is frozen: nominations, metrics, eligibility and
fair-play rules, audience and start. The end may only be extended, and only before it passes. The
transitions themselves are the contest's methods (``SSPContest.announce``, ``start``, ``close``…);
this module holds the states, the rule fields they freeze and the hourly job that moves contests on.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

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


def change_status(doc: Document, status: str, allowed: dict, refusal: str, **values: object) -> None:
	"""Move ``doc`` (a contest or a poll) to ``status`` if ``allowed`` lets it, with ``values``; the
	flag tells its validate that this is no hand edit of the status. ``refusal`` names both statuses."""
	if status not in allowed[doc.status]:
		frappe.throw(refusal.format(_(doc.status), _(status)))
	doc.status = status
	doc.update(values)
	doc.flags.ssp_transition = True
	doc.save(ignore_permissions=True)


def advance_contests() -> None:
	"""Scheduler (hourly): start contests whose start has come, close and judge those that ended."""
	now = now_datetime()
	for name in frappe.get_all("SSP Contest", {"status": ANNOUNCED, "starts_on": ("<=", now)}, pluck="name"):
		frappe.get_doc("SSP Contest", name).start()
	for name in frappe.get_all("SSP Contest", {"status": RUNNING, "ends_on": ("<=", now)}, pluck="name"):
		contest = frappe.get_doc("SSP Contest", name)
		contest.close()
		contest.enqueue_judging()


def guard_rule_row_deletion(row: Document) -> None:
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
