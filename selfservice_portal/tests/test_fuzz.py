"""Malformed input against every whitelisted method, over real HTTP.

At least 200 generated bad inputs per method — wrong types, huge, deep, unicode, SQL and HTML
payloads, missing and extra arguments, form-encoded and JSON bodies — sent by a signed-in user who
passes the method's permission check, so the input reaches the logic. Every answer must be below 500,
short (a refusal under 10 KB), and a refused call must write no row. The test prints its counts.
"""

import json
import random

import frappe

from selfservice_portal.tests.security_fixtures import PORTAL, SYSTEM_MANAGER
from selfservice_portal.tests.test_security import (
	CATALOG,
	CHANNELS,
	CONTESTS,
	DEFLECTION,
	POLLS,
	AttackTestCase,
)

PER_METHOD = 200
MAX_REFUSAL_BYTES = 10_000
HUGE = "x" * 100_000
BAD_VALUES = [
	0,
	-1,
	1.5,
	10**30,
	True,
	False,
	None,
	[],
	[1, 2, 3],
	{},
	{"a": {"b": {"c": 1}}},
	[[[["deep"]]]],
	"",
	" ",
	HUGE,
	"x" * 10_000,
	"\x00",
	"nul\x00byte",
	"\u202eevil",
	"\U0001d518\U0001d52b\U0001d526 ✓ 中文 العربية русский",
	"😀" * 2000,
	"' OR '1'='1",
	"1; DROP TABLE `tabUser`;--",
	'" OR 1=1 --',
	"%",
	"%%",
	"_",
	"\\",
	"../../../../etc/passwd",
	'<img src=x onerror="alert(1)">',
	"<script>alert(1)</script>",
	"{{ 7*7 }}",
	"${7*7}",
	"null",
	"undefined",
	"NaN",
	"Infinity",
	"-1e309",
	"2026-13-45",
	"0000-00-00 00:00:00",
	"[" * 5000,
	"[" * 5000 + "]" * 5000,
	'{"a": ' * 2000 + "1" + "}" * 2000,
	"Administrator",
	"Guest",
	"a@" + "b" * 300 + ".example",
]

# Each method: who sends the inputs (a role that passes its permission check), how, and arguments
# that are valid but harmless, so that each fuzzed argument is the only thing wrong.
FUZZED = [
	(CATALOG + "get_catalog", PORTAL, "GET", {}),
	(CATALOG + "search_services", PORTAL, "GET", {"query": "laptop"}),
	(CATALOG + "get_service", PORTAL, "GET", {"service": "{it_service}"}),
	(CATALOG + "suggest_articles", PORTAL, "GET", {"service": "{it_service}", "query": "laptop"}),
	(CATALOG + "submit_request", PORTAL, "POST", {"service": "{it_service}", "answers": {}}),
	(
		CATALOG + "decide_approval",
		PORTAL,
		"POST",
		{"request": "REQ-99999", "decision": "Approved", "comment": ""},
	),
	(CATALOG + "get_ticket_approvals", PORTAL, "GET", {"ticket": "{it_ticket}"}),
	(CATALOG + "get_plan_progress", PORTAL, "GET", {"ticket": "{plan_ticket}"}),
	(CATALOG + "get_pending_approvals", PORTAL, "GET", {}),
	(CATALOG + "get_request_for_approval", SYSTEM_MANAGER, "GET", {"request": "{it_request_name}"}),
	(CATALOG + "get_service_options", PORTAL, "GET", {}),
	(CONTESTS + "announce_contest", SYSTEM_MANAGER, "POST", {"contest": "missing"}),
	(CONTESTS + "cancel_contest", SYSTEM_MANAGER, "POST", {"contest": "missing"}),
	(CONTESTS + "judge_contest", SYSTEM_MANAGER, "POST", {"contest": "missing"}),
	(CONTESTS + "award_contest", SYSTEM_MANAGER, "POST", {"contest": "missing"}),
	(CONTESTS + "draft_next_contest", SYSTEM_MANAGER, "POST", {"contest": "missing"}),
	(CONTESTS + "preview_next_contest", SYSTEM_MANAGER, "GET", {"contest": "missing"}),
	(
		CONTESTS + "review_participant",
		SYSTEM_MANAGER,
		"POST",
		{"standing": "missing", "decision": "Cleared", "reason": ""},
	),
	(CONTESTS + "revoke_badge", SYSTEM_MANAGER, "POST", {"award": "missing", "reason": "x"}),
	(CONTESTS + "get_leaderboard", SYSTEM_MANAGER, "GET", {"contest": "{contest}"}),
	(
		CONTESTS + "get_breakdown",
		SYSTEM_MANAGER,
		"GET",
		{"contest": "{contest}", "nomination_key": "{nomination_key}", "user": "{requester}"},
	),
	(CONTESTS + "get_user_badges", PORTAL, "GET", {"user": "{requester}"}),
	(CONTESTS + "get_metrics", PORTAL, "GET", {}),
	(POLLS + "submit_poll", PORTAL, "POST", {"poll": "{poll}", "answers": {}}),
	(POLLS + "open_poll", SYSTEM_MANAGER, "POST", {"poll": "missing"}),
	(POLLS + "close_poll", SYSTEM_MANAGER, "POST", {"poll": "missing"}),
	(POLLS + "get_poll_results", SYSTEM_MANAGER, "GET", {"poll": "{poll}"}),
	(
		DEFLECTION + "log_portal_event",
		PORTAL,
		"POST",
		{"event_type": "New Ticket Opened", "article": None, "query": None, "result_count": None},
	),
	(
		DEFLECTION + "recompute_rollups",
		SYSTEM_MANAGER,
		"POST",
		{"from_date": "2026-02-01", "to_date": "2026-01-01"},
	),
	(DEFLECTION + "get_number_card", SYSTEM_MANAGER, "GET", {"filters": {"metric": "deflections"}}),
	(
		CHANNELS + "log_contact",
		SYSTEM_MANAGER,
		"POST",
		# Far in the past: a contact the fuzz logs lands outside every other test's period.
		{
			"channel": "Phone",
			"contact_on": "2001-01-01 00:00:00",
			"raised_by": None,
			"summary": "Fuzzed contact",
			"department": None,
		},
	),
	(CHANNELS + "get_contact_channels", SYSTEM_MANAGER, "GET", {}),
]
# What a refused call must not have touched.
WATCHED_TABLES = (
	"SSP Request",
	"SSP Request Approval",
	"SSP Request Task",
	"HD Ticket",
	"SSP Contact Log",
	"SSP Portal Event",
	"SSP Contest",
	"SSP Contest Standing",
	"SSP Badge Award",
	"SSP Daily Stat",
	"Communication",
	"Notification Log",
	"HD Article Feedback",
)
COUNT_SQL = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM `tab{t}`)" for t in WATCHED_TABLES)


def inputs_for(method: str, base: dict) -> list[tuple[dict, bool]]:
	"""(arguments, send as a JSON body) pairs: each argument given every bad value, each one missing,
	unknown arguments, then random combinations up to PER_METHOD."""
	rng = random.Random(method)
	out: list[tuple[dict, bool]] = []
	for name in base:
		for value in BAD_VALUES:
			out.append(({**base, name: value}, False))
		out.append(({k: v for k, v in base.items() if k != name}, False))
	for value in BAD_VALUES:
		out.append(({**base, "unexpected": value}, False))
	while len(out) < PER_METHOD + 10:
		args = dict(base)
		for name in rng.sample(list(base), k=min(len(base), rng.randint(1, 2))) if base else []:
			args[name] = rng.choice(BAD_VALUES)
		args[f"extra_{rng.randint(0, 9)}"] = rng.choice(BAD_VALUES)
		out.append((args, rng.random() < 0.5))
	return out


class TestMalformedInput(AttackTestCase):
	def test_malformed_input(self):
		sent = server_errors = 0
		problems: list[str] = []
		for method, role, http, base in FUZZED:
			client = self.as_role(role)
			base = {k: self.fill(v) for k, v in base.items()}
			for args, as_json in inputs_for(method, base):
				before = self.row_counts()
				if as_json and http == "POST":
					response = client.request("POST", f"/api/method/{method}", json=args)
				else:
					response = client.call(method, http, **{k: v for k, v in args.items() if v is not None})
				sent += 1
				status = response.status_code
				if status >= 500:
					server_errors += 1
					problems.append(f"{method} {str(args)[:120]}: {status} {response.text[:200]}")
				elif status != 200:
					if len(response.content) > MAX_REFUSAL_BYTES:
						problems.append(f"{method} {str(args)[:120]}: {len(response.content)} bytes")
					if self.row_counts() != before:
						problems.append(f"{method} {str(args)[:120]}: refused ({status}) but wrote rows")
		print(
			f"\nmalformed input: {sent} inputs sent to {len(FUZZED)} methods, {server_errors} answers >= 500"
		)
		self.assertGreaterEqual(sent, PER_METHOD * len(FUZZED))
		self.assertEqual(problems, [], "\n".join(problems[:40]))

	def row_counts(self) -> tuple:
		self.fresh_db()
		return tuple(frappe.db.sql(COUNT_SQL)[0])
