"""Portal-wide endpoints: `selfservice_portal.api.portal.<verb_noun>`."""

import frappe
from frappe import _

from selfservice_portal import languages
from selfservice_portal.permissions import check_name, login_required


@frappe.whitelist(methods=["POST"])
@login_required
def set_language(language: str = "") -> dict:
	"""The signed-in user's own portal language (one of the languages the portal ships)."""
	check_name(language, _("Language"))
	return {"language": languages.set_user_language(frappe.session.user, language)}
