"""The portal pages in Arabic, Chinese and Russian, in a real browser at 1280 and 390 px: the page
says which language and direction it is in, nothing scrolls sideways or overlaps, no English string of
ours is left (the failure lists every one with its page), Chinese text reaches a CJK font, and dates and
percentages follow the site's formats.

What a string is "untranslated" means here: it equals (trimmed) an msgid of locale/main.pot, or, in a
language that is not English, it holds a run of two or more English words that is not data (names of
departments, services, users, contests… — the allow-list comes from the fixtures and those records).
Frappe's own navbar, sidebar, breadcrumbs and footer are listed in the output, not failed.

Screenshots go to /tmp/ssp-shots (``SSP_SHOTS`` overrides it) as i18n-<lang>-<page>-<width>.png;
docs/screenshots/ holds reduced copies.
"""

import os
import re
import subprocess
from datetime import datetime

import frappe
from babel.messages.pofile import read_po

from selfservice_portal.contests import judging, lifecycle
from selfservice_portal.contests.test_contest_pages_browser import set_date_format
from selfservice_portal.contests.test_contests import contact_audience, make_contest, nomination, ticket
from selfservice_portal.deflection import polls
from selfservice_portal.service_catalog.catalog import get_viewer
from selfservice_portal.service_catalog.intake import submit_request
from selfservice_portal.tests.browser import BrowserTestCase, set_password
from selfservice_portal.tests.test_pages_at_phone_width import SHOTS, WIDTHS
from selfservice_portal.tests.test_utils import (
	POLL_QUESTIONS,
	TEST_DOMAIN,
	make_badge,
	make_department,
	make_portal_user,
	make_service,
	make_team,
)

LOCALE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "locale")
# Names people have in each language: a user's name is data, and an English one would read as a
# run of English words.
USERS = {"ar": "ليلى", "zh": "李娜", "ru": "Ольга"}
RTL = {"ar"}
DEPARTMENT = "SSP Languages Dept"
SERVICE = "Laptop for the language tests"
CONTEST = "SSP Languages Contest"
POLL = "SSP Languages Poll"
FORM_LABELS = ("What", "Details")
STEP_LABEL = "Manager"
SITE_DATE_FORMAT = "dd-mm-yyyy"  # not ISO, so that a raw ISO date shows

CHROME = ".navbar, .web-footer, footer, .page-breadcrumbs, .web-sidebar, .sidebar-column"
APP = ".page-content-wrapper"

# Every visible text node and attribute a person reads, tagged with where it sits: our page ("app") or
# Frappe's chrome. A text node also carries its block's text, so that an msgid with inline markup
# (<strong>, a link) inside still matches.
COLLECT_JS = """([chrome, app]) => {
	const shown = (el) => {
		for (let e = el; e; e = e.parentElement) {
			const s = getComputedStyle(e);
			if (s.display === "none" || s.visibility === "hidden") return false;
		}
		return [...el.getClientRects()].some((r) => r.width > 0 && r.height > 0);
	};
	const area = (el) => (el.closest(chrome) ? "chrome" : el.closest(app) ? "app" : "chrome");
	const block = (el) => {
		let e = el;
		while (e.parentElement && getComputedStyle(e).display.startsWith("inline")) e = e.parentElement;
		return e.innerText.replace(/\\s+/g, " ").trim();
	};
	const out = [];
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const text = n.nodeValue.replace(/\\s+/g, " ").trim();
		const el = n.parentElement;
		if (!text || !el || el.closest("script, style, noscript, template") || !shown(el)) continue;
		out.push({ area: area(el), kind: "text", text, block: block(el) });
	}
	const attrs = ["placeholder", "title", "aria-label", "alt"];
	for (const el of document.body.querySelectorAll(attrs.map((a) => `[${a}]`).join(", "))) {
		if (!shown(el)) continue;
		for (const a of attrs) {
			const text = (el.getAttribute(a) || "").replace(/\\s+/g, " ").trim();
			if (text) out.push({ area: area(el), kind: a, text, block: text });
		}
	}
	if (document.title) out.push({ area: "app", kind: "title", text: document.title, block: document.title });
	return out;
}"""

# Pairs of text boxes (one per line of each text node) in our content that cover each other by more
# than 2 px both ways.
OVERLAP_JS = """(app) => {
	const root = document.querySelector(app);
	if (!root) return [];
	const boxes = [];
	const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(), i = 0; n; n = walker.nextNode(), i++) {
		const text = n.nodeValue.trim();
		const el = n.parentElement;
		if (!text || !el || el.closest("script, style, .sr-only")) continue;
		const s = getComputedStyle(el);
		if (s.visibility === "hidden" || s.opacity === "0") continue;
		const range = document.createRange();
		range.selectNodeContents(n);
		for (const r of range.getClientRects()) {
			if (r.width > 2 && r.height > 2) boxes.push({ i, text: text.slice(0, 40), r });
		}
	}
	const found = [];
	for (let a = 0; a < boxes.length; a++) {
		for (let b = a + 1; b < boxes.length; b++) {
			const p = boxes[a], q = boxes[b];
			if (p.i === q.i) continue;
			const w = Math.min(p.r.right, q.r.right) - Math.max(p.r.left, q.r.left);
			const h = Math.min(p.r.bottom, q.r.bottom) - Math.max(p.r.top, q.r.top);
			if (w > 2 && h > 2) found.push(`"${p.text}" / "${q.text}"`);
		}
	}
	return found;
}"""

# Arrows that point the reading direction ("→ All my requests") must turn round in a right-to-left
# page; Unicode does not mirror them (BidiMirroring has no arrows), so CSS must.
UNFLIPPED_ARROWS_JS = """(app) => {
	const root = document.querySelector(app);
	const found = [];
	if (!root) return found;
	const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		if (!/[\u2190\u2192]/.test(n.nodeValue) || !n.parentElement || !n.parentElement.offsetParent) continue;
		let flipped = false;
		for (let e = n.parentElement; e && e !== root.parentElement; e = e.parentElement) {
			const t = getComputedStyle(e).transform;
			if (t.startsWith("matrix(-1") || t.startsWith("matrix3d(-1")) flipped = !flipped;
		}
		if (!flipped) found.push(n.parentElement.innerText.replace(/\\s+/g, " ").trim().slice(0, 60));
	}
	return found;
}"""

ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*(?:[ \u00a0]+[A-Za-z][A-Za-z'\u2019-]*)+")
EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|/\S+")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
DATE_LIKE = re.compile(r"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})\b")
SEPARATOR = re.compile(r"\s+[·|\u2013\u2014]\s+|\s*·\s*")
PERCENT = re.compile(r"(\d[\d.,\u00a0\u202f ]*)\s?%")


def msgid_patterns() -> list[tuple[str, re.Pattern]]:
	"""main.pot's msgids, each as a whole-string pattern: a placeholder ({0}, {name}, %s) matches any
	text, so "awarded on 02-12-2026" is caught as "awarded on {0}"."""
	with open(os.path.join(LOCALE, "main.pot"), "rb") as f:
		catalog = read_po(f)
	patterns = []
	for message in catalog:
		msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
		msgid = re.sub(r"\s+", " ", msgid or "").strip()
		if not re.search(r"[A-Za-z]", msgid):
			continue
		parts = re.split(r"\{[^{}]*\}|%s", msgid)
		pattern = r"\s*(.+?)\s*".join(re.escape(p) for p in parts)
		patterns.append((msgid, re.compile(rf"^{pattern}$", re.S)))
	return patterns


def same_in(lang: str) -> set[str]:
	"""msgids the language's .po keeps as they are (a name, "OK"): not untranslated when seen."""
	path = os.path.join(LOCALE, f"{lang}.po")
	if not os.path.exists(path):
		return set()
	with open(path, "rb") as f:
		catalog = read_po(f)
	return {m.id for m in catalog if m.id and m.string and m.string == m.id and isinstance(m.id, str)}


def candidates(item: dict) -> list[str]:
	"""The text node, its block, and their parts between separators ("Title · awarded on 2-12-2026"),
	without the punctuation around them."""
	found = []
	for text in (item["text"], item["block"]):
		for part in [text, *SEPARATOR.split(text)]:
			part = part.strip(" ·,;:|\u2013\u2014()[]")
			if part and part not in found:
				found.append(part)
	return found


def without_data(text: str, data: list[str], token: str) -> str:
	"""``text`` with each data value (longest first) replaced by ``token``."""
	for value in data:
		if value in text:
			text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", token, text)
	return text


def cjk_font_installed() -> bool:
	try:
		return bool(subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip())
	except OSError:
		return False


def date_pattern(date_format: str) -> re.Pattern:
	"""The site's date format (dd-mm-yyyy, mm/dd/yyyy…) as a pattern."""
	pattern = re.escape(date_format)
	for token, digits in (("yyyy", r"\d{4}"), ("dd", r"\d{1,2}"), ("mm", r"\d{1,2}")):
		pattern = pattern.replace(token, digits)
	return re.compile(rf"^{pattern}$")


def number_pattern(number_format: str) -> re.Pattern:
	"""The site's number format (#,###.## and the like) as a pattern for a number with it."""
	match = re.match(r"#(\D*)###(?:(\D)#+)?", number_format or "#,###.##")
	group, decimal = (match.group(1), match.group(2) or "") if match else (",", ".")
	pattern = r"\d{1,3}(?:" + re.escape(group) + r"\d{3})*" if group else r"\d+"
	if decimal:
		pattern += r"(?:" + re.escape(decimal) + r"\d+)?"
	return re.compile(rf"^(?:{pattern}|\d+)$")


class TestPortalLanguages(BrowserTestCase):
	@classmethod
	def make_fixtures(cls):
		# Fixed names and addresses throughout: the fixtures are committed, and runs must not add any.
		department = make_department(team=make_team("SSP Languages Team"), name=DEPARTMENT)
		cls.approver = set_password(make_portal_user(f"lang-approver@{TEST_DOMAIN}", first_name="Yusuf"))
		cls.users = {}
		for lang, first_name in USERS.items():
			user = set_password(make_portal_user(f"lang-{lang}@{TEST_DOMAIN}", first_name=first_name))
			frappe.db.set_value("User", user, {"language": lang, "ssp_manager": cls.approver})
			cls.users[lang] = user
		cls.service = frappe.db.get_value("SSP Service", {"title": SERVICE, "department": department})
		if not cls.service:
			cls.service = make_service(
				department,
				title=SERVICE,
				fields=[
					{"label": FORM_LABELS[0], "fieldtype": "Data", "is_required": 1},
					{"label": FORM_LABELS[1], "fieldtype": "Text"},
				],
				approval_steps=[{"approver_type": "Requester's Manager", "step_label": STEP_LABEL}],
			)
		for user in cls.users.values():
			if not frappe.db.exists("SSP Request", {"requester": user, "service": cls.service}):
				frappe.set_user(user)
				try:
					submit_request(cls.service, {"what": "13-inch", "details": ""}, get_viewer(user))
				finally:
					frappe.set_user("Administrator")
			if not frappe.db.exists("SSP Badge Award", {"user": user, "status": "Active"}):
				make_badge(user, "Silver")
		if not frappe.db.exists("SSP Contest", {"title": CONTEST}):
			cls.make_running_contest()
		cls.poll = frappe.db.get_value("SSP Poll", {"title": POLL}) or cls.make_open_poll()
		cls.previous_date_format = set_date_format(SITE_DATE_FORMAT)

	@classmethod
	def make_running_contest(cls) -> None:
		"""A contest of the three users running since November 2026, with interim standings: a share
		(independence: the catalog request and two more of four requests through the portal, 75 %) and a
		count, so /contests shows dates, percentages and numbers."""
		for user in cls.users.values():
			ticket(user, datetime(2026, 11, 2, 9))
			ticket(user, datetime(2026, 11, 3, 9))
			ticket(user, datetime(2026, 11, 4, 9), channel="Email")
		name = make_contest(
			[
				nomination("Most independent user", "independence", eligibility_floor=1),
				nomination("Most requests through the portal", "portal_tickets"),
			],
			title=CONTEST,
			audience=contact_audience(*cls.users.values()),
		)
		frappe.get_doc("SSP Contest", name).announce()
		frappe.db.set_value(
			"SSP Contest",
			name,
			{"starts_on": datetime(2026, 11, 1), "ends_on": datetime(2030, 12, 31, 23, 59, 59)},
		)
		lifecycle.advance_contests()
		judging.judge(name)

	@classmethod
	def make_open_poll(cls) -> str:
		"""An open poll of the three users only (other tests' pages must not get a poll card)."""
		doc = frappe.get_doc(
			{
				"doctype": "SSP Poll",
				"title": POLL,
				"introduction": "Three minutes, please.",
				"audience_type": "Selected Customers and Contacts",
				"audience": contact_audience(*cls.users.values()),
				"questions": [dict(q) for q in POLL_QUESTIONS],
			}
		).insert(ignore_permissions=True)
		polls.open_poll(doc)
		return doc.name

	@classmethod
	def tearDownClass(cls):
		try:
			super().tearDownClass()
		finally:
			set_date_format(cls.previous_date_format)
			frappe.db.commit()  # nosemgrep: the site's own date format comes back for the next classes

	def pages(self) -> list[tuple[str, str]]:
		return [
			("home", "/self-service"),
			("catalog", "/service-catalog"),
			("request", f"/service-catalog/request?service={self.service}"),
			("my-requests", "/my-requests"),
			("contests", "/contests"),
			("badges", "/my-badges"),
			("polls", "/polls"),
			("poll", f"/polls?poll={self.poll}"),
		]

	def data_strings(self) -> list[str]:
		"""Text that is data, not interface: what the fixtures created and the records these pages
		list (other tests' departments, services, contests and polls share the site)."""
		strings = {DEPARTMENT, SERVICE, STEP_LABEL, *FORM_LABELS, "13-inch"}
		strings |= {frappe.utils.get_fullname(u) for u in [self.approver, *self.users.values()]}
		for doctype, fields in (
			("SSP Department", ["department_name", "description"]),
			("SSP Service", ["title", "short_description", "description", "help_text"]),
			("SSP Contest", ["title"]),
			("SSP Contest Nomination", ["nomination_title"]),
			("SSP Badge Award", ["contest_title", "nomination_title", "period_label"]),
			("SSP Poll", ["title", "introduction"]),
			("SSP Poll Question", ["question"]),
			("HD Team", ["name"]),
			("HD Article", ["title"]),
			("HD Ticket", ["subject"]),  # what requesters typed, listed on the home and /my-requests
			("User", ["full_name"]),  # other participants on a leaderboard
		):
			if not frappe.db.table_exists(doctype):
				continue
			for row in frappe.get_all(doctype, fields=fields, limit=5000):
				strings |= {frappe.utils.strip_html(str(v)).strip() for v in row.values() if v}
		strings.add(frappe.db.get_single_value("Website Settings", "app_name") or "")
		strings.add(frappe.db.get_default("company") or "")
		return sorted((s for s in strings if s), key=len, reverse=True)

	def test_arabic(self):
		self.check_language("ar")

	def test_chinese(self):
		self.check_language("zh")

	def test_russian(self):
		self.check_language("ru")

	def check_language(self, lang: str):
		os.makedirs(SHOTS, exist_ok=True)
		msgids = msgid_patterns()
		kept = same_in(lang)
		data = self.data_strings()
		dates = date_pattern(frappe.db.get_default("date_format") or SITE_DATE_FORMAT)
		numbers = number_pattern(frappe.db.get_default("number_format"))
		found = {k: [] for k in ("direction", "overflow", "overlap", "arrows", "untranslated", "formats")}
		chrome, cjk_pages = {}, []
		with self.signed_in(self.users[lang], "/self-service") as page:
			for name, path in self.pages():
				for width, viewport in WIDTHS.items():
					where = f"{path} at {width} px"
					page.set_viewport_size(viewport)
					response = page.goto(f"{self.base}{path}")
					self.assertEqual(response.status, 200, where)
					page.wait_for_load_state("networkidle")
					page.screenshot(path=f"{SHOTS}/i18n-{lang}-{name}-{width}.png", full_page=True)

					html_lang, html_dir = page.evaluate("[document.documentElement.lang, document.dir]")
					want_dir = "rtl" if lang in RTL else "ltr"
					if html_lang != lang or (html_dir or "ltr") != want_dir:
						found["direction"].append(f"{where}: <html lang={html_lang!r} dir={html_dir!r}>")
					scroll, inner = page.evaluate(
						"[document.scrollingElement.scrollWidth, window.innerWidth]"
					)
					if scroll > inner + 1:
						found["overflow"].append(f"{where}: {scroll} px wide in a {inner} px window")
					found["overlap"] += [f"{where}: {pair}" for pair in page.evaluate(OVERLAP_JS, APP)]
					if lang in RTL:
						found["arrows"] += [f"{where}: {t}" for t in page.evaluate(UNFLIPPED_ARROWS_JS, APP)]

					texts = page.evaluate(COLLECT_JS, [CHROME, APP])
					app_text = " ".join(t["text"] for t in texts if t["area"] == "app")
					if CJK.search(app_text):
						cjk_pages.append(where)
					for item in texts:
						for problem in self.untranslated(item, lang, msgids, kept, data):
							if item["area"] == "app":
								found["untranslated"].append(f"{path}: {problem}")
							else:
								chrome.setdefault(problem, set()).add(path)
					if name in ("contests", "badges"):
						found["formats"] += self.format_problems(app_text, where, dates, numbers)

		if chrome:
			lines = [f"{p} (on {len(paths)} pages)" for p, paths in sorted(chrome.items())]
			print(f"\n[{lang}] Frappe's navbar/sidebar/footer, not failed:\n  " + "\n  ".join(lines))
		untranslated = sorted(set(found.pop("untranslated")))
		if untranslated:
			print(f"\n[{lang}] untranslated in our pages:\n  " + "\n  ".join(untranslated))
		with self.subTest(check="untranslated", lang=lang):
			if untranslated:
				self.fail(f"{len(untranslated)} untranslated strings in {lang}:\n" + "\n".join(untranslated))
		for check, problems in found.items():
			with self.subTest(check=check, lang=lang):
				if problems:
					self.fail(f"{check} in {lang}:\n" + "\n".join(dict.fromkeys(problems)))
		if lang == "zh":
			with self.subTest(check="cjk", lang=lang):
				if not cjk_font_installed():
					self.skipTest(
						"no CJK font installed (fc-list :lang=zh is empty): apt-get install fonts-noto-cjk"
					)
				missing = [f"{p} at {w} px" for _, p in self.pages() for w in WIDTHS]
				missing = [m for m in missing if m not in cjk_pages]
				if missing:
					self.fail("no Chinese characters on:\n" + "\n".join(missing))

	def untranslated(self, item: dict, lang: str, msgids, kept: set[str], data: list[str]) -> list[str]:
		"""What in one text node or attribute is still English, each with its kind and where from."""
		problems = []
		label = f"{item['kind']} {item['text'][:80]!r}"
		for candidate in candidates(item):
			# Data stands in as one token: "awarded on §" is still caught, while a department's
			# English description does not make its whole card read as "{0} to {1}".
			candidate = without_data(candidate, data, "§")
			for msgid, pattern in msgids:
				if msgid not in kept and pattern.match(candidate):
					problems.append(f"{label} = main.pot msgid {msgid!r}")
					return problems
		if lang == "en":
			return problems
		rest = without_data(EMAIL_OR_URL.sub(" ", item["text"]), data, " ")
		for run in ENGLISH_RUN.findall(rest):
			problems.append(f"{label}: English words {run!r} (not in main.pot)")
		return problems

	def format_problems(self, text: str, where: str, dates: re.Pattern, numbers: re.Pattern) -> list[str]:
		problems = [
			f"{where}: date {d!r} is not in the site's format"
			for d in DATE_LIKE.findall(text)
			if not dates.match(d)
		]
		for number in PERCENT.findall(text):
			if not numbers.match(number.strip().replace("\u00a0", "").replace("\u202f", "")):
				problems.append(f"{where}: percentage {number.strip()}% is not in the site's number format")
		return problems
