"""The languages the portal speaks, and a portal user's choice among them.

Frappe takes a signed-in user's language from their user record, which a portal user cannot edit
(they have no Desk). The self-service home offers the languages this app ships a translation for
(`locale/<code>.po`) plus English, and the choice is stored on the user's own record.
"""

from pathlib import Path

import frappe
from frappe import _

from selfservice_portal.permissions import bounded

LOCALE_DIR = Path(__file__).parent / "locale"


def shipped_codes() -> list[str]:
	"""English and every locale with a translation file, e.g. ['en', 'ar', 'ru', 'zh']."""
	return ["en", *sorted(p.stem for p in LOCALE_DIR.glob("*.po"))]


def offered_languages() -> list[dict]:
	"""Each shipped language that is enabled on the site, named in its own script (Frappe's Language
	records: "العربية", "русский", "简体中文")."""
	codes = shipped_codes()
	language = frappe.qb.DocType("Language")  # frappe.qb: no DocType meta loaded for the home page
	names = dict(
		frappe.qb.from_(language)
		.select(language.name, language.language_name)
		.where(language.name.isin(codes) & (language.enabled == 1))
		.run()
	)
	return [{"code": code, "name": names[code]} for code in codes if code in names]


def set_user_language(user: str, language: str) -> str:
	"""Store `language` on the user's record, if the portal offers it."""
	if language not in {lang["code"] for lang in offered_languages()}:
		frappe.throw(
			_("The portal is not available in {0}").format(bounded(language)),
			frappe.ValidationError,
		)
	frappe.db.set_value("User", user, "language", language)
	frappe.clear_cache(user=user)
	return language
