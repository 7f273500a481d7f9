"""Portal journey capture: the browser endpoint, article feedback, portal tickets, reclassification."""

from contextlib import contextmanager
from datetime import datetime, timedelta

import frappe
from frappe.handler import run_doc_method
from helpdesk.api import knowledge_base as hd_kb
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from selfservice_portal.api import deflection as api
from selfservice_portal.deflection import events
from selfservice_portal.deflection.article_feedback import record_missed_feedback
from selfservice_portal.deflection.kb_wrappers import get_article
from selfservice_portal.deflection.rollup import rollup_day
from selfservice_portal.deflection.settings import DeflectionRules
from selfservice_portal.tests import IntegrationTestCase, flush_portal_events
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_article,
	make_portal_user,
	make_team,
	make_ticket,
)

SETTINGS = "SSP Deflection Settings"


@contextmanager
def http_request(path: str, user: str, ip: str = "192.0.2.1", user_agent: str = "Test Browser"):
	"""The POST request Frappe would be serving for ``user``: the address its auth sets, the browser's
	header. Restored afterwards so no other test sees it."""
	previous = (getattr(frappe.local, "request", None), getattr(frappe.local, "request_ip", None))
	frappe.local.request = Request(
		EnvironBuilder(path=path, method="POST", headers={"User-Agent": user_agent}).get_environ()
	)
	frappe.local.request_ip = ip
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user("Administrator")
		frappe.local.request, frappe.local.request_ip = previous


def guest_request(ip: str, user_agent: str):
	return http_request(
		"/api/method/selfservice_portal.api.deflection.log_portal_event", "Guest", ip, user_agent
	)


def random_ip() -> str:
	# unique per run: rate-limit counters live in Redis for the hour, across test runs
	return "2001:db8::" + frappe.generate_hash(length=4)


def set_tracking(anonymous: bool, rate_limit: int = 600) -> None:
	frappe.db.set_single_value(
		SETTINGS, {"enable_anonymous_tracking": int(anonymous), "event_rate_limit": rate_limit}
	)
	frappe.clear_document_cache(SETTINGS, SETTINGS)


def set_feedback(user: str, article: str, value: int) -> None:
	"""What Helpdesk's article page sends: run_doc_method(HD Article, set_feedback, {value})."""
	with http_request("/api/method/run_doc_method", user):
		run_doc_method("set_feedback", dt="HD Article", dn=article, args={"value": value})


def feedback_events(user: str, article: str) -> list[str]:
	return frappe.get_all(
		"SSP Portal Event",
		filters={"user": user, "hd_article": article},
		order_by="creation asc",
		pluck="event_type",
	)


class TestEventEndpoint(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.set_single_value(SETTINGS, "enable_anonymous_tracking", 0)
		frappe.db.set_single_value(SETTINGS, "event_rate_limit", 600)

	def test_portal_user_logs_their_own_event_with_one_insert(self):
		user = make_portal_user()
		frappe.set_user(user)
		flush_portal_events()
		before = frappe.db.count("SSP Portal Event")
		name = api.log_portal_event("New Ticket Opened")["name"]
		self.assertEqual(flush_portal_events(), 1)
		self.assertEqual(frappe.db.count("SSP Portal Event"), before + 1)
		self.assertEqual(
			frappe.db.get_value("SSP Portal Event", name, ["user", "event_type"]), (user, "New Ticket Opened")
		)

	def test_bad_input_is_refused_and_stores_nothing(self):
		frappe.set_user(make_portal_user())
		flush_portal_events()
		before = frappe.db.count("SSP Portal Event")
		for kwargs, message in (
			({"event_type": "Hacked"}, "Unknown event type"),
			({"event_type": "Ticket Submitted"}, "recorded by the server"),
			({"event_type": "New Ticket Opened", "query": "x" * 141}, "too long"),
			({"event_type": "New Ticket Opened", "result_count": -1}, "between 0 and"),
			({"event_type": "New Ticket Opened", "article": "nope"}, "was not found"),
		):
			with self.assertRaises(frappe.ValidationError) as ctx:
				api.log_portal_event(**kwargs)
			self.assertIn(message, str(ctx.exception))
		self.assertEqual(flush_portal_events(), 0)
		self.assertEqual(frappe.db.count("SSP Portal Event"), before)

	def test_guests_only_when_anonymous_tracking_is_on(self):
		frappe.set_user("Guest")
		with self.assertRaises(frappe.PermissionError):
			api.log_portal_event("New Ticket Opened")
		frappe.db.set_single_value(SETTINGS, "enable_anonymous_tracking", 1)
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		name = api.log_portal_event("New Ticket Opened")["name"]
		flush_portal_events()
		self.assertTrue(frappe.db.exists("SSP Portal Event", name))
		self.assertIsNone(frappe.db.get_value("SSP Portal Event", name, "user"))

	def test_rate_limited_per_user(self):
		frappe.db.set_single_value(SETTINGS, "event_rate_limit", 2)
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		first, second = make_portal_user(), make_portal_user()
		frappe.set_user(first)
		api.log_portal_event("New Ticket Opened")
		api.log_portal_event("New Ticket Opened")
		with self.assertRaises(frappe.RateLimitExceededError):
			api.log_portal_event("New Ticket Opened")
		frappe.set_user(second)
		api.log_portal_event("New Ticket Opened")  # another user's budget is untouched

	def test_the_endpoint_and_the_pages_share_one_budget(self):
		"""The endpoint counts and buffers in one Redis script, the catalog's pages count with
		within_rate_limit: one budget per user and hour, and over it nothing is buffered."""
		set_tracking(anonymous=False, rate_limit=2)
		frappe.set_user(make_portal_user())
		flush_portal_events()
		self.assertTrue(events.within_rate_limit())
		self.assertTrue(api.log_portal_event("New Ticket Opened")["name"])
		with self.assertRaises(frappe.RateLimitExceededError):
			api.log_portal_event("New Ticket Opened")
		self.assertFalse(events.within_rate_limit())
		self.assertEqual(flush_portal_events(), 1)

	def test_only_managers_recompute_rollups(self):
		frappe.set_user(make_agent())
		with self.assertRaises(frappe.PermissionError):
			api.recompute_rollups("2026-01-01", "2026-01-31")
		frappe.set_user("Administrator")
		with self.assertRaises(frappe.ValidationError):
			api.recompute_rollups("2026-02-01", "2026-01-01")
		self.assertTrue(api.recompute_rollups("2026-01-01", "2026-01-02")["job_id"])


class TestCapture(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_article_feedback_becomes_helpful_events(self):
		article = make_article()
		user = make_portal_user()
		feedback = frappe.get_doc(
			{"doctype": "HD Article Feedback", "user": user, "article": article, "feedback": "1"}
		).insert(ignore_permissions=True)
		self.assertEqual(
			frappe.db.count("SSP Portal Event", {"user": user, "event_type": "Article Helpful"}), 1
		)
		feedback.feedback = "2"
		feedback.save(ignore_permissions=True)
		self.assertEqual(
			frappe.db.count("SSP Portal Event", {"user": user, "event_type": "Article Not Helpful"}), 1
		)
		feedback.save(ignore_permissions=True)  # unchanged: no new event
		self.assertEqual(frappe.db.count("SSP Portal Event", {"user": user, "hd_article": article}), 2)

	def test_portal_ticket_ends_the_journey(self):
		user = make_portal_user()
		frappe.set_user(user)
		ticket = frappe.get_doc(
			{"doctype": "HD Ticket", "subject": "Help", "raised_by": user, "via_customer_portal": 1}
		).insert()
		self.assertTrue(
			frappe.db.exists(
				"SSP Portal Event", {"event_type": "Ticket Submitted", "user": user, "hd_ticket": ticket.name}
			)
		)

	def test_agent_changing_a_portal_ticket_classification_is_flagged(self):
		agent = make_agent()
		team, other_team = make_team(agents=(agent,)), make_team()
		ticket = make_ticket(make_portal_user(), team=team, channel="Portal")
		frappe.set_user(agent)
		doc = frappe.get_doc("HD Ticket", ticket)
		doc.subject = "Clarified"
		doc.save()
		self.assertFalse(frappe.db.get_value("HD Ticket", ticket, "ssp_reclassified"))
		doc.agent_group = other_team
		doc.save()
		self.assertTrue(frappe.db.get_value("HD Ticket", ticket, "ssp_reclassified"))

	def test_email_tickets_are_not_reclassifications(self):
		agent = make_agent()
		other_team = make_team()
		ticket = make_ticket(make_portal_user(), team=make_team(agents=(agent,)), channel="Email")
		frappe.set_user(agent)
		doc = frappe.get_doc("HD Ticket", ticket)
		doc.agent_group = other_team
		doc.save()
		self.assertFalse(frappe.db.get_value("HD Ticket", ticket, "ssp_reclassified"))


class TestRateLimitKeys(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		set_tracking(anonymous=False)

	def test_a_guest_changing_browser_keeps_the_same_budget(self):
		set_tracking(anonymous=True, rate_limit=2)
		ip = random_ip()
		with guest_request(ip, "Browser A"):
			api.log_portal_event("New Ticket Opened")
			api.log_portal_event("New Ticket Opened")
		with guest_request(ip, "Browser B"), self.assertRaises(frappe.RateLimitExceededError):
			api.log_portal_event("New Ticket Opened")
		with guest_request(random_ip(), "Browser B"):
			api.log_portal_event("New Ticket Opened")  # another address has its own budget

	def test_guest_article_views_are_rate_limited_and_still_answered(self):
		article = make_article()
		set_tracking(anonymous=True, rate_limit=2)
		with guest_request(random_ip(), "Browser A"):
			session = events.session_key()
			expected = hd_kb.get_article(article)
			answers = [get_article(article) for _ in range(4)]
		self.assertEqual(answers, [expected] * 4)
		flush_portal_events()
		self.assertEqual(
			frappe.db.count("SSP Portal Event", {"session_id": session, "event_type": "Article View"}), 2
		)


class TestAgentsAreNotPortalJourneys(IntegrationTestCase):
	"""Agents read and search the knowledge base at work and never raise portal tickets: recorded, their
	reading would all turn into inferred deflections."""

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_agent_knowledge_base_use_is_not_recorded(self):
		agent, article = make_agent(), make_article()
		set_feedback(agent, article, 1)
		frappe.set_user(agent)
		self.assertEqual(get_article(article), hd_kb.get_article(article))
		self.assertIsNone(api.log_portal_event("New Ticket Opened")["name"])
		frappe.set_user("Administrator")
		flush_portal_events()
		self.assertEqual(frappe.db.count("SSP Portal Event", {"user": agent}), 0)
		self.assertTrue(frappe.db.exists("HD Article Feedback", {"user": agent, "article": article}))

	def test_the_same_steps_of_a_portal_user_are_recorded(self):
		user, article = make_portal_user(), make_article()
		set_feedback(user, article, 1)
		frappe.set_user(user)
		get_article(article)
		frappe.set_user("Administrator")
		flush_portal_events()
		self.assertEqual(
			sorted(frappe.get_all("SSP Portal Event", filters={"user": user}, pluck="event_type")),
			["Article Helpful", "Article View"],
		)

	def test_events_are_attributed_to_the_reader_whoever_is_signed_in(self):
		"""Helpdesk's is_agent(user) is true for everyone while Administrator is signed in."""
		user = make_portal_user()
		self.assertEqual(frappe.session.user, "Administrator")
		self.assertTrue(events.log_event("Article View", user=user))
		self.assertIsNone(events.log_event("Article View", user=make_agent()))


class TestFeedbackChanges(IntegrationTestCase):
	"""Helpdesk inserts a reader's first answer and changes it later with db.set_value (no doc_events)."""

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_changing_the_answer_through_helpdesk_is_recorded(self):
		user, article = make_portal_user(), make_article()
		set_feedback(user, article, 2)
		set_feedback(user, article, 1)
		set_feedback(user, article, 1)  # Helpdesk ignores a repeated click: nothing new
		self.assertEqual(frappe.db.get_value("HD Article Feedback", {"user": user}, "feedback"), "1")
		self.assertEqual(feedback_events(user, article), ["Article Not Helpful", "Article Helpful"])
		set_feedback(user, article, 0)  # withdrawn, then given again: a new answer
		set_feedback(user, article, 1)
		self.assertEqual(
			feedback_events(user, article), ["Article Not Helpful", "Article Helpful", "Article Helpful"]
		)

	def test_a_journey_whose_answer_changed_to_helped_is_a_confirmed_deflection(self):
		day = datetime(2025, 6, 17, 9)
		frappe.db.delete(
			"SSP Portal Event", {"creation": ("between", [day - timedelta(days=2), day + timedelta(days=2)])}
		)
		user, article = make_portal_user(), make_article()
		frappe.set_user(user)
		get_article(article)
		frappe.set_user("Administrator")
		set_feedback(user, article, 2)
		set_feedback(user, article, 1)
		flush_portal_events()
		names = frappe.get_all(
			"SSP Portal Event", filters={"user": user}, order_by="creation asc", pluck="name"
		)
		for minute, name in enumerate(names):
			frappe.db.set_value(
				"SSP Portal Event", name, "creation", day + timedelta(minutes=minute), update_modified=False
			)
		rules = DeflectionRules(gap=timedelta(minutes=30), window=timedelta(hours=72))
		rollup_day(day.date(), rules)
		row = frappe.get_all(
			"SSP Daily Stat",
			filters={"stat_date": day.date(), "channel": "Portal", "department": ("is", "not set")},
			fields=["kb_journeys", "confirmed_deflections", "inferred_deflections"],
		)
		self.assertEqual([tuple(r.values()) for r in row], [(1, 1, 0)])

	def test_answers_changed_where_no_hook_sees_them_are_recorded_nightly(self):
		user, article = make_portal_user(), make_article()
		set_feedback(user, article, 2)
		since = frappe.utils.now_datetime()
		frappe.set_user(user)
		frappe.get_doc("HD Article", article).set_feedback(1)  # a direct call: no run_method, no hook
		frappe.set_user("Administrator")
		self.assertEqual(feedback_events(user, article), ["Article Not Helpful"])
		self.assertEqual(record_missed_feedback(since), 1)
		self.assertEqual(record_missed_feedback(since), 0)
		self.assertEqual(feedback_events(user, article), ["Article Not Helpful", "Article Helpful"])
		changed_on = frappe.db.get_value("HD Article Feedback", {"user": user}, "modified")
		self.assertEqual(
			frappe.db.get_value(
				"SSP Portal Event", {"user": user, "event_type": "Article Helpful"}, "creation"
			),
			changed_on,
		)


class TestReclassificationOfTheDefaultType(IntegrationTestCase):
	"""Helpdesk fills in HD Settings' default ticket type when the requester picks none."""

	def setUp(self):
		self.set_default_type("Unspecified")
		self.agent = make_agent()
		self.ticket = make_ticket(make_portal_user(), team=make_team(agents=(self.agent,)), channel="Portal")

	def tearDown(self):
		frappe.set_user("Administrator")
		self.set_default_type(None)

	def set_default_type(self, ticket_type: str | None) -> None:
		frappe.db.set_single_value("HD Settings", "default_ticket_type", ticket_type)
		frappe.clear_document_cache("HD Settings", "HD Settings")

	def change_type(self, ticket_type: str) -> bool:
		frappe.set_user(self.agent)
		doc = frappe.get_doc("HD Ticket", self.ticket)
		doc.ticket_type = ticket_type
		doc.save()
		frappe.set_user("Administrator")
		return bool(frappe.db.get_value("HD Ticket", self.ticket, "ssp_reclassified"))

	def test_replacing_the_default_type_is_not_a_reclassification(self):
		self.assertEqual(frappe.db.get_value("HD Ticket", self.ticket, "ticket_type"), "Unspecified")
		self.assertFalse(self.change_type("Bug"))

	def test_changing_a_type_the_requester_chose_still_is(self):
		frappe.db.set_value("HD Ticket", self.ticket, "ticket_type", "Question")
		self.assertTrue(self.change_type("Bug"))
