"""The attack suite: every role, through every door Frappe opens, over real HTTP.

Each cell of the permission matrix below is a real request to the served test site, signed in as a
user of that role: `/api/resource` (read, list, create, write, delete) on every SSP DocType, every
whitelisted method of the app, and every guarded field on HD Ticket and User. The expected outcome of
each cell is written in the tables; the test prints how many cells it checked. The findings of the
integrity issue each have their own regression test at the end.
"""

import json

import frappe

from selfservice_portal.demo.records import ensure_customer
from selfservice_portal.tests import flush_portal_events
from selfservice_portal.tests.security_fixtures import (
	AGENT_MANAGER,
	AGENT_OTHER,
	GUEST,
	PORTAL,
	PORTAL_OTHER,
	ROLES,
	SSP_MANAGER,
	SYSTEM_MANAGER,
	build_cast,
	restrict_tickets_by_team,
)
from selfservice_portal.tests.served import ServedSiteTestCase
from selfservice_portal.tests.test_utils import make_poll, make_portal_user

# Roles by initial, in the order of ROLES: Guest, Portal user, Portal user of another customer,
# Agent of another team, Agent Manager, SSP Manager, System Manager.
INITIALS = dict(zip(("G", "P", "PO", "AO", "AM", "SM", "SY"), ROLES, strict=True))


def roles(spec: str) -> set[str]:
	return {INITIALS[i] for i in spec.split()}


# /api/resource on every SSP DocType: who may do what (everyone else is refused). "list" means the
# role's list contains the record under test (for SSP Request: another team's request).
DOCTYPE_MATRIX = [
	("SSP Department", "read", "AO AM SM SY"),
	("SSP Department", "list", "AO AM SM SY"),
	("SSP Department", "create", "SM SY"),
	("SSP Department", "write", "SM SY"),
	("SSP Department", "delete", "SM SY"),
	("SSP Service", "read", "AO AM SM SY"),
	("SSP Service", "list", "AO AM SM SY"),
	("SSP Service", "create", "SM SY"),
	("SSP Service", "write", "SM SY"),
	("SSP Service", "delete", "SM SY"),
	# A request follows its ticket: with Helpdesk's agent-group restriction on, an agent (Agent Manager
	# included: Helpdesk 1.25.1 exempts only Administrator) outside the ticket's team does not see it.
	("SSP Request", "read", "SM SY"),
	("SSP Request", "list", "SM SY"),
	("SSP Request", "create", ""),
	("SSP Request", "write", ""),
	("SSP Request", "delete", ""),
	("SSP Request Answer", "list", "SM SY"),
	# A plan's task follows its own ticket and its request's (both the IT team's here).
	("SSP Request Task", "read", "SM SY"),
	("SSP Request Task", "list", "SM SY"),
	("SSP Request Task", "create", ""),
	("SSP Request Task", "write", ""),
	("SSP Request Task", "delete", ""),
	("SSP Request Approval", "list", "SM SY"),
	("SSP Channel", "read", "AO AM SY"),
	("SSP Channel", "list", "AO AM SY"),
	("SSP Channel", "create", "AM SY"),
	("SSP Channel", "write", "AM SY"),
	("SSP Channel", "delete", "SY"),
	("SSP Contact Log", "read", "AO AM SY"),
	("SSP Contact Log", "list", "AO AM SY"),
	("SSP Contact Log", "create", "AO AM SY"),
	("SSP Contact Log", "write", "AM SY"),  # agents correct only the contacts they logged
	("SSP Contact Log", "delete", "AM SY"),
	("SSP Portal Event", "read", "AM SM SY"),
	("SSP Portal Event", "list", "AM SM SY"),
	("SSP Portal Event", "create", ""),
	("SSP Portal Event", "write", ""),
	("SSP Portal Event", "delete", ""),
	("SSP Daily Stat", "read", "AO AM SM SY"),
	("SSP Daily Stat", "list", "AO AM SM SY"),
	("SSP Daily Stat", "create", ""),
	("SSP Daily Stat", "write", ""),
	("SSP Daily Stat", "delete", ""),
	# The Fulfilment report's roll-up: managers read it; nobody writes it but the nightly job.
	("SSP Fulfilment Stat", "read", "SM SY"),
	("SSP Fulfilment Stat", "list", "SM SY"),
	("SSP Fulfilment Stat", "create", ""),
	("SSP Fulfilment Stat", "write", ""),
	("SSP Fulfilment Stat", "delete", ""),
	("SSP Deflection Settings", "read", "AO AM SM SY"),
	("SSP Deflection Settings", "write", "SM SY"),
	# The home's welcome: only the people who run the portal read or change it (the page renders it).
	("SSP Portal Settings", "read", "SM SY"),
	("SSP Portal Settings", "write", "SM SY"),
	("SSP Contest", "read", "AO AM SM SY"),
	("SSP Contest", "list", "AO AM SM SY"),
	("SSP Contest", "create", "SM SY"),
	("SSP Contest", "write", "SM SY"),
	("SSP Contest", "delete", "SM SY"),
	("SSP Contest Standing", "read", "SM SY"),
	("SSP Contest Standing", "list", "SM SY"),
	("SSP Contest Standing", "create", ""),
	("SSP Contest Standing", "write", ""),
	("SSP Contest Standing", "delete", ""),
	("SSP Badge Award", "read", "AO AM SM SY"),
	("SSP Badge Award", "list", "AO AM SM SY"),
	("SSP Badge Award", "create", ""),
	("SSP Badge Award", "write", ""),
	("SSP Badge Award", "delete", ""),
	# Polls: managers run them; a response is written by the poll form only (no role inserts, changes or
	# deletes one through /api/resource) and read by managers only, its answers with it.
	("SSP Poll", "read", "SM SY"),
	("SSP Poll", "list", "SM SY"),
	("SSP Poll", "create", "SM SY"),
	("SSP Poll", "write", "SM SY"),
	("SSP Poll", "delete", "SM SY"),
	("SSP Poll Response", "read", "SM SY"),
	("SSP Poll Response", "list", "SM SY"),
	("SSP Poll Response", "create", ""),
	("SSP Poll Response", "write", ""),
	("SSP Poll Response", "delete", ""),
	("SSP Poll Answer", "list", "SM SY"),
]

# Every whitelisted method: the HTTP status each role gets, in the order G P PO AO AM SM SY.
# 2 = 200, 3 = 403, 4 = 404 (names that do not exist or are not theirs), 7 = 417 (refused input).
# Methods that change things are called with names that do not exist: a role that passes the
# permission check gets 404, one that does not gets 403 — proving the check comes first.
CATALOG, CONTESTS = "selfservice_portal.api.catalog.", "selfservice_portal.api.contests."
DEFLECTION, CHANNELS = "selfservice_portal.api.deflection.", "selfservice_portal.api.channels."
POLLS = "selfservice_portal.api.polls."
METHOD_MATRIX = [
	(CATALOG + "get_catalog", "GET", {}, "3222222"),
	(CATALOG + "search_services", "GET", {"query": "Security"}, "3222222"),
	(CATALOG + "get_service", "GET", {"service": "{it_service}"}, "3222222"),
	(CATALOG + "suggest_articles", "GET", {"service": "{it_service}", "query": "laptop"}, "3222222"),
	(CATALOG + "submit_request", "POST", {"service": "SVC-99999", "answers": {}}, "3444444"),
	(CATALOG + "decide_approval", "POST", {"request": "REQ-99999", "decision": "Approved"}, "3444444"),
	# Whoever may read the ticket: its requester; not agents outside its team (nor, with the agent-group
	# restriction on, Helpdesk's managers outside it), nor a System Manager who is no agent.
	(CATALOG + "get_ticket_approvals", "GET", {"ticket": "{it_ticket}"}, "3233333"),
	(CATALOG + "get_plan_progress", "GET", {"ticket": "{plan_ticket}"}, "3233333"),
	(CATALOG + "get_pending_approvals", "GET", {}, "3222222"),
	(CATALOG + "get_request_for_approval", "GET", {"request": "{it_request_name}"}, "3444422"),
	(CATALOG + "get_service_options", "GET", {}, "3222222"),
	(CONTESTS + "announce_contest", "POST", {"contest": "missing"}, "3333344"),
	(CONTESTS + "cancel_contest", "POST", {"contest": "missing"}, "3333344"),
	(CONTESTS + "judge_contest", "POST", {"contest": "missing"}, "3333344"),
	(CONTESTS + "award_contest", "POST", {"contest": "missing"}, "3333344"),
	(CONTESTS + "draft_next_contest", "POST", {"contest": "missing"}, "3333344"),
	(CONTESTS + "preview_next_contest", "GET", {"contest": "missing"}, "3333344"),
	(CONTESTS + "review_participant", "POST", {"standing": "missing", "decision": "Cleared"}, "3333344"),
	(CONTESTS + "revoke_badge", "POST", {"award": "missing", "reason": "x"}, "3333344"),
	(CONTESTS + "get_leaderboard", "GET", {"contest": "{contest}"}, "3444422"),
	(
		CONTESTS + "get_breakdown",
		"GET",
		{"contest": "{contest}", "nomination_key": "{nomination_key}", "user": "{requester}"},
		"3433322",
	),
	(CONTESTS + "get_user_badges", "GET", {"user": "{requester}"}, "3222222"),
	(CONTESTS + "get_metrics", "GET", {}, "3222222"),
	(DEFLECTION + "log_portal_event", "POST", {"event_type": "New Ticket Opened"}, "3222222"),
	(
		DEFLECTION + "recompute_rollups",
		"POST",
		{"from_date": "2026-02-01", "to_date": "2026-01-01"},
		"3333377",
	),
	(DEFLECTION + "get_number_card", "GET", {"filters": {"metric": "deflections"}}, "3332222"),
	(CHANNELS + "log_contact", "POST", {"channel": "No Such Channel"}, "3337737"),
	(CHANNELS + "get_contact_channels", "GET", {}, "3332232"),
	("helpdesk.api.knowledge_base.get_article", "GET", {"name": "{article}"}, "2222222"),
	# The poll is not addressed to any role of the matrix: to them it does not exist.
	(POLLS + "submit_poll", "POST", {"poll": "{poll}", "answers": {}}, "3444444"),
	(POLLS + "open_poll", "POST", {"poll": "missing"}, "3333344"),
	(POLLS + "close_poll", "POST", {"poll": "missing"}, "3333344"),
	(POLLS + "get_poll_results", "GET", {"poll": "{poll}"}, "3333322"),
	# Everyone signed in may choose their own language, among those the portal ships (not "xx").
	("selfservice_portal.api.portal.set_language", "POST", {"language": "xx"}, "3777777"),
]
STATUS = {"2": 200, "3": 403, "4": 404, "7": 417}

# Guarded fields on HD Ticket: a value each role tries to set through PUT /api/resource on a ticket
# it may write. The desk side sets them; requesters (their own ticket, or a colleague's of the same
# customer, which Helpdesk lets them write) are refused.
TICKET_FIELDS = {
	"ssp_exclude_from_contests": 1,
	"ssp_exclusion_reason": "Spam",
	"via_customer_portal": 1,
	"ssp_service": "{hr_service}",
	"ssp_request": "{hr_request_name}",
	"ssp_approval_status": "Approved",
	"ssp_reclassified": 1,
	"ssp_channel": "Portal",
	"ssp_channel_source": "Backfill",
}
# Who writes which ticket in the field matrix: (role or user key, ticket key, may set the fields).
FIELD_WRITERS = [
	("requester", "email_ticket", False),
	("colleague", "email_ticket", False),
	(AGENT_OTHER, "email_ticket", False),  # Helpdesk keeps other teams' agents out
	("it_agent", "email_ticket", True),
]


def poll_cast() -> dict:
	"""An open poll of a customer no role of the matrix belongs to, answered by one of its contacts."""
	from selfservice_portal.deflection import polls

	customer = ensure_customer("SSP Security Poll Customer")
	poll = make_poll(customer)
	member = make_portal_user(first_name="Polled", customer=customer)
	first = frappe.get_doc("SSP Poll", poll).questions
	polls.submit_answers(poll, {first[0].question_key: "A", first[2].question_key: 3}, member)
	return {"poll": poll, "poll_response": frappe.db.get_value("SSP Poll Response", {"poll": poll})}


class AttackTestCase(ServedSiteTestCase):
	"""The cast, the served site and a signed-in client per role."""

	@classmethod
	def make_fixtures(cls):
		restrict_tickets_by_team(True)
		cls.cast = build_cast()
		cls.cast.update(poll_cast())

	@classmethod
	def tearDownClass(cls):
		restrict_tickets_by_team(False)
		frappe.db.commit()  # nosemgrep: the settings were committed for the served site
		super().tearDownClass()

	def setUp(self):
		frappe.set_user("Administrator")

	def as_role(self, role: str):
		if not hasattr(self, "_clients"):
			type(self)._clients = {}
		if role not in self._clients:
			user = self.cast.users.get(role, self.cast.get(role))
			self._clients[role] = self.client(user)
		return self._clients[role]

	def fill(self, value):
		"""Fixture names in a table's arguments: "{it_service}" and the like."""
		c = self.cast
		names = {
			**c,
			"it_ticket": c.it_request["ticket"],
			"it_request_name": c.it_request["request"],
			"hr_request_name": c.hr_request["request"],
			"plan_ticket": c.plan_request["ticket"],
		}
		if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
			return names[value[1:-1]]
		if isinstance(value, dict):
			return {k: self.fill(v) for k, v in value.items()}
		return value

	def fresh_db(self):
		"""See what the server committed (this process would otherwise read its own snapshot)."""
		frappe.db.rollback()


class TestPermissionMatrix(AttackTestCase):
	def test_permission_matrix(self):
		failures, cells = [], 0
		for doctype, op, allowed_spec in DOCTYPE_MATRIX:
			allowed = roles(allowed_spec)
			for role in ROLES:
				cells += 1
				outcome = self.try_doctype(role, doctype, op)
				if outcome != (role in allowed):
					failures.append(f"{doctype} {op} as {role}: {'allowed' if outcome else 'refused'}")
		for method, http, args, expected in METHOD_MATRIX:
			for role, code in zip(ROLES, expected, strict=True):
				cells += 1
				response = self.as_role(role).call(method, http, **self.fill(args))
				if response.status_code != STATUS[code]:
					failures.append(
						f"{method} as {role}: {response.status_code}, expected {STATUS[code]}"
						f" ({response.text[:160]})"
					)
		cells += self.check_ticket_fields(failures)
		cells += self.check_user_fields(failures)
		print(f"\npermission matrix: {cells} cells checked, {len(failures)} failed")
		self.assertEqual(failures, [], "\n".join(failures))

	# ---------------------------------------------------------------- /api/resource

	def try_doctype(self, role: str, doctype: str, op: str) -> bool:
		client = self.as_role(role)
		if op == "list":
			return self.lists_target(client, doctype)
		if op == "create":
			response = client.resource("POST", doctype, json=self.new_record(doctype))
			self.assert_refused_or_ok(response, doctype, op, role)
			return response.status_code == 200
		target = self.target(doctype, fresh=op == "delete")
		if op == "read":
			response = client.resource("GET", doctype, target)
		elif op == "write":
			response = client.resource("PUT", doctype, target, json=self.harmless_change(doctype))
		else:
			response = client.resource("DELETE", doctype, target)
		self.assert_refused_or_ok(response, doctype, op, role)
		return response.status_code in (200, 202)

	def assert_refused_or_ok(self, response, doctype, op, role):
		self.assertIn(
			response.status_code,
			(200, 202, 401, 403),
			f"{doctype} {op} as {role}: {response.status_code} {response.text[:300]}",
		)

	def lists_target(self, client, doctype: str) -> bool:
		params = {"fields": json.dumps(["name"]), "limit_page_length": 0}
		if doctype == "SSP Poll Answer":
			params["parent"] = "SSP Poll Response"
			params["filters"] = json.dumps([["parent", "=", self.cast.poll_response]])
			response = client.resource("GET", doctype, params=params)
			return response.status_code == 200 and bool(response.json()["data"])
		if doctype in ("SSP Request Answer", "SSP Request Approval"):
			# Answers of the IT request; approval rows of the HR request (the IT service has no steps).
			request = self.cast.it_request if doctype == "SSP Request Answer" else self.cast.hr_request
			params["parent"] = "SSP Request"
			params["filters"] = json.dumps([["parent", "=", request["request"]]])
			response = client.resource("GET", doctype, params=params)
			return response.status_code == 200 and bool(response.json()["data"])
		target = self.target(doctype)
		params["filters"] = json.dumps([["name", "=", target]])
		response = client.resource("GET", doctype, params=params)
		return response.status_code == 200 and [r["name"] for r in response.json()["data"]] == [target]

	def target(self, doctype: str, fresh: bool = False) -> str:
		"""The record a cell reads, writes or deletes (a new one for each delete)."""
		c = self.cast
		if doctype == "SSP Request":
			return c.it_request["request"]
		if doctype == "SSP Poll Response":
			return c.poll_response
		if doctype == "SSP Request Task" and not fresh:
			return c.plan_task
		if doctype in ("SSP Deflection Settings", "SSP Portal Settings"):
			return doctype
		key = (doctype, fresh and frappe.generate_hash(length=6))
		if not hasattr(type(self), "_targets"):
			type(self)._targets = {}
		if key not in self._targets:
			doc = frappe.get_doc(self.new_record(doctype))
			if doctype in (
				"SSP Portal Event",
				"SSP Daily Stat",
				"SSP Fulfilment Stat",
				"SSP Contest Standing",
				"SSP Badge Award",
			):
				doc.name = frappe.generate_hash(length=10)
				doc.db_insert()
			else:
				doc.insert(ignore_permissions=True)
			frappe.db.commit()  # nosemgrep: the served site must see the record
			self._targets[key] = doc.name
		return self._targets[key]

	def new_record(self, doctype: str) -> dict:
		c, tag = self.cast, frappe.generate_hash(length=6)
		records = {
			"SSP Department": {"department_name": f"Sec Dept {tag}", "hd_team": c.it_team},
			"SSP Service": {"title": f"Sec Service {tag}", "department": c.it_department},
			"SSP Request": {"service": c.it_service, "requester": c.requester},
			"SSP Request Task": {
				"request": c.plan_request["request"],
				"task_id": tag,
				"task_label": "Forged",
			},
			"SSP Channel": {"channel_name": f"Sec Channel {tag}"},
			"SSP Contact Log": {"channel": "Phone", "summary": f"Call {tag}"},
			"SSP Portal Event": {"event_type": "KB Search", "query": tag},
			"SSP Daily Stat": {"stat_date": "2026-01-01", "tickets": 1},
			"SSP Fulfilment Stat": {"stat_date": "2026-01-01", "period": "Day", "requests": 1},
			"SSP Contest": {
				"title": f"Sec Contest {tag}",
				"starts_on": frappe.utils.add_days(frappe.utils.now_datetime(), 1),
				"ends_on": frappe.utils.add_days(frappe.utils.now_datetime(), 30),
				"audience_type": "All Portal Users",
				"nominations": [{"nomination_title": "Most requests", "metric": "portal_tickets"}],
			},
			"SSP Contest Standing": {
				"contest": c.contest,
				"nomination_key": tag,
				"user": c.requester,
				"score": 1,
			},
			"SSP Badge Award": {
				"user": c.requester,
				"contest": c.contest,
				"nomination_key": tag,
				"tier": "Gold",
				"place": 1,
				"status": "Active",
			},
			"SSP Poll": {
				"title": f"Sec Poll {tag}",
				"audience_type": "All Portal Users",
				"questions": [{"question": "Why?", "kind": "Short Text"}],
			},
			"SSP Poll Response": {
				"poll": c.poll,
				"user": c.requester,
				"respondent_key": tag,
				"answers": [{"poll": c.poll, "question_key": tag, "text": "Forged"}],
			},
		}
		return {"doctype": doctype, **json.loads(frappe.as_json(records[doctype]))}

	def harmless_change(self, doctype: str) -> dict:
		return {
			"SSP Department": {"description": "Changed"},
			"SSP Service": {"short_description": "Changed"},
			"SSP Request": {"rejection_reason": "Changed"},
			"SSP Request Task": {"status": "Resolved"},
			"SSP Channel": {"description": "Changed"},
			"SSP Contact Log": {"summary": "Changed"},
			"SSP Portal Event": {"query": "Changed"},
			"SSP Daily Stat": {"tickets": 2},
			"SSP Fulfilment Stat": {"requests": 2},
			"SSP Deflection Settings": {"journey_gap_minutes": 30},
			# Hidden switches: the value the served site already has, so a write changes nothing visible.
			"SSP Portal Settings": {"hide_badges": 0},
			"SSP Contest": {"description": "Changed"},
			"SSP Contest Standing": {"score": 99},
			"SSP Badge Award": {"place": 2},
			"SSP Poll": {"introduction": "Changed"},
			"SSP Poll Response": {"respondent_key": "Changed"},
		}[doctype]

	# ---------------------------------------------------------------- guarded fields

	def check_ticket_fields(self, failures: list[str]) -> int:
		cells = 0
		for writer, ticket_key, may_set in FIELD_WRITERS:
			client = self.as_role(writer)
			ticket = self.cast[ticket_key]
			for field, value in TICKET_FIELDS.items():
				cells += 1
				value = self.fill(value)
				self.fresh_db()
				snapshot = frappe.db.get_value(
					"HD Ticket", ticket, [*TICKET_FIELDS, "ssp_department"], as_dict=True
				)
				before = snapshot[field]
				response = client.resource("PUT", "HD Ticket", ticket, json={field: value})
				self.fresh_db()
				after = frappe.db.get_value("HD Ticket", ticket, field)
				changed = str(after) != str(before)
				if may_set and (response.status_code != 200 or str(after) != str(value)):
					failures.append(f"HD Ticket.{field} by {writer}: {response.status_code}, {after!r}")
				if not may_set and (changed or not 400 <= response.status_code < 500):
					failures.append(
						f"HD Ticket.{field} by {writer}: {response.status_code}, {before!r}->{after!r}"
					)
				if changed:
					frappe.db.set_value("HD Ticket", ticket, snapshot, update_modified=False)
					frappe.db.commit()  # nosemgrep: restore for the next cell, seen by the server
		return cells

	def check_user_fields(self, failures: list[str]) -> int:
		"""The approval manager: nobody sets their own; a System Manager sets anyone's."""
		c, cells = self.cast, 0
		attempts = [
			(PORTAL, c.requester, False),
			(PORTAL_OTHER, c.outsider, False),
			(AGENT_OTHER, c.hr_agent, False),
			(SSP_MANAGER, c.ssp_manager, False),
			(SYSTEM_MANAGER, c.requester, True),
		]
		for role, user, may_set in attempts:
			for door in ("resource", "set_value"):
				cells += 1
				self.fresh_db()
				before = frappe.db.get_value("User", user, "ssp_manager")
				client = self.as_role(role)
				if door == "resource":
					response = client.resource("PUT", "User", user, json={"ssp_manager": c.accomplice})
				else:
					response = client.call(
						"frappe.client.set_value",
						doctype="User",
						name=user,
						fieldname="ssp_manager",
						value=c.accomplice,
					)
				self.fresh_db()
				after = frappe.db.get_value("User", user, "ssp_manager")
				if may_set != (after == c.accomplice) or response.status_code >= 500:
					failures.append(
						f"User.ssp_manager of {user} by {role} via {door}: {response.status_code}, {after}"
					)
				if after != before:
					frappe.db.set_value("User", user, "ssp_manager", before)
					frappe.db.commit()  # nosemgrep: restore for the next cell, seen by the server
		return cells


XSS = '<img src=x onerror="alert(1)">'


class TestFindings(AttackTestCase):
	"""The integrity issue's findings, one regression test each, as the attacker would try them."""

	def assert_refused(self, response, *codes):
		self.assertIn(response.status_code, codes or (403, 404, 417), response.text[:400])
		self.assertLess(len(response.content), 10_000)

	def test_1_requester_cannot_pick_their_own_approver(self):
		c = self.cast
		me = self.as_role(PORTAL)
		me.resource("PUT", "User", c.requester, json={"ssp_manager": c.accomplice})
		me.call(
			"frappe.client.set_value",
			doctype="User",
			name=c.requester,
			fieldname="ssp_manager",
			value=c.accomplice,
		)
		self.fresh_db()
		self.assertEqual(frappe.db.get_value("User", c.requester, "ssp_manager"), c.boss)
		# A request submitted now still goes to the rightful approver, and the accomplice cannot decide it.
		submitted = me.call(CATALOG + "submit_request", service=c.hr_service, answers={"what": "Leave"})
		self.assertEqual(submitted.status_code, 200, submitted.text[:300])
		request = submitted.json()["message"]["request"]
		self.fresh_db()
		self.assertEqual(
			frappe.get_all("SSP Request Approval", filters={"parent": request}, pluck="approver"), [c.boss]
		)
		accomplice = self.client(c.accomplice)
		self.assert_refused(
			accomplice.call(CATALOG + "decide_approval", request=request, decision="Approved"), 403
		)
		self.fresh_db()
		self.assertEqual(frappe.db.get_value("SSP Request", request, "status"), "Pending Approval")

	def test_2_messages_echo_no_markup(self):
		c = self.cast
		calls = [
			(SYSTEM_MANAGER, CONTESTS + "get_user_badges", "GET", {"user": XSS}),
			(SYSTEM_MANAGER, CONTESTS + "get_leaderboard", "GET", {"contest": XSS}),
			(
				SYSTEM_MANAGER,
				CONTESTS + "get_breakdown",
				"GET",
				{"contest": c.contest, "nomination_key": XSS},
			),
			(SYSTEM_MANAGER, CONTESTS + "announce_contest", "POST", {"contest": XSS}),
			(PORTAL, DEFLECTION + "log_portal_event", "POST", {"event_type": XSS}),
			(
				PORTAL,
				DEFLECTION + "log_portal_event",
				"POST",
				{"event_type": "New Ticket Opened", "article": XSS},
			),
			(SYSTEM_MANAGER, DEFLECTION + "recompute_rollups", "POST", {"from_date": XSS, "to_date": XSS}),
			(SYSTEM_MANAGER, DEFLECTION + "get_number_card", "GET", {"filters": {"metric": XSS}}),
			(AGENT_MANAGER, CHANNELS + "log_contact", "POST", {"channel": XSS}),
			(AGENT_MANAGER, CHANNELS + "log_contact", "POST", {"channel": "Phone", "department": XSS}),
			(AGENT_MANAGER, CHANNELS + "log_contact", "POST", {"channel": "Phone", "contact_on": XSS}),
			(PORTAL, CATALOG + "get_service", "GET", {"service": XSS}),
			(PORTAL, CATALOG + "submit_request", "POST", {"service": c.it_service, "answers": {XSS: "x"}}),
			(PORTAL, CATALOG + "get_request_for_approval", "GET", {"request": XSS}),
		]
		for role, method, http, args in calls:
			response = self.as_role(role).call(method, http, **args)
			self.assertLess(response.status_code, 500, method)
			shown = shown_to_user(response)
			self.assertNotIn("<img", shown, f"{method}: {shown[:300]}")

	def test_3_participants_cannot_edit_fair_play(self):
		c = self.cast
		frappe.db.set_value(
			"HD Ticket", c.colleague_ticket, {"ssp_exclude_from_contests": 1, "ssp_exclusion_reason": "Spam"}
		)
		frappe.db.commit()  # nosemgrep: the served site must see the agent's exclusion
		attempts = [
			(c.colleague_ticket, {"ssp_exclude_from_contests": 0, "ssp_exclusion_reason": ""}, "colleague"),
			(c.colleague_ticket, {"ssp_exclude_from_contests": 0, "ssp_exclusion_reason": ""}, "requester"),
			(c.email_ticket, {"ssp_exclude_from_contests": 1, "ssp_exclusion_reason": "Spam"}, "colleague"),
			(c.email_ticket, {"via_customer_portal": 1}, "requester"),
		]
		for ticket, values, who in attempts:
			before = frappe.db.get_value("HD Ticket", ticket, list(values), as_dict=True)
			response = self.as_role(who).resource("PUT", "HD Ticket", ticket, json=values)
			self.assert_refused(response, 403)
			self.fresh_db()
			self.assertEqual(frappe.db.get_value("HD Ticket", ticket, list(values), as_dict=True), before)
		# The portal metrics read the guarded channel only: an e-mail ticket stays an e-mail ticket.
		self.assertEqual(frappe.db.get_value("HD Ticket", c.email_ticket, "ssp_channel"), "Email")

	def test_4_feedback_counts_once_and_only_ones_own(self):
		c = self.cast
		me = self.as_role(PORTAL)
		first = me.resource("POST", "HD Article Feedback", json={"article": c.article, "feedback": "1"})
		self.assertEqual(first.status_code, 200, first.text[:300])
		for _ in range(3):
			self.assert_refused(
				me.resource("POST", "HD Article Feedback", json={"article": c.article, "feedback": "1"}),
				409,
				417,
			)
		friend = me.resource(
			"POST", "HD Article Feedback", json={"article": c.article, "feedback": "1", "user": c.colleague}
		)
		self.assert_refused(friend, 403)
		moved = me.resource(
			"PUT", "HD Article Feedback", first.json()["data"]["name"], json={"user": c.colleague}
		)
		self.assert_refused(moved, 403)
		self.fresh_db()
		rows = frappe.get_all(
			"HD Article Feedback", filters={"article": c.article}, fields=["user", "feedback"]
		)
		self.assertEqual([(r.user, r.feedback) for r in rows], [(c.requester, "1")])
		helped = frappe.get_all(
			"SSP Portal Event",
			filters={"hd_article": c.article, "event_type": "Article Helpful"},
			pluck="user",
		)
		self.assertEqual(helped, [c.requester])

	def test_5_catalog_fields_cannot_be_forged(self):
		c = self.cast
		ticket = c.it_request["ticket"]
		before = frappe.db.get_value(
			"HD Ticket", ticket, ["ssp_service", "ssp_request", "ssp_approval_status"]
		)
		for field, value in (
			("ssp_service", c.hr_service),
			("ssp_request", c.hr_request["request"]),
			("ssp_approval_status", "Approved"),
		):
			self.assert_refused(
				self.as_role(PORTAL).resource("PUT", "HD Ticket", ticket, json={field: value}), 403
			)
		self.fresh_db()
		self.assertEqual(
			frappe.db.get_value("HD Ticket", ticket, ["ssp_service", "ssp_request", "ssp_approval_status"]),
			before,
		)

	def test_6_agents_read_only_their_teams_requests(self):
		c = self.cast
		hr, it_request = self.as_role(AGENT_OTHER), c.it_request["request"]
		self.assert_refused(hr.resource("GET", "HD Ticket", c.it_request["ticket"]), 403)
		self.assert_refused(hr.resource("GET", "SSP Request", it_request), 403)
		listed = hr.resource("GET", "SSP Request", params={"limit_page_length": 0, "fields": '["name"]'})
		self.assertEqual(listed.status_code, 200)
		self.assertNotIn(it_request, [r["name"] for r in listed.json()["data"]])
		for child in ("SSP Request Answer", "SSP Request Approval"):
			rows = hr.resource(
				"GET",
				child,
				params={
					"parent": "SSP Request",
					"fields": '["parent", "value"]' if child.endswith("Answer") else '["parent"]',
					"limit_page_length": 0,
				},
			)
			self.assertNotIn(
				it_request,
				[r["parent"] for r in rows.json().get("data", [])] if rows.status_code == 200 else [],
			)
		report = hr.call(
			"frappe.client.get_list", "GET", doctype="SSP Request", fields=["name"], limit_page_length=0
		)
		self.assertNotIn(it_request, [r["name"] for r in report.json().get("message", [])])
		# The IT team's agent reads it.
		it = self.client(c.it_agent)
		self.assertEqual(it.resource("GET", "SSP Request", it_request).status_code, 200)

	def test_7_nobody_decides_their_own_request(self):
		c = self.cast
		request = c.manager_request["request"]
		response = self.as_role(SSP_MANAGER).call(
			CATALOG + "decide_approval", request=request, decision="Approved"
		)
		self.assert_refused(response, 403)
		self.fresh_db()
		self.assertEqual(frappe.db.get_value("SSP Request", request, "status"), "Pending Approval")

	def test_8_an_outsiders_visit_blocks_no_page(self):
		c = self.cast
		request = c.hr_request["request"]
		hidden = make_hidden_service(c)
		for path in (f"/service-approval?request={request}", f"/service-catalog/request?service={hidden}"):
			self.assertEqual(self.as_role(PORTAL_OTHER).request("GET", path).status_code, 403, path)
		approver = self.client(c.boss).request("GET", f"/service-approval?request={request}")
		self.assertEqual(approver.status_code, 200)
		self.assertIn(request, approver.text)
		allowed = self.client(c.it_agent).request("GET", f"/service-catalog/request?service={hidden}")
		self.assertEqual(allowed.status_code, 200)

	def test_9_bad_input_gets_a_short_clear_refusal(self):
		c = self.cast
		deep = "[" * 5000 + "]" * 5000
		flood = json.dumps({f"k{i}": "x" for i in range(200_000)})
		me = self.as_role(PORTAL)
		for answers in (deep, flood, '{"what": ' * 3000):
			before = frappe.db.count("SSP Request")
			response = me.request(
				"POST",
				f"/api/method/{CATALOG}submit_request",
				data={"service": c.it_service, "answers": answers},
			)
			self.assert_refused(response, 417)
			self.fresh_db()
			self.assertEqual(frappe.db.count("SSP Request"), before)

	def test_10_smaller_findings(self):
		c = self.cast
		me = self.as_role(PORTAL)
		# No user oracle: an unknown address reads like a user without badges.
		unknown = me.request("GET", "/my-badges?user=nobody-here@ssp-test.example")
		known = me.request("GET", f"/my-badges?user={c.colleague}")
		self.assertEqual((unknown.status_code, known.status_code), (200, 200))
		self.assertNotIn("Colleague", known.text)
		for user in ("nobody-here@ssp-test.example", c.colleague):
			self.assertEqual(me.call(CONTESTS + "get_user_badges", "GET", user=user).json()["message"], [])
		# Breakdowns: not of drafts, not for outsiders.
		args = {"contest": c.contest, "nomination_key": c.nomination_key}
		self.assert_refused(me.call(CONTESTS + "get_breakdown", "GET", **args), 404)
		self.assert_refused(self.as_role(PORTAL_OTHER).call(CONTESTS + "get_breakdown", "GET", **args), 404)
		# Agents correct only the contacts they logged.
		log = frappe.get_doc({"doctype": "SSP Contact Log", "channel": "Phone", "summary": "x"}).insert(
			ignore_permissions=True
		)
		frappe.db.commit()  # nosemgrep: the served site must see it
		self.assert_refused(
			self.as_role(AGENT_OTHER).resource("PUT", "SSP Contact Log", log.name, json={"summary": "y"}), 403
		)
		# Every user's trail is the managers' report, not every agent's.
		journeys = self.as_role(AGENT_OTHER).call(
			"frappe.desk.query_report.run", "GET", report_name="SSP Journeys"
		)
		self.assert_refused(journeys, 403)
		# The Fulfilment report is the managers' (SSP Manager, System Manager) only.
		for role in (PORTAL, AGENT_OTHER, AGENT_MANAGER):
			fulfilment = self.as_role(role).call(
				"frappe.desk.query_report.run", "GET", report_name="SSP Fulfilment"
			)
			self.assert_refused(fulfilment, 403)
		fulfilment = self.as_role(SSP_MANAGER).call(
			"frappe.desk.query_report.run", "GET", report_name="SSP Fulfilment"
		)
		self.assertEqual(fulfilment.status_code, 200, fulfilment.text[:400])
		# Page views are events within the portal's rate limit only.
		frappe.cache.set(frappe.cache.make_key(f"ssp:rate:event:{c.requester}"), 10**6, ex=600)
		before = frappe.db.count("SSP Portal Event", {"user": c.requester, "event_type": "Service Viewed"})
		for _ in range(3):
			self.assertEqual(me.call(CATALOG + "get_service", "GET", service=c.it_service).status_code, 200)
		self.fresh_db()
		self.assertEqual(
			frappe.db.count("SSP Portal Event", {"user": c.requester, "event_type": "Service Viewed"}), before
		)
		frappe.cache.delete(frappe.cache.make_key(f"ssp:rate:event:{c.requester}"))
		# The submit limit's counter always expires.
		me.call(CATALOG + "submit_request", service="SVC-99999", answers={})
		key = frappe.cache.make_key(f"ssp:rate:submit:{c.requester}")
		self.assertGreater(frappe.cache.ttl(key), 0)


class TestAnonymousJourneys(ServedSiteTestCase):
	@classmethod
	def make_fixtures(cls):
		frappe.db.set_single_value("SSP Deflection Settings", "enable_anonymous_tracking", 1)

	@classmethod
	def tearDownClass(cls):
		frappe.db.set_single_value("SSP Deflection Settings", "enable_anonymous_tracking", 0)
		frappe.db.commit()  # nosemgrep: restores what the served site saw
		super().tearDownClass()

	def test_a_new_user_agent_is_no_new_journey(self):
		names = []
		for agent in ("Browser A", "Browser B", "Browser C"):
			guest = self.client()
			guest.session.headers["User-Agent"] = agent
			response = guest.call(DEFLECTION + "log_portal_event", event_type="New Ticket Opened")
			self.assertEqual(response.status_code, 200, response.text[:300])
			names.append(response.json()["message"]["name"])
		frappe.db.rollback()  # see what the server committed
		flush_portal_events()  # and what it buffered (events are written behind)
		sessions = frappe.get_all("SSP Portal Event", filters={"name": ("in", names)}, pluck="session_id")
		self.assertEqual(len(sessions), 3)
		self.assertEqual(len(set(sessions)), 1)


def shown_to_user(response) -> str:
	"""What Desk and the portal render as HTML: the messages and the result, not the traceback
	(``exc``, shown in the browser console only)."""
	try:
		body = response.json()
	except ValueError:
		return response.text
	body.pop("exc", None)
	return json.dumps(body, ensure_ascii=False)


def make_hidden_service(c) -> str:
	from selfservice_portal.tests.test_utils import make_service

	service = make_service(department=c.it_department, visibility="Roles", roles=("Agent",))
	frappe.db.commit()  # nosemgrep: the served site must see it
	return service
