"""Fulfilment plans: a task ticket's links to its request (ssp_parent_ticket, and ssp_plan_task with
its unique index) on HD Ticket."""

from selfservice_portal.setup.custom_fields import apply_custom_fields


def execute() -> None:
	apply_custom_fields()
