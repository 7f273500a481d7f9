"""Every user-visible string of the portal pages and Desk scripts goes through gettext.

Read from the files, without frappe: a www template or a JavaScript file must not hold text a person
reads outside `_()` (Jinja, Python) or `__()` (JavaScript), and no sentence may be glued together from
translated fragments (a translator must see whole sentences, and Arabic orders them differently).
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "selfservice_portal"

# Attributes whose values people read (or hear, with a screen reader).
READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
WORD = re.compile(r"[A-Za-z]{2,}")


def templates() -> list[Path]:
	return sorted(p for p in APP.rglob("*.html") if "node_modules" not in p.parts)


def scripts() -> list[Path]:
	return sorted(p for p in APP.rglob("*.js") if "node_modules" not in p.parts and "dist" not in p.parts)


# ------------------------------------------------------------------ Jinja templates


def strip_jinja(text: str) -> str:
	"""The template as a browser would see it before the data: Jinja blocks, expressions, comments,
	<script> and <style> bodies removed (scripts are checked as JavaScript below)."""
	text = re.sub(r"\{#.*?#\}", " ", text, flags=re.S)
	text = re.sub(r"\{%.*?%\}", " ", text, flags=re.S)
	text = re.sub(r"\{\{.*?\}\}", " ", text, flags=re.S)
	text = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", " ", text, flags=re.S | re.I)
	return re.sub(r"<!--.*?-->", " ", text, flags=re.S)


def untranslated_in_template(source: str) -> list[str]:
	found = []
	html = strip_jinja(source)
	for attribute in READ_ATTRIBUTES:
		for value in re.findall(rf'\b{attribute}\s*=\s*"([^"]*)"', html):
			if WORD.search(value) and not re.fullmatch(r"\S*(@|://)\S*", value):
				found.append(f'{attribute}="{value}"')
	text = re.sub(r"<[^>]*>", "\n", html)
	found += [line.strip() for line in text.splitlines() if WORD.search(line)]
	return found


def inline_scripts(source: str) -> list[str]:
	return re.findall(r"<script\b[^>]*>(.*?)</script>", source, flags=re.S | re.I)


# ------------------------------------------------------------------ JavaScript

STRING = re.compile(r"""(?P<q>["'`])(?P<body>(?:\\.|(?!(?P=q)).)*)(?P=q)""", re.S)
COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
REGEX_LITERAL = re.compile(r"([(,=:]\s*)/(?:\\.|\[[^\]\n]*\]|[^/\n\\])+/[gimsuy]*")
# Roles and header names code passes around; DocType, report and Select option names are read from
# the app's JSON below.
CODE_NAMES = {
	"System Manager",
	"SSP Manager",
	"Agent",
	"Agent Manager",
	"Administrator",
	"Guest",
	"Assign To",
}
# Frappe's fieldtypes and views, passed to Frappe, never shown as such.
CODE_NAMES |= {"Check", "Currency", "Data", "Date", "Datetime", "Float", "Form", "HTML", "Int", "Link"}
CODE_NAMES |= {"List", "Long Text", "Percent", "Report", "Select", "Small Text", "Text", "Text Editor"}


def code_names() -> set[str]:
	"""Names code compares against or passes to Frappe: DocTypes, reports, Select values."""
	import json

	names = set(CODE_NAMES)
	for path in APP.glob("*/*/*/*.json"):
		if path.stem != path.parent.name or path.parent.parent.name not in ("doctype", "report"):
			continue
		meta = json.loads(path.read_text())
		names.add(meta.get("name", ""))
		for field in meta.get("fields", []):
			if field.get("fieldtype") == "Select":
				names.update(filter(None, (field.get("options") or "").split("\n")))
	return names


def is_code(body: str) -> bool:
	if body in code_names() or body.startswith(("/", "#", ".", "[")) or ";" in body:
		return True
	if not re.search(r"\s", body):
		# One token: an identifier, a path, a header name, a class; a capitalised word alone
		# ("Saved", "Cancel") is a label.
		return not re.fullmatch(r"[A-Z][a-z]+[.!?…:]*", body)
	# Several words: lower-case selectors and class lists are code; a capital or a sentence's end
	# makes it text people read.
	return not re.search(r"[A-Z]|[.!?…]$", body)


def visible_text_of_markup(body: str) -> list[str]:
	"""Text between tags of an HTML string built in JavaScript (template literals)."""
	body = re.sub(r"\$\{(?:[^{}]|\{[^{}]*\})*\}", " ", body)
	found = []
	for attribute in READ_ATTRIBUTES:
		found += [v for v in re.findall(rf'\b{attribute}\s*=\s*"([^"]*)"', body) if WORD.search(v)]
	text = re.sub(r"<[^>]*>", "\n", body)
	found += [line.strip() for line in text.splitlines() if WORD.search(line)]
	return found


# `__("Share", null, "Share of answers")`: what precedes the third argument.
CONTEXT_ARGUMENT = re.compile(
	r"""\b__\(\s*(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')\s*,\s*(?:null|undefined|\[[^\]]*\]|\{[^}]*\})\s*,$"""
)


def untranslated_in_script(source: str) -> list[str]:
	found = []
	source = COMMENT.sub(lambda m: " " * len(m.group(0)) if m.group(0).startswith("/*") else "", source)
	source = REGEX_LITERAL.sub(lambda m: m.group(1) + '""', source)
	for match in STRING.finditer(source):
		body = match.group("body")
		before = source[: match.start()].rstrip()
		if before.endswith("__(") or before.endswith("frappe._("):
			continue  # the msgid itself
		if CONTEXT_ARGUMENT.search(before):
			continue  # the third argument of __(): a context for translators, never shown
		if before.endswith(("frappe.call(", "method:", "import", "from", "require(", "value:", "default:")):
			continue  # a method, a module, or a Select's value (its label is what people read)
		if "<" in body and ">" in body:
			found += visible_text_of_markup(body)
			continue
		if match.group("q") == "`":
			body = re.sub(r"\$\{(?:[^{}]|\{[^{}]*\})*\}", "", body)
		if not WORD.search(body) or is_code(body.strip()):
			continue
		found.append(body)
	return found


# ------------------------------------------------------------------ the tests


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(APP)))
def test_templates_translate_every_visible_string(path):
	source = path.read_text()
	found = untranslated_in_template(source)
	for script in inline_scripts(source):
		found += untranslated_in_script(script)
	assert not found, f"{path.relative_to(ROOT)} shows text outside _(): {found}"


@pytest.mark.parametrize("path", scripts(), ids=lambda p: str(p.relative_to(APP)))
def test_scripts_translate_every_visible_string(path):
	found = untranslated_in_script(path.read_text())
	assert not found, f"{path.relative_to(ROOT)} shows text outside __(): {found}"


FRAGMENT = re.compile(r"""\b_{1,2}\(\s*(?:"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)')\s*[,)]""")


def fragments(source: str) -> list[str]:
	"""msgids that start or end with a space: fragments meant to be glued to others."""
	found = []
	for match in FRAGMENT.finditer(source):
		msgid = match.group(1) if match.group(1) is not None else match.group(2)
		if msgid != msgid.strip() or not msgid:
			found.append(msgid)
	return found


@pytest.mark.parametrize(
	"path",
	sorted(
		p for p in APP.rglob("*") if p.suffix in {".py", ".js", ".html"} and "node_modules" not in p.parts
	),
	ids=lambda p: str(p.relative_to(APP)),
)
def test_no_sentence_is_glued_from_translated_fragments(path):
	"""A msgid that starts or ends with a space is a fragment meant to be concatenated."""
	found = fragments(path.read_text())
	assert not found, f"{path.relative_to(ROOT)} translates fragments or empty strings: {found}"


def test_the_checks_catch_what_they_claim():
	assert untranslated_in_template('<p>{{ _("Fine") }}</p><p>Not fine</p>') == ["Not fine"]
	assert untranslated_in_template('<input placeholder="Type here">') == ['placeholder="Type here"']
	assert untranslated_in_template("{% if x %}<b>{{ x | e }}</b>{% endif %}") == []
	assert untranslated_in_script('frappe.msgprint(__("Saved"));') == []
	assert untranslated_in_script('frappe.msgprint("Saved, thank you");') == ["Saved, thank you"]
	assert untranslated_in_script("el.innerHTML = `<b>${name}</b> Done now`;") == ["Done now"]
	assert (
		untranslated_in_script('$(".ssp-card .btn-primary").hide(); frm.set_value("status", "Open");') == []
	)
	assert untranslated_in_script('frappe.db.get_value("SSP Request", name, "status");') == []
	assert untranslated_in_script('label: __("Log", null, "Log a contact"),') == []
	assert untranslated_in_script('__("Clear {0}", [frm.doc.user], "Contest review")') == []
	assert untranslated_in_script('frappe.msgprint(__("Done"), "Saved now")') == ["Saved now"]
	assert untranslated_in_script('frm.add_custom_button("Log Contact");') == ["Log Contact"]
	assert fragments('_(" and ") + _("x")') == [" and "]
	assert fragments('_("Unknown {0}. Known: {1}").format(key, ", ".join(keys))') == []
