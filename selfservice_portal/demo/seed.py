"""Seeds a believable demo site; every step is idempotent so the command can be re-run.

Later capabilities add their own steps to ``DEMO_STEPS`` (catalog, a year of portal journeys,
a past contest…).
"""

from collections.abc import Callable

import frappe
from frappe.utils import getdate

from selfservice_portal.deflection.ticket_channels import backfill_ticket_channels
from selfservice_portal.demo import catalog_seed, contest_history, fulfilment_history, history, plan
from selfservice_portal.demo.records import (
	ensure_agent,
	ensure_article,
	ensure_customer,
	ensure_portal_user,
	ensure_team,
	ensure_ticket,
)
from selfservice_portal.service_catalog import fulfilment_rollup
from selfservice_portal.setup.install import ensure_default_channels


def seed_people() -> None:
	ensure_customer(plan.CUSTOMER_NAME, plan.DEMO_DOMAIN)
	for department in plan.DEPARTMENTS:
		agents = []
		for email in department.agent_emails:
			first_name = email.split(".")[0].title()
			agents.append(ensure_agent(email, first_name, f"({department.team})"))
		ensure_team(department.team, agents)
	for person in plan.PORTAL_USERS:
		ensure_portal_user(person.email, person.first_name, person.last_name, plan.CUSTOMER_NAME)


def seed_knowledge_base() -> None:
	for article in plan.ARTICLES:
		ensure_article(article.title, article.content, article.category)


def seed_ticket_history() -> None:
	for ticket in plan.plan_tickets(getdate()):
		ensure_ticket(
			ticket.subject,
			ticket.raised_by,
			team=ticket.team,
			channel=ticket.channel,
			opened_on=ticket.opened_on,
			is_resolved=ticket.is_resolved,
		)


DEMO_STEPS: tuple[tuple[str, Callable[[], None]], ...] = (
	("channels", ensure_default_channels),
	("people and teams", seed_people),
	("knowledge base", seed_knowledge_base),
	("ticket history", seed_ticket_history),
	("service catalog", catalog_seed.seed_catalog),
	("sample catalog requests", catalog_seed.seed_sample_requests),
	("a year of onboarding and leaving requests", fulfilment_history.seed_fulfilment_history),
	("deflection settings", history.seed_settings),
	("a year of portal journeys", history.seed_portal_journeys),
	("a past contest with winners", contest_history.seed_past_contest),
	# Tickets that lost their channel (e.g. an uninstall in between) get it back by the backfill rules.
	("ticket channels", backfill_ticket_channels),
	# Last: every back-dated request of the steps above counts in the Fulfilment report.
	("fulfilment roll-up", fulfilment_rollup.rollup_last_year),
)


def run_demo(log: Callable[[str], None] = print) -> None:
	# Notifications and acknowledgement e-mails for a hundred back-dated tickets help nobody.
	muted, frappe.flags.mute_emails = frappe.flags.mute_emails, True
	try:
		for label, step in DEMO_STEPS:
			step()
			log(f"selfservice-portal demo: {label} ready")
	finally:
		frappe.flags.mute_emails = muted
