"""The write-behind of portal events, on a served site: events logged over HTTP wait in Redis, the
flush writes each of them once with the time it was logged, and a flush repeated or retried with
the same rows records nothing twice."""

import frappe
import frappe.deferred_insert
from frappe.utils import get_datetime, getdate, now_datetime

from selfservice_portal.deflection.events import QUEUE_KEY, buffered_count, defer_event, flush_events
from selfservice_portal.deflection.rollup import rollup_range
from selfservice_portal.tests import IntegrationTestCase, flush_portal_events
from selfservice_portal.tests.served import ServedSiteTestCase, set_password
from selfservice_portal.tests.test_utils import make_portal_user

ENDPOINT = "selfservice_portal.api.deflection.log_portal_event"


class TestEventWriteBehind(ServedSiteTestCase):
	@classmethod
	def make_fixtures(cls):
		cls.user = set_password(make_portal_user())

	def setUp(self):
		flush_portal_events()  # whatever earlier tests left in the buffer

	def log_over_http(self, count: int) -> list[str]:
		client = self.client(self.user)
		names = []
		for _ in range(count):
			response = client.call(ENDPOINT, event_type="New Ticket Opened")
			self.assertEqual(response.status_code, 200, response.text[:300])
			names.append(response.json()["message"]["name"])
		self.assertEqual(len(set(names)), count)
		return names

	def stored(self, names: list[str]) -> dict[str, int]:
		rows = frappe.get_all(
			"SSP Portal Event",
			filters={"name": ("in", names)},
			fields=["name", "count(*) as n"],
			group_by="name",
		)
		return {r.name: r.n for r in rows}

	def test_events_wait_in_redis_until_the_flush_writes_each_once(self):
		logged_from = now_datetime().replace(microsecond=0)
		names = self.log_over_http(3)
		logged_to = now_datetime()
		frappe.db.rollback()  # a fresh snapshot: what the server committed
		self.assertEqual(self.stored(names), {})
		self.assertGreaterEqual(buffered_count(), 3)

		# Frappe's own deferred-insert flush leaves our queue alone (it would re-stamp the rows).
		frappe.deferred_insert.save_to_db()
		self.assertEqual(self.stored(names), {})

		self.assertGreaterEqual(flush_events(commit=False), 3)
		self.assertEqual(self.stored(names), dict.fromkeys(names, 1))
		rows = frappe.get_all(
			"SSP Portal Event",
			filters={"name": ("in", names)},
			fields=["user", "event_type", "creation", "session_id"],
		)
		for row in rows:
			self.assertEqual((row.user, row.event_type), (self.user, "New Ticket Opened"))
			self.assertTrue(row.session_id)
			# the time of the step, not of the flush: journeys are cut by it
			self.assertTrue(logged_from <= get_datetime(row.creation) <= logged_to, row.creation)

		self.assertEqual(flush_events(commit=False), 0)  # flushing again writes nothing
		self.assertEqual(self.stored(names), dict.fromkeys(names, 1))

	def test_a_retried_flush_records_nothing_twice(self):
		names = self.log_over_http(2)
		key = frappe.cache.make_key(QUEUE_KEY)
		entries = [e for e in frappe.cache.lrange(QUEUE_KEY, 0, -1) if any(n.encode() in e for n in names)]
		self.assertEqual(len(entries), 2)
		self.assertGreaterEqual(flush_events(commit=False), 2)
		# What a flush whose commit answer was lost does: the same batch goes back to the list.
		pipe = frappe.cache.pipeline()
		pipe.lpush(key, *reversed(entries))
		pipe.execute()
		self.assertEqual(flush_events(commit=False), 0)
		self.assertEqual(self.stored(names), dict.fromkeys(names, 1))
		self.assertFalse(
			[e for e in frappe.cache.lrange(QUEUE_KEY, 0, -1) if any(n.encode() in e for n in names)]
		)


class TestRollupsCountFlushedEvents(IntegrationTestCase):
	def test_a_rollup_flushes_the_buffer_before_it_counts(self):
		"""An event logged at 23:59:59 may still be in Redis when the nightly job rolls that day up: the
		roll-up writes the buffer first, so the event is in the table it counts."""
		user = make_portal_user()
		name = defer_event("KB Search", user=user, query="vpn token", result_count=2)
		self.assertFalse(frappe.db.exists("SSP Portal Event", name))
		try:
			rollup_range(getdate(), getdate())  # commits, as the job does
			self.assertEqual(frappe.db.count("SSP Portal Event", {"name": name}), 1)
		finally:
			frappe.db.delete("SSP Portal Event", {"user": user})
			frappe.db.commit()  # nosemgrep: the roll-up committed this test's event
