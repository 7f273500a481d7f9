from selfservice_portal.setup.custom_fields import apply_custom_fields


def execute():
	apply_custom_fields()
