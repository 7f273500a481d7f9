"""The approval manager on User moves to permlevel 1: users may no longer set their own approver."""

from selfservice_portal.setup.custom_fields import apply_custom_fields


def execute() -> None:
	apply_custom_fields()
