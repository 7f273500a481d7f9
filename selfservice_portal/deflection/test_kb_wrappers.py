"""Our wrappers around Helpdesk's knowledge-base methods, pinned to Helpdesk v1.25.1.

If Helpdesk changes these methods' names, signatures or results, these tests fail loudly: the
wrappers in hooks.override_whitelisted_methods must then be revisited, not silently kept.
"""

import inspect
from collections.abc import Callable
from unittest.mock import patch

import frappe
from helpdesk.api import article as hd_article
from helpdesk.api import knowledge_base as hd_kb
from helpdesk.helpdesk.doctype.hd_article.hd_article import HDArticle

from selfservice_portal.deflection import kb_wrappers
from selfservice_portal.deflection.events import SEARCH_FAILED
from selfservice_portal.tests import IntegrationTestCase, flush_portal_events
from selfservice_portal.tests.test_utils import make_article, make_portal_user

PINNED_HELPDESK = "1.25.1"


def unwrapped(fn: Callable) -> Callable:
	return inspect.unwrap(fn)


def resolve_override(cmd: str) -> str:
	"""The method /api/method/<cmd> runs: frappe.override_whitelisted_method where Frappe has it (15.6x
	and later), else the last hook, as frappe.handler.execute_cmd of earlier v15 reads it."""
	if hasattr(frappe, "override_whitelisted_method"):
		return frappe.override_whitelisted_method(cmd)
	return (frappe.get_hooks("override_whitelisted_methods", {}).get(cmd) or [cmd])[-1]


def call_over_http(cmd: str, **kwargs: str) -> object:
	"""What /api/method/<cmd> runs: the override hook decides which function answers."""
	return frappe.call(frappe.get_attr(resolve_override(cmd)), **kwargs)


class TestKnowledgeBaseWrappers(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		# Without Redis, a failed search's event is queued to be written again after a rollback: the
		# one that ends this class would commit it (TestFailedSearch covers the failed search).
		frappe.db.after_rollback.reset()

	def test_pinned_to_the_helpdesk_version_we_wrap(self):
		import helpdesk

		self.assertEqual(
			helpdesk.__version__,
			PINNED_HELPDESK,
			"Helpdesk changed: re-check selfservice_portal.deflection.kb_wrappers against it, then update the pin",
		)
		overrides = frappe.get_hooks("override_whitelisted_methods", app_name="selfservice_portal")
		self.assertEqual(
			overrides["helpdesk.api.knowledge_base.get_article"],
			["selfservice_portal.deflection.kb_wrappers.get_article"],
		)
		self.assertEqual(
			overrides["helpdesk.api.article.search"], ["selfservice_portal.deflection.kb_wrappers.search"]
		)

	def test_same_signatures_and_guest_access(self):
		for ours, theirs in (
			(kb_wrappers.get_article, hd_kb.get_article),
			(kb_wrappers.search, hd_article.search),
		):
			self.assertEqual(inspect.signature(unwrapped(ours)), inspect.signature(unwrapped(theirs)))
			self.assertEqual(ours in frappe.guest_methods, theirs in frappe.guest_methods)

	def test_article_view_returns_helpdesk_result_and_logs_once(self):
		article = make_article()
		user = make_portal_user()
		frappe.set_user(user)
		expected = hd_kb.get_article(article)
		got = call_over_http("helpdesk.api.knowledge_base.get_article", name=article)
		self.assertEqual(got, expected)
		flush_portal_events()
		self.assertEqual(
			frappe.db.count(
				"SSP Portal Event", {"event_type": "Article View", "user": user, "hd_article": article}
			),
			1,
		)

	def test_helpdesk_errors_stay_helpdesks_errors(self):
		user = make_portal_user()
		frappe.set_user(user)
		with self.assertRaises(frappe.DoesNotExistError):
			call_over_http("helpdesk.api.knowledge_base.get_article", name="no-such-article")
		flush_portal_events()
		self.assertFalse(frappe.db.exists("SSP Portal Event", {"event_type": "Article View", "user": user}))

	def test_search_logs_the_query_even_when_helpdesk_search_fails(self):
		user = make_portal_user()
		frappe.set_user(user)
		try:
			expected = ("ok", hd_article.search("reset password"))
		except Exception as e:
			expected = ("error", type(e))
		try:
			got = ("ok", call_over_http("helpdesk.api.article.search", query="reset password"))
		except Exception as e:
			got = ("error", type(e))
		self.assertEqual(got[0], expected[0])
		if got[0] == "ok":
			self.assertEqual(got[1], expected[1])
		flush_portal_events()
		event = frappe.get_last_doc("SSP Portal Event", filters={"event_type": "KB Search", "user": user})
		self.assertEqual(event.query, "reset password")
		self.assertEqual(event.result_count, len(got[1]) if got[0] == "ok" else SEARCH_FAILED)

	def test_feedback_method_we_observe(self):
		"""hooks.doc_events["HD Article"]["set_feedback"] runs after Helpdesk's whitelisted method when the
		portal calls it through run_doc_method (deflection/article_feedback.py)."""
		self.assertEqual(list(inspect.signature(HDArticle.set_feedback).parameters), ["self", "value"])
		self.assertIn(HDArticle.set_feedback, frappe.whitelisted)
		hooks = frappe.get_hooks("doc_events", app_name="selfservice_portal")
		self.assertEqual(
			hooks["HD Article"]["set_feedback"],
			["selfservice_portal.deflection.article_feedback.after_set_feedback"],
		)

	def test_markup_in_a_query_is_not_stored(self):
		user = make_portal_user()
		frappe.set_user(user)
		try:
			call_over_http(
				"helpdesk.api.article.search", query="<img src=x onerror=alert(1)>vpn <b>token</b>"
			)
		except Exception:
			pass  # Helpdesk's search may fail on a bench without RediSearch; the event is what counts here
		flush_portal_events()
		event = frappe.get_last_doc("SSP Portal Event", filters={"event_type": "KB Search", "user": user})
		self.assertEqual(event.query, "vpn token")


class TestFailedSearch(IntegrationTestCase):
	"""Frappe rolls back a request that raised; the failed search is still a step of the journey."""

	def test_failed_search_event_survives_the_requests_rollback(self):
		user = make_portal_user()
		frappe.set_user(user)
		try:
			# Helpdesk's own failure, made certain: its search answers 500 without RediSearch.
			with (
				patch.object(hd_article, "search", side_effect=RuntimeError("unknown command 'FT.SEARCH'")),
				self.assertRaises(RuntimeError),
			):
				call_over_http("helpdesk.api.article.search", query="printer jam")
		finally:
			frappe.set_user("Administrator")
		frappe.db.rollback()  # what frappe.app does with a POST that raised
		flush_portal_events()
		try:
			self.assertEqual(
				frappe.get_all(
					"SSP Portal Event",
					filters={"user": user, "event_type": "KB Search"},
					fields=["query", "result_count"],
				),
				[{"query": "printer jam", "result_count": SEARCH_FAILED}],
			)
		finally:
			frappe.db.delete("SSP Portal Event", {"user": user})
			frappe.db.commit()  # nosemgrep: leaves no event of this test behind
