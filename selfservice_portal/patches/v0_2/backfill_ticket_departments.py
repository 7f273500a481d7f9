"""Give tickets that no catalog service placed (e-mail, phone, Helpdesk's form) the department their
team serves, as new tickets now get it (deflection.ticket_events.set_department_from_team)."""

from selfservice_portal.deflection.ticket_events import backfill_ticket_departments


def execute() -> None:
	backfill_ticket_departments()
