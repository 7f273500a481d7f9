"""Portal journey capture: the browser endpoint, article feedback, portal tickets, reclassification."""

import frappe

from selfservice_portal.api import deflection as api
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_article,
	make_portal_user,
	make_team,
	make_ticket,
)

SETTINGS = "SSP Deflection Settings"


class TestEventEndpoint(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.set_single_value(SETTINGS, "enable_anonymous_tracking", 0)
		frappe.db.set_single_value(SETTINGS, "event_rate_limit", 600)

	def test_portal_user_logs_their_own_event_with_one_insert(self):
		user = make_portal_user()
		frappe.set_user(user)
		before = frappe.db.count("SSP Portal Event")
		name = api.log_portal_event("New Ticket Opened")["name"]
		self.assertEqual(frappe.db.count("SSP Portal Event"), before + 1)
		self.assertEqual(
			frappe.db.get_value("SSP Portal Event", name, ["user", "event_type"]), (user, "New Ticket Opened")
		)

	def test_bad_input_is_refused_and_stores_nothing(self):
		frappe.set_user(make_portal_user())
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
		self.assertEqual(frappe.db.count("SSP Portal Event"), before)

	def test_guests_only_when_anonymous_tracking_is_on(self):
		frappe.set_user("Guest")
		with self.assertRaises(frappe.PermissionError):
			api.log_portal_event("New Ticket Opened")
		frappe.db.set_single_value(SETTINGS, "enable_anonymous_tracking", 1)
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		name = api.log_portal_event("New Ticket Opened")["name"]
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
