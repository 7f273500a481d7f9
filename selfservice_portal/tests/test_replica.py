"""Reads on a replica: every read-only path runs on the replica, every write goes to the primary.

A private primary (binary log, GTID) and a read-only replica replicating from it are started for the
class (`tests/replica.py`), the test site is copied onto the primary with `read_from_replica` pointing
at the replica, and `bench serve` serves the copy. Each path is then requested over HTTP, as the
portal or Desk would, and the two servers' general logs and counters show what ran where: the path's
own tables are read on the replica and not on the primary, no client writes on the replica (it is
read-only: a write would fail the request), and the paths that record something (a search, a service
viewed, a request submitted) write it on the primary, from where it replicates.
"""

import contextlib
import re
import time
import urllib.request

import frappe
import redis

from selfservice_portal.contests import judging
from selfservice_portal.deflection import polls
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.replica import ReplicaPair, SiteCopy, binaries
from selfservice_portal.tests.security_fixtures import submit_as
from selfservice_portal.tests.served import SiteClient, set_password, skip_setup_wizard
from selfservice_portal.tests.test_utils import (
	make_badge,
	make_contest_manager,
	make_department,
	make_draft_contest,
	make_poll,
	make_portal_user,
	make_service,
	make_team,
)

WRITE = re.compile(r"\bQuery\s+(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
WRITTEN_TABLE = re.compile(
	r"\bQuery\s+(?:INSERT\s+(?:IGNORE\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+(`[^`]+`|\S+)",
	re.IGNORECASE,
)
SELECT = re.compile(r"\bQuery\s+\(?\s*SELECT\b", re.IGNORECASE)


def build_fixtures() -> frappe._dict:
	"""A requester with a request, a badge and a standing in a running contest, an open poll they
	answered, and a manager; as Administrator, committed by the caller."""
	f = frappe._dict()
	f.requester = set_password(make_portal_user(first_name="Replica"))
	f.manager = set_password(make_contest_manager("ReplicaManager"))
	f.department = make_department(team=make_team())
	f.service = make_service(
		department=f.department, title=f"Replica Laptop {frappe.generate_hash(length=5)}"
	)
	f.request = submit_as(f.requester, f.service, {"what": "A laptop"})
	make_badge(f.requester)
	f.contest = make_draft_contest()
	contest = frappe.get_doc("SSP Contest", f.contest)
	f.nomination_key = contest.nominations[0].nomination_key
	frappe.db.set_value(
		"SSP Contest",
		f.contest,
		{"status": "Running", "starts_on": frappe.utils.add_days(frappe.utils.now_datetime(), -10)},
	)
	judging.judge(f.contest)
	f.poll = make_poll()
	poll = frappe.get_doc("SSP Poll", f.poll)
	respondent = set_password(
		make_portal_user(first_name="Respondent", customer=poll.audience[0].audience_name)
	)
	polls.submit_answers(
		f.poll, {poll.questions[0].question_key: "A", poll.questions[2].question_key: 4}, respondent
	)
	return f


class TestReadsOnReplica(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		binaries()  # skips, saying what is missing, before anything is built
		super().setUpClass()
		skip_setup_wizard()
		cls.f = build_fixtures()
		frappe.db.commit()  # nosemgrep: the copy of the site is taken from the committed database
		cls.stack = contextlib.ExitStack()
		try:
			cls.pair = cls.stack.enter_context(ReplicaPair())
			cls.copy = cls.stack.enter_context(SiteCopy(cls.pair))
			server = cls.copy.serve()
			cls.stack.callback(stop, server)
			wait_until_served(cls.copy.base, server)
			cls.requester = SiteClient(cls.copy.base, cls.f.requester)
			cls.manager = SiteClient(cls.copy.base, cls.f.manager)
			cls.pair.set_general_log(True)
			cls.results = []
		except BaseException:
			cls.stack.close()
			raise

	@classmethod
	def tearDownClass(cls):
		cls.stack.close()
		for line in cls.results:
			print(line)
		super().tearDownClass()

	# ------------------------------------------------------------------ observing one request

	def clear_cache(self) -> None:
		"""Empty the copy's Redis namespace, so every path reads from the database, not the cache."""
		conn = redis.Redis.from_url(frappe.conf.redis_cache)
		keys = list(conn.scan_iter(f"{self.copy.db_name}|*", count=1000))
		if keys:
			conn.delete(*keys)

	def observe(self, client: SiteClient, label: str, method: str, path: str, **kwargs):
		"""One request, with what each server ran meanwhile; asserts that no client wrote on the
		replica and that the request succeeded."""
		self.clear_cache()
		# Frappe's own start of a request (session, user, roles) and a page's frame (website settings,
		# menus) read on the primary; warm them first, so the figures below are the path's.
		client.request("GET", "/api/method/frappe.auth.get_logged_user")
		client.request("GET", "/me", headers={"Accept": "text/html"})  # and the website's (menus, settings)
		self.pair.sync()
		time.sleep(0.2)
		logs = {s: s.log_size() for s in (self.pair.primary, self.pair.replica)}
		before = {s: s.counters() for s in logs}
		response = client.request(method, path, allow_redirects=False, **kwargs)
		settle(self.pair)
		after = {s: s.counters() for s in logs}
		seen = frappe._dict(
			response=response,
			primary=self.pair.primary.log_since(logs[self.pair.primary]),
			replica=self.pair.replica.log_since(logs[self.pair.replica]),
			primary_delta={
				k: after[self.pair.primary][k] - before[self.pair.primary][k]
				for k in after[self.pair.primary]
			},
			replica_delta={
				k: after[self.pair.replica][k] - before[self.pair.replica][k]
				for k in after[self.pair.replica]
			},
		)
		self.assertEqual(response.status_code, 200, f"{label}: {response.status_code} {response.text[:500]}")
		self.assertFalse(
			WRITE.findall(seen.replica), f"{label}: a client wrote on the replica:\n{seen.replica[-2000:]}"
		)
		self.results.append(
			f"replica: {label}: replica SELECTs {len(SELECT.findall(seen.replica))}, primary SELECTs "
			f"{len(SELECT.findall(seen.primary))}, primary writes {len(WRITE.findall(seen.primary))} "
			f"{sorted(set(WRITTEN_TABLE.findall(seen.primary)))} "
			f"(Com_select replica +{seen.replica_delta['Com_select']}, primary +{seen.primary_delta['Com_select']})"
		)
		return seen

	def assert_reads_on_replica(self, label: str, seen, *tables: str) -> None:
		self.assertTrue(SELECT.search(seen.replica), f"{label}: nothing was read on the replica")
		self.assertGreater(seen.replica_delta["Com_select"], 0, label)
		for table in tables:
			self.assertIn(f"`tab{table}`", seen.replica, f"{label}: {table} was not read on the replica")
			self.assertNotIn(
				f"`tab{table}`",
				seen.primary,
				f"{label}: {table} was read on the primary:\n{seen.primary[-3000:]}",
			)

	def test_api_reads_run_on_the_replica(self):
		f = self.f
		paths = [
			(
				self.requester,
				"get_catalog",
				"selfservice_portal.api.catalog.get_catalog",
				{},
				("SSP Service",),
			),
			(
				self.requester,
				"search_services",
				"selfservice_portal.api.catalog.search_services",
				{"query": "Replica"},
				("SSP Service",),
			),
			(
				self.requester,
				"get_request_for_approval/pending",
				"selfservice_portal.api.catalog.get_pending_approvals",
				{},
				(),
			),
			(
				self.requester,
				"get_leaderboard",
				"selfservice_portal.api.contests.get_leaderboard",
				{"contest": f.contest},
				("SSP Contest Standing",),
			),
			(
				self.requester,
				"get_breakdown",
				"selfservice_portal.api.contests.get_breakdown",
				{"contest": f.contest, "nomination_key": f.nomination_key},
				("SSP Contest Standing",),
			),
			(
				self.requester,
				"get_user_badges",
				"selfservice_portal.api.contests.get_user_badges",
				{},
				("SSP Badge Award",),
			),
			(
				self.manager,
				"get_poll_results",
				"selfservice_portal.api.polls.get_poll_results",
				{"poll": f.poll},
				("SSP Poll Answer",),
			),
			(
				self.manager,
				"get_number_card",
				"selfservice_portal.api.deflection.get_number_card",
				{"filters": '{"metric": "portal_share"}'},
				("SSP Daily Stat",),
			),
			(
				self.manager,
				"script report SSP Channel Mix",
				"frappe.desk.query_report.run",
				{"report_name": "SSP Channel Mix", "filters": "{}"},
				("SSP Daily Stat",),
			),
			(
				self.manager,
				"script report SSP Poll Results",
				"frappe.desk.query_report.run",
				{"report_name": "SSP Poll Results", "filters": f'{{"poll": "{f.poll}"}}'},
				("SSP Poll Answer",),
			),
		]
		for client, label, method, args, tables in paths:
			seen = self.observe(client, label, "GET", f"/api/method/{method}", params=args)
			self.assert_reads_on_replica(label, seen, *tables)

	def test_pages_read_from_the_replica(self):
		f = self.f
		pages = [
			("/self-service", ("SSP Service", "SSP Request")),
			("/contests", ("SSP Contest Standing",)),
			(f"/contests?contest={f.contest}", ("SSP Contest Standing",)),
			("/my-badges", ("SSP Badge Award",)),
			("/service-catalog", ("SSP Service",)),
			("/my-requests", ("SSP Request",)),
			("/polls", ("SSP Poll",)),
			("/service-approval", ()),
		]
		for path, tables in pages:
			seen = self.observe(self.requester, path, "GET", path, headers={"Accept": "text/html"})
			self.assert_reads_on_replica(path, seen, *tables)

	def test_paths_that_record_an_event_read_on_the_replica_and_write_on_the_primary(self):
		f = self.f
		word = f"replica{frappe.generate_hash(length=6)}"
		cases = [
			("/self-service search", "GET", f"/self-service?q={word}", "KB Search", ("query", word)),
			(
				"/service-catalog/request",
				"GET",
				f"/service-catalog/request?service={f.service}",
				"Service Viewed",
				("service", f.service),
			),
			(
				"get_service",
				"POST",
				"/api/method/selfservice_portal.api.catalog.get_service",
				"Service Viewed",
				("service", f.service),
			),
		]
		for label, method, path, event_type, (field, value) in cases:
			count = f"SELECT COUNT(*) FROM `tabSSP Portal Event` WHERE event_type = %s AND `{field}` = %s"
			before = self.copy.count(self.pair.primary, count, event_type, value)
			kwargs = (
				{"data": {"service": f.service}} if method == "POST" else {"headers": {"Accept": "text/html"}}
			)
			seen = self.observe(self.requester, label, method, path, **kwargs)
			self.assert_reads_on_replica(label, seen, "SSP Service")
			self.assertRegex(seen.primary, r"(?i)insert\s+into\s+`tabSSP Portal Event`", label)
			self.assertEqual(
				self.copy.count(self.pair.primary, count, event_type, value),
				before + 1,
				f"{label}: not committed",
			)
			self.pair.sync()
			self.assertEqual(
				self.copy.count(self.pair.replica, count, event_type, value),
				before + 1,
				f"{label}: not replicated",
			)

	def test_writes_go_to_the_primary(self):
		seen = self.observe(
			self.requester,
			"submit_request",
			"POST",
			"/api/method/selfservice_portal.api.catalog.submit_request",
			data={"service": self.f.service, "answers": '{"what": "A second laptop"}'},
		)
		ticket = seen.response.json()["message"]["ticket"]
		self.assertRegex(seen.primary, r"(?i)insert\s+into\s+`tabHD Ticket`")
		self.assertGreater(seen.primary_delta["Com_insert"], 0)
		self.assertEqual(
			self.copy.count(self.pair.primary, "SELECT COUNT(*) FROM `tabHD Ticket` WHERE name = %s", ticket),
			1,
		)
		self.pair.sync()
		self.assertEqual(
			self.copy.count(self.pair.replica, "SELECT COUNT(*) FROM `tabHD Ticket` WHERE name = %s", ticket),
			1,
		)


def stop(server) -> None:
	server.terminate()
	try:
		server.wait(timeout=30)
	except Exception:
		server.kill()


def wait_until_served(base: str, server) -> None:
	for _ in range(240):
		if server.poll() is not None:
			break
		try:
			urllib.request.urlopen(f"{base}/api/method/ping", timeout=2)
			return
		except Exception:
			time.sleep(0.5)
	raise RuntimeError("bench serve did not start for the copy of the site")


def settle(pair: ReplicaPair) -> None:
	"""Wait until both general logs stop growing: Frappe finishes a request (commit, session update)
	after it has sent the response."""
	last = None
	for _ in range(20):
		sizes = (pair.primary.log_size(), pair.replica.log_size())
		if sizes == last:
			return
		last = sizes
		time.sleep(0.15)
