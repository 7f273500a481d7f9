# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt

from frappe.model.document import Document


class SSPPortalSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		hide_badges: DF.Check
		hide_contests: DF.Check
		welcome_text: DF.TextEditor | None
		welcome_title: DF.Data | None
	# end: auto-generated types
	"""Read through frappe.get_cached_doc, which Frappe clears on every save."""
