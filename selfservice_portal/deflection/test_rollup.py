"""The SQL roll-up on a real site against constructed journeys with hand-computed numbers, and held
to the same answer as the pure journey builder."""

from datetime import datetime, timedelta

import frappe

from selfservice_portal.deflection import journeys as pure
from selfservice_portal.deflection.rollup import days_to_recompute, rollup_day
from selfservice_portal.deflection.settings import DeflectionRules
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_agent, make_department, make_portal_user, make_ticket

DAY = datetime(2025, 3, 10)
RULES = DeflectionRules(gap=timedelta(minutes=30), window=timedelta(hours=72))


def at(hours: float) -> datetime:
	return DAY + timedelta(hours=hours)


def add_event(when: datetime, user: str, kind: str, **values: str | int | None) -> None:
	name = frappe.get_doc({"doctype": "SSP Portal Event", "event_type": kind, "user": user, **values}).insert(
		ignore_permissions=True, ignore_links=True
	)
	frappe.db.set_value("SSP Portal Event", name.name, "creation", when, update_modified=False)


class TestRollup(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.db.delete(
			"SSP Portal Event", {"creation": ("between", [DAY - timedelta(days=2), DAY + timedelta(days=3)])}
		)
		cls.it = make_department()
		u = {
			k: make_portal_user(first_name=k.title())
			for k in ("ann", "bob", "cat", "dan", "eve", "fay", "gus")
		}
		cls.users = u
		add_event(at(9), u["ann"], "Article View", hd_article="A1")
		add_event(at(9.05), u["ann"], "Article Helpful", hd_article="A1")
		add_event(at(10), u["bob"], "KB Search", query="vpn", result_count=4)
		add_event(at(10.1), u["bob"], "Article View", hd_article="A2")
		add_event(at(11), u["cat"], "Article View", hd_article="A3")
		add_event(at(11.2), u["cat"], "Ticket Submitted")
		add_event(at(12), u["dan"], "KB Search", query="toner", result_count=0)
		add_event(at(13), u["eve"], "Service Viewed", department=cls.it)
		add_event(at(13.02), u["eve"], "Articles Suggested", department=cls.it, result_count=2)
		add_event(at(14), u["fay"], "Article View", hd_article="A4")
		# gus: a journey that started the evening before and ran past midnight belongs to that day
		add_event(at(-0.2), u["gus"], "Article View", hd_article="A5")
		add_event(at(0.1), u["gus"], "Article View", hd_article="A6")
		# an agent reading at work, stored before agents' steps were left out: not a portal journey
		cls.agent = make_agent()
		add_event(at(15), cls.agent, "Article View", hd_article="A7")
		add_event(at(15.05), cls.agent, "Article Helpful", hd_article="A7")
		# fay files a ticket two days later: inside the 72 h window, so no deflection
		cls.fay_ticket = make_ticket(u["fay"], subject="Still broken")
		frappe.db.set_value("HD Ticket", cls.fay_ticket, "creation", at(48), update_modified=False)
		cls.email_ticket = make_ticket(u["dan"], subject="Toner please", channel="Email")
		frappe.db.set_value(
			"HD Ticket",
			cls.email_ticket,
			{"creation": at(12.5), "ssp_department": cls.it},
			update_modified=False,
		)

	def stats(self):
		rollup_day(DAY.date(), RULES)
		rows = frappe.get_all("SSP Daily Stat", filters={"stat_date": DAY.date()}, fields=["*"])
		return {(r.department, r.channel): r for r in rows}

	def test_hand_computed_day(self):
		stats = self.stats()
		portal = stats[(None, "Portal")]
		# kb journeys: ann, bob, cat, fay (dan found nothing; gus belongs to the day before)
		self.assertEqual(portal.kb_journeys, 4)
		self.assertEqual((portal.confirmed_deflections, portal.inferred_deflections), (1, 1))  # ann; bob
		self.assertEqual(portal.tickets_after_kb, 2)  # cat submitted, fay's later ticket
		self.assertEqual(portal.pending_journeys, 0)
		it_portal = stats[(self.it, "Portal")]
		self.assertEqual((it_portal.kb_journeys, it_portal.inferred_deflections), (1, 1))  # eve
		self.assertEqual(stats[(self.it, "Email")].tickets, 1)

	def test_recomputing_replaces_the_day(self):
		first = self.stats()
		second = self.stats()
		self.assertEqual(len(first), len(second))
		self.assertEqual(frappe.db.count("SSP Daily Stat", {"stat_date": DAY.date()}), len(second))

	def test_sql_and_python_agree(self):
		events = [
			pure.Event(
				e.creation,
				e.user,
				e.event_type,
				article=e.hd_article,
				department=e.department,
				result_count=e.result_count,
			)
			for e in frappe.get_all(
				"SSP Portal Event",
				filters={
					"creation": ("between", [DAY - timedelta(days=1), DAY + timedelta(days=2)]),
					"user": ("in", list(self.users.values())),
				},
				fields=["creation", "user", "event_type", "hd_article", "department", "result_count"],
			)
		]
		tickets = {}
		for t in frappe.get_all(
			"HD Ticket",
			filters={"raised_by": ("in", list(self.users.values()))},
			fields=["raised_by", "creation", "name"],
		):
			tickets.setdefault(t.raised_by, []).append((t.creation, t.name))
		built = pure.build_journeys(events, tickets, RULES.gap, RULES.window, datetime.now())
		on_day = [j for j in built if j.start.date() == DAY.date()]
		summary = pure.summarise(on_day)
		stats = self.stats()
		portal_rows = [r for (d, c), r in stats.items() if c == "Portal"]
		self.assertEqual(summary.kb_journeys, sum(r.kb_journeys for r in portal_rows))
		self.assertEqual(summary.confirmed, sum(r.confirmed_deflections for r in portal_rows))
		self.assertEqual(summary.inferred, sum(r.inferred_deflections for r in portal_rows))
		self.assertEqual(summary.tickets_after_kb, sum(r.tickets_after_kb for r in portal_rows))
		gus = next(j for j in built if j.key == self.users["gus"])
		self.assertEqual(len(gus.events), 2)


class TestNightlyDays(IntegrationTestCase):
	"""A ticket is counted on the day it was raised; closing, rating or reclassifying it weeks later
	must reach that day's roll-up."""

	def test_days_of_tickets_and_contacts_changed_since_the_last_run_are_recomputed(self):
		raised, untouched, contacted = (
			datetime(2025, 1, 8, 10),
			datetime(2025, 1, 9, 10),
			datetime(2025, 1, 10, 10),
		)
		user, self.department = make_portal_user(), make_department()
		ticket, other = make_ticket(user, channel="Email"), make_ticket(user, channel="Email")
		for name, when in ((ticket, raised), (other, untouched)):
			frappe.db.set_value(
				"HD Ticket",
				name,
				{"creation": when, "opening_date": when.date(), "ssp_department": self.department},
				update_modified=False,
			)
		rollup_day(raised.date(), RULES)
		self.assertEqual(self.closed_on(raised), 0)

		since = frappe.utils.now_datetime()
		doc = frappe.get_doc("HD Ticket", ticket)
		doc.status = "Closed"
		doc.save(ignore_permissions=True)
		frappe.get_doc(
			{"doctype": "SSP Contact Log", "channel": "Phone", "contact_on": contacted, "summary": "Call"}
		).insert()

		today = frappe.utils.getdate()
		days = days_to_recompute(since, today)
		self.assertIn(raised.date(), days)
		self.assertIn(contacted.date(), days)
		self.assertNotIn(untouched.date(), days)
		self.assertIn(frappe.utils.add_days(today, -1), days)  # the deflection windows still closing
		self.assertNotIn(today, days)
		rollup_day(raised.date(), RULES)
		self.assertEqual(self.closed_on(raised), 1)

	def closed_on(self, day: datetime) -> int:
		return sum(
			frappe.get_all(
				"SSP Daily Stat",
				filters={"stat_date": day.date(), "channel": "Email", "department": self.department},
				pluck="closed_tickets",
			)
		)
