"""Channel and Department on HD Ticket stop being standard filters: Helpdesk 1.25.1 offers standard
filters on the customer's "My tickets" too, where the link search for them is refused."""

from selfservice_portal.setup.custom_fields import apply_custom_fields


def execute() -> None:
	apply_custom_fields()
