from selfservice_portal.setup.install import ensure_settings_defaults


def execute() -> None:
	ensure_settings_defaults()
