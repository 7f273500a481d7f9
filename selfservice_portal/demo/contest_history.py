"""A past contest with winners, so profiles and the ticket view show badges in the demo."""

from datetime import date, datetime

import frappe
from frappe.utils import getdate

from selfservice_portal.contests import awards, judging, lifecycle
from selfservice_portal.demo import plan

NOMINATIONS = (
	("Most independent user", "independence", 3),
	("Most requests through the portal", "portal_tickets", 0),
	("Most ratings given", "ratings_given", 0),
)


def past_half_year(today: date) -> tuple[datetime, datetime, str]:
	"""The last half-year that has fully ended."""
	if today.month > 6:
		return datetime(today.year, 1, 1), datetime(today.year, 6, 30, 23, 59, 59), f"H1 {today.year}"
	return (
		datetime(today.year - 1, 7, 1),
		datetime(today.year - 1, 12, 31, 23, 59, 59),
		f"H2 {today.year - 1}",
	)


def seed_past_contest() -> None:
	start, end, label = past_half_year(getdate())
	title = f"Portal Champions {label}"
	if frappe.db.exists("SSP Contest", {"title": title}):
		return
	contest = frappe.get_doc(
		{
			"doctype": "SSP Contest",
			"title": title,
			"description": "<p>Use the portal, rate what we do, and win a star on your profile.</p>",
			"starts_on": frappe.utils.add_days(frappe.utils.now_datetime(), 1),
			"ends_on": frappe.utils.add_days(frappe.utils.now_datetime(), 2),
			"audience_type": "Selected Customers and Contacts",
			"audience": [{"audience_doctype": "HD Customer", "audience_name": plan.CUSTOMER_NAME}],
			"nominations": [
				{"nomination_title": t, "metric": m, "eligibility_floor": floor, "places": 3}
				for t, m, floor in NOMINATIONS
			],
		}
	).insert(ignore_permissions=True)
	contest.announce()
	# History: the contest was announced before its period and has run its course.
	frappe.db.set_value(
		"SSP Contest", contest.name, {"starts_on": start, "ends_on": end, "announced_on": start}
	)
	lifecycle.advance_contests()
	lifecycle.advance_contests()
	judging.judge(contest.name)
	for standing in awards.unreviewed_podium(contest.name):
		awards.review_standing(
			standing.name, "Cleared", "Reviewed for the demo: genuine requests", "Administrator"
		)
	awards.award_contest(contest.name)
