"""Polls through every door, over HTTP, as a portal user of the audience, one outside it, an agent, an
SSP Manager and a guest: /api/resource on the poll DocTypes, the poll methods with bad input, two
racing submissions, the /polls page and the results report."""

import json
import threading

import frappe

from selfservice_portal.deflection import polls
from selfservice_portal.demo.records import ensure_customer
from selfservice_portal.tests.served import ServedSiteTestCase, SiteClient, set_password
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_contest_manager,
	make_poll,
	make_portal_user,
	make_system_manager,
)

API = "selfservice_portal.api.polls."
MALFORMED = [
	None,
	0,
	-1,
	1.5,
	10**30,
	True,
	"",
	" ",
	"x" * 5000,
	"\x00",
	"😀" * 300,
	"' OR '1'='1",
	"<script>alert(1)</script>",
	"%",
	"NaN",
	"-1e309",
	[],
	[None],
	[["deep"]],
	{},
	{"a": {"b": 1}},
	"11",
	"0",
	"5",
	["A", "A"],
]


class TestPollDoors(ServedSiteTestCase):
	@classmethod
	def make_fixtures(cls):
		frappe.set_user("Administrator")
		cls.customer = ensure_customer(f"SSP Poll Http {frappe.generate_hash(length=6)}")
		cls.member = make_portal_user(first_name="Member", customer=cls.customer)
		cls.colleague = make_portal_user(first_name="Colleague", customer=cls.customer)
		cls.racer = make_portal_user(first_name="Racer", customer=cls.customer)
		cls.outsider = make_portal_user(first_name="Outsider", customer=None)
		cls.agent = make_agent(first_name="PollAgent")
		cls.manager = make_contest_manager("PollManager")
		cls.system_manager = make_system_manager()
		for user in (
			cls.member,
			cls.colleague,
			cls.racer,
			cls.outsider,
			cls.agent,
			cls.manager,
			cls.system_manager,
		):
			set_password(user)
		cls.poll = make_poll(cls.customer)
		cls.draft = make_poll(cls.customer, is_open=False)
		cls.keys = [q.question_key for q in frappe.get_doc("SSP Poll", cls.poll).questions]
		polls.submit_answers(cls.poll, {cls.keys[0]: "B", cls.keys[2]: 2}, cls.colleague)
		cls.colleague_response = frappe.db.get_value(
			"SSP Poll Response", {"poll": cls.poll, "user": cls.colleague}
		)

	@classmethod
	def tearDownClass(cls):
		# Committed for the server; gone afterwards so that no other test's home page offers them.
		frappe.db.rollback()
		frappe.set_user("Administrator")
		for name in frappe.get_all("SSP Poll", {"title": ("in", cls.titles())}, pluck="name"):
			frappe.db.set_value("SSP Poll", name, "status", "Closed")
			frappe.delete_doc("SSP Poll", name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the fixtures were committed for the served site
		super().tearDownClass()

	@classmethod
	def titles(cls) -> list[str]:
		return [
			*(frappe.db.get_value("SSP Poll", n, "title") for n in (cls.poll, cls.draft)),
			"Manager's poll",
		]

	def setUp(self):
		frappe.set_user("Administrator")

	def answers(self, **extra: str | int | list) -> dict:
		return {self.keys[0]: "A", self.keys[2]: 4, **extra}

	def responses(self, poll: str | None = None) -> int:
		frappe.db.rollback()  # read what the server committed
		return frappe.db.count("SSP Poll Response", {"poll": poll or self.poll})

	# ------------------------------------------------------------------ /api/resource

	def test_resource_doors(self):
		clients = {
			"member": self.client(self.member),
			"agent": self.client(self.agent),
			"manager": self.client(self.manager),
			"guest": self.client(),
		}
		expected = []  # (what, role, response, allowed)
		for role, client in clients.items():
			expected += self.knock_on_every_door(role, client)
		failures = [
			f"{what} as {role}: {response.status_code} {response.text[:160]}"
			for what, role, response, allowed in expected
			if (response.status_code == 200) != allowed or response.status_code >= 500
		]
		listed = clients["manager"].resource(
			"GET", "SSP Poll Response", params={"fields": json.dumps(["name"]), "limit_page_length": 0}
		)
		self.assertIn(self.colleague_response, [row["name"] for row in listed.json()["data"]])
		self.assertEqual(failures, [], "\n".join(failures))
		print(f"\npoll doors: {len(expected)} cells checked")
		self.assertEqual(self.responses(), 1)
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("SSP Poll Response", self.colleague_response, "user"), self.colleague
		)

	def knock_on_every_door(self, role: str, client: SiteClient) -> list[tuple]:
		"""(what, role, response, allowed) for each door ``client`` tries: managers read polls and
		responses and change a draft's questions; nobody writes a response except through the form."""
		may = role == "manager"
		colleague = json.dumps([["parent", "=", self.colleague_response]])
		answers_of_colleague = {"parent": "SSP Poll Response", "filters": colleague}
		doors = [
			("read poll", lambda: client.resource("GET", "SSP Poll", self.poll), may),
			(
				"read another's response",
				lambda: client.resource("GET", "SSP Poll Response", self.colleague_response),
				may,
			),
			(
				"list responses",
				lambda: client.resource(
					"GET", "SSP Poll Response", params={"fields": json.dumps(["name", "user"])}
				),
				may,
			),
			(
				"list answers",
				lambda: client.resource("GET", "SSP Poll Answer", params=answers_of_colleague),
				may,
			),
			(
				"insert a response",
				lambda: client.resource("POST", "SSP Poll Response", json=self.forged_response()),
				False,
			),
			(
				"change a response",
				lambda: client.resource(
					"PUT", "SSP Poll Response", self.colleague_response, json={"user": self.member}
				),
				False,
			),
			(
				"delete a response",
				lambda: client.resource("DELETE", "SSP Poll Response", self.colleague_response),
				False,
			),
			(
				"insert through frappe.client",
				lambda: client.call(
					"frappe.client.insert",
					doc={"doctype": "SSP Poll Response", "poll": self.poll, "respondent_key": "x2"},
				),
				False,
			),
			(
				"change a question",
				lambda: client.resource(
					"PUT", "SSP Poll", self.draft, json={"introduction": f"Changed by {role}"}
				),
				may,
			),
		]
		return [(what, role, knock(), allowed) for what, knock, allowed in doors]

	def forged_response(self) -> dict:
		return {
			"poll": self.poll,
			"user": self.colleague,
			"respondent_key": "forged",
			"answers": [{"poll": self.poll, "question_key": self.keys[0], "value": "C"}],
		}

	def test_managers_create_and_answers_cannot_be_forged_through_the_poll(self):
		manager = self.client(self.manager)
		created = manager.resource(
			"POST",
			"SSP Poll",
			json={
				"title": "Manager's poll",
				"audience_type": "Selected Customers and Contacts",
				"audience": [{"audience_doctype": "HD Customer", "audience_name": self.customer}],
				"questions": [{"question": "Why?", "kind": "Short Text"}],
			},
		)
		self.assertEqual(created.status_code, 200, created.text[:300])
		self.assertEqual(created.json()["data"]["status"], "Draft")
		name = created.json()["data"]["name"]
		# Status only moves through the actions.
		forced = manager.resource("PUT", "SSP Poll", name, json={"status": "Open"})
		self.assertEqual(forced.status_code, 417, forced.text[:300])
		self.assertIn(manager.call(API + "open_poll", poll=name).status_code, (200,))
		# Questions with answers are frozen on every door.
		frozen = manager.resource(
			"PUT",
			"SSP Poll",
			self.poll,
			json={"questions": [{"question": "Replaced", "kind": "Short Text"}]},
		)
		self.assertEqual(frozen.status_code, 417, frozen.text[:300])
		self.assertIn("has answers", frozen.text)

	# ------------------------------------------------------------------ methods

	def test_submit_poll_refuses_bad_input_and_a_second_answer(self):
		member, outsider, guest, agent = (
			self.client(self.member),
			self.client(self.outsider),
			self.client(),
			self.client(self.agent),
		)
		good = json.dumps(self.answers())
		cases = [
			(guest, {"poll": self.poll, "answers": good}, 403, None),
			(member, {}, 417, "Poll is required"),
			(member, {"poll": "x" * 200, "answers": good}, 417, "too long"),
			(member, {"poll": "no-such-poll", "answers": good}, 404, "was not found"),
			(member, {"poll": self.draft, "answers": good}, 404, "was not found"),
			(outsider, {"poll": self.poll, "answers": good}, 404, "was not found"),
			(agent, {"poll": self.poll, "answers": good}, 404, "was not found"),
			(member, {"poll": self.poll}, 417, "Answers are required"),
			(member, {"poll": self.poll, "answers": "{not json"}, 417, "JSON object"),
			(member, {"poll": self.poll, "answers": "x" * 40_001}, 417, "too long"),
			(member, {"poll": self.poll, "answers": json.dumps({self.keys[2]: 4})}, 417, "needs an answer"),
			(
				member,
				{"poll": self.poll, "answers": json.dumps(self.answers(**{self.keys[0]: "<b>Z</b>"}))},
				417,
				"&lt;b&gt;",
			),
		]
		for client, args, status, text in cases:
			response = client.call(API + "submit_poll", **args)
			self.assertEqual(response.status_code, status, f"{args}: {response.text[:300]}")
			self.assertLess(len(response.content), 10_000)
			if text:
				self.assertIn(text, response.text)
			self.assertNotIn("<b>Z</b>", response.text)
		self.assertEqual(self.responses(), 1)  # only the colleague's, from the fixtures
		ok = member.call(API + "submit_poll", poll=self.poll, answers=good)
		self.assertEqual(ok.status_code, 200, ok.text[:300])
		again = member.call(API + "submit_poll", poll=self.poll, answers=good)
		self.assertEqual(again.status_code, 409, again.text[:300])
		self.assertIn("already answered", again.text)
		self.assertEqual(self.responses(), 2)

	def test_malformed_answers_get_a_short_refusal_and_write_nothing(self):
		"""Every malformed value in every question: no answer >= 500, refusals under 10 KB, and a refused
		call stores nothing (a value that happens to be valid is stored, then removed for the next)."""
		member = make_portal_user(first_name="Fuzzed", customer=self.customer)
		set_password(member)
		frappe.db.commit()  # nosemgrep: the served site must see the new user
		client, key = self.client(member), polls.respondent_key(self.poll, member)
		calls = [
			{"poll": self.poll, "answers": json.dumps({**self.answers(), self.keys[position]: value})}
			for position in range(len(self.keys))
			for value in MALFORMED
		]
		calls += [{"poll": self.poll, "answers": json.dumps(value)} for value in MALFORMED]
		calls += [{"poll": json.dumps(value), "answers": json.dumps(self.answers())} for value in MALFORMED]
		sent = accepted = 0
		for args in calls:
			response = client.call(API + "submit_poll", **args)
			sent += 1
			self.assertLess(response.status_code, 500, f"{args!r:.200}: {response.text[:300]}")
			frappe.db.rollback()
			if response.status_code == 200:
				accepted += 1
				response_name = frappe.db.get_value("SSP Poll Response", {"respondent_key": key})
				frappe.db.delete("SSP Poll Answer", {"parent": response_name})
				frappe.db.delete("SSP Poll Response", response_name)
				frappe.db.commit()  # nosemgrep: the next call answers afresh
			else:
				self.assertLess(len(response.content), 10_000)
				self.assertEqual(
					frappe.db.count("SSP Poll Response", {"respondent_key": key}), 0, f"{args!r:.200}"
				)
		print(f"\nmalformed poll answers: {sent} sent, {accepted} valid by chance, 0 answers >= 500")
		self.assertEqual(sent, 7 * len(MALFORMED))
		self.assertGreater(sent - accepted, 120)

	def test_two_racing_submissions_store_one(self):
		clients = [self.client(self.racer), self.client(self.racer)]
		barrier, results = threading.Barrier(2), []

		def send(client: SiteClient) -> None:
			barrier.wait()
			results.append(
				client.call(API + "submit_poll", poll=self.poll, answers=json.dumps(self.answers()))
			)

		threads = [threading.Thread(target=send, args=(c,)) for c in clients]
		for t in threads:
			t.start()
		for t in threads:
			t.join()
		self.assertEqual(sorted(r.status_code for r in results), [200, 409], [r.text[:200] for r in results])
		frappe.db.rollback()
		key = polls.respondent_key(self.poll, self.racer)
		self.assertEqual(frappe.db.count("SSP Poll Response", {"respondent_key": key}), 1)

	def test_only_managers_run_polls_and_read_results(self):
		users = {
			"guest": (self.client(), 403),
			"member": (self.client(self.member), 403),
			"agent": (self.client(self.agent), 403),
			"manager": (self.client(self.manager), 404),
			"system manager": (self.client(self.system_manager), 404),
		}
		for role, (client, status) in users.items():
			for method, http in (("open_poll", "POST"), ("close_poll", "POST"), ("get_poll_results", "GET")):
				response = client.call(API + method, http, poll="missing")
				self.assertEqual(response.status_code, status, f"{method} as {role}: {response.text[:200]}")
			report = client.call(
				"frappe.desk.query_report.run",
				report_name="SSP Poll Results",
				filters=json.dumps({"poll": self.poll}),
			)
			may = role in ("manager", "system manager")
			self.assertEqual(report.status_code == 200, may, f"report as {role}: {report.status_code}")
			if may:
				result = report.json()["message"]["result"]
				self.assertIn("B", [row.get("answer") for row in result])
		results = self.client(self.manager).call(API + "get_poll_results", "GET", poll=self.poll)
		self.assertEqual(results.status_code, 200, results.text[:300])
		self.assertGreaterEqual(results.json()["message"]["respondents"], 1)

	# ------------------------------------------------------------------ the page

	def test_the_page(self):
		guest = self.client().request("GET", "/polls", allow_redirects=False)
		self.assertIn(guest.status_code, (301, 302, 303))
		self.assertIn("/login", guest.headers["Location"])
		title = frappe.db.get_value("SSP Poll", self.poll, "title")
		listing = self.client(self.member).request("GET", "/polls")
		self.assertEqual(listing.status_code, 200)
		self.assertIn(title, listing.text)
		self.assertNotIn(frappe.db.get_value("SSP Poll", self.draft, "title"), listing.text)
		empty = self.client(self.outsider).request("GET", "/polls")
		self.assertIn("There is no poll open for you right now", empty.text)
		for user, poll in ((self.outsider, self.poll), (self.member, self.draft), (self.member, "missing")):
			page = self.client(user).request("GET", f"/polls?poll={poll}")
			self.assertEqual(page.status_code, 403, f"{user} {poll}")
		done = self.client(self.colleague).request("GET", f"/polls?poll={self.poll}")
		self.assertIn("You have answered this poll", done.text)
