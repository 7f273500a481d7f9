"""The shipped translations against the template: every message of ``main.pot`` is translated in
each locale, and a translation keeps the message's placeholders and markup, so that ``.format()``
and the page never break in another language. (Whether ``main.pot`` itself is current is checked by
regenerating it, see README, Languages; text outside ``_()`` is caught by test_translatable.)"""

import ast
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "selfservice_portal" / "locale"
SHIPPED = ("zh", "ar", "ru")
PLACEHOLDER = re.compile(r"\{\d*\}")
TAG = re.compile(r"</?([a-z]+)\b")


def read_catalog(path: Path) -> dict[tuple[str | None, str], tuple[str, bool]]:
	"""(msgctxt, msgid) -> (msgstr, fuzzy) of a .po/.pot file; the header entry is left out."""
	entries: dict[tuple[str | None, str], tuple[str, bool]] = {}
	fields: dict[str, str] = {}
	current = None
	fuzzy = False

	def close() -> None:
		nonlocal fields, fuzzy
		if fields.get("msgid"):
			entries[(fields.get("msgctxt"), fields["msgid"])] = (fields.get("msgstr", ""), fuzzy)
		fields, fuzzy = {}, False

	for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
		line = line.strip()
		if not line:
			close()
		elif line.startswith("#,") and "fuzzy" in line:
			fuzzy = True
		elif line.startswith("#"):
			continue
		elif line.startswith('"'):
			fields[current] += ast.literal_eval(line)
		else:
			keyword, _, literal = line.partition(" ")
			if keyword == "msgctxt" and "msgid" in fields:
				close()
			current = keyword
			fields[current] = ast.literal_eval(literal)
	return entries


TEMPLATE = read_catalog(LOCALE / "main.pot")


def test_the_template_has_the_apps_messages():
	assert len(TEMPLATE) > 500
	# A context tells apart a word whose sense differs from Frappe's ("Share" of answers, not the
	# button); one that looks like a language code is a misread `_(text, lang=...)`.
	contexts = {key[0] for key in TEMPLATE if key[0]}
	assert not [c for c in contexts if len(c) < 6 or not c[0].isupper()], contexts


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_message_is_translated(locale):
	catalog = read_catalog(LOCALE / f"{locale}.po")
	missing = [key[1] for key in TEMPLATE if key not in catalog]
	empty = [key[1] for key in TEMPLATE if key in catalog and not catalog[key][0].strip()]
	fuzzy = [key[1] for key in TEMPLATE if key in catalog and catalog[key][1]]
	assert not missing, f"{len(missing)} messages missing in {locale}.po: {missing[:10]}"
	assert not empty, f"{len(empty)} messages untranslated in {locale}.po: {empty[:10]}"
	assert not fuzzy, f"{len(fuzzy)} fuzzy messages in {locale}.po: {fuzzy[:10]}"


@pytest.mark.parametrize("locale", SHIPPED)
def test_translations_keep_placeholders_and_markup(locale):
	catalog = read_catalog(LOCALE / f"{locale}.po")
	broken = []
	for (_context, msgid), (msgstr, _) in catalog.items():
		if not msgstr:
			continue
		if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
			broken.append(("placeholders", msgid, msgstr))
		if sorted(TAG.findall(msgid)) != sorted(TAG.findall(msgstr)):
			broken.append(("markup", msgid, msgstr))
	assert not broken, f"{len(broken)} translations in {locale}.po change the message: {broken[:5]}"


def test_the_reader_handles_the_po_format(tmp_path):
	po = tmp_path / "x.po"
	po.write_text(
		'msgid ""\nmsgstr "Language: xx\\n"\n\n'
		'#: a.py:1\nmsgid "Hello {0}"\nmsgstr "Hallo {0}"\n\n'
		'#, fuzzy\nmsgid "Long"\nmsgstr ""\n"two "\n"lines"\n\n'
		'msgctxt "menu"\nmsgid "Open"\nmsgstr "Auf"\n',
		encoding="utf-8",
	)
	assert read_catalog(po) == {
		(None, "Hello {0}"): ("Hallo {0}", False),
		(None, "Long"): ("two lines", True),
		("menu", "Open"): ("Auf", False),
	}
