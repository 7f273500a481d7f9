from selfservice_portal.setup import helpdesk_artefacts
from selfservice_portal.setup.custom_fields import apply_custom_fields


def execute() -> None:
	apply_custom_fields()
	helpdesk_artefacts.ensure_all()
