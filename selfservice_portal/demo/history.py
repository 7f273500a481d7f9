"""Seeds a year of portal journeys and the deflection settings, then rolls the year up."""

import frappe
from frappe.utils import add_days, getdate

from selfservice_portal.deflection.rollup import rollup_range
from selfservice_portal.demo import journey_plan, plan

SETTINGS = "SSP Deflection Settings"


def seed_settings() -> None:
	settings = frappe.get_single(SETTINGS)
	start = add_days(getdate(), -365)
	if not settings.milestones:
		for offset, label, kind in journey_plan.MILESTONES:
			settings.append(
				"milestones", {"milestone_date": add_days(start, offset), "label": label, "kind": kind}
			)
	present = {row.channel for row in settings.channel_costs}
	for channel, cost in journey_plan.CHANNEL_COSTS.items():
		if channel not in present and frappe.db.exists("SSP Channel", channel):
			settings.append("channel_costs", {"channel": channel, "cost_per_contact": cost})
	if not settings.target_monthly_savings:
		settings.target_monthly_savings = 500
	settings.save(ignore_permissions=True)


def seed_portal_journeys() -> None:
	articles = dict(frappe.get_all("HD Article", fields=["title", "name"], as_list=True))
	users = [p.email for p in plan.PORTAL_USERS]
	planned = journey_plan.plan_events(getdate(), users, [a.title for a in plan.ARTICLES])
	existing = set(frappe.get_all("SSP Portal Event", filters={"name": ("like", "demoev-%")}, pluck="name"))
	rows = [
		[
			e.key,
			e.at,
			e.at,
			"Administrator",
			"Administrator",
			e.event_type,
			e.user,
			f"demo-{e.user}",
			articles.get(e.article_title),
			e.query,
			e.result_count or 0,
		]
		for e in planned
		if e.key not in existing
	]
	if rows:
		frappe.db.bulk_insert(
			"SSP Portal Event",
			[
				"name",
				"creation",
				"modified",
				"owner",
				"modified_by",
				"event_type",
				"user",
				"session_id",
				"hd_article",
				"query",
				"result_count",
			],
			rows,
		)
	rollup_range(add_days(getdate(), -366), add_days(getdate(), -1))
