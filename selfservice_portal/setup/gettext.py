"""Strings people read that live in data, not in `_()` calls: the labels and descriptions of the
fields we add to Helpdesk's DocTypes, the names of the channels every site starts with, and the titles
of our portal menu entries (Frappe's portal sidebar translates them when it renders).

Registered in `babel_extractors.csv`, so `bench generate-pot-file --app selfservice_portal` puts them
in main.pot like Frappe's own extractors do for DocType JSON. The files still go through Frappe's
Python extractor for their `_()` calls.
"""

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from frappe.gettext.extractors import python

# File (relative to the app's package) → its module.
MODULES = {
	"selfservice_portal/hooks.py": "selfservice_portal.hooks",
	"setup/custom_fields.py": "selfservice_portal.setup.custom_fields",
	"deflection/channels.py": "selfservice_portal.deflection.channels",
}


def extract(
	fileobj: BinaryIO, *args: object, **kwargs: object
) -> Iterator[tuple[int | None, str, str | tuple[str | None, ...], list[str]]]:
	yield from python.extract(fileobj, *args, **kwargs)
	path = Path(fileobj.name).as_posix()
	module_name = next((m for suffix, m in MODULES.items() if path.endswith(suffix)), None)
	if not module_name:
		return
	module = importlib.import_module(module_name)
	if hasattr(module, "get_custom_fields"):
		for doctype, fields in module.get_custom_fields().items():
			for field in fields:
				for key in ("label", "description"):
					if field.get(key):
						yield (
							None,
							"_",
							field[key],
							[f"{key.title()} of the {doctype} field {field['fieldname']}"],
						)
	for item in getattr(module, "portal_menu_items", ()):
		yield None, "_", item["title"], [f"Title of the portal menu entry {item['route']}"]
	for channel in getattr(module, "DEFAULT_CHANNELS", ()):
		yield None, "_", channel.name, ["Name of a channel (SSP Channel)"]
		yield None, "_", channel.description, [f"Description of the channel {channel.name}"]
