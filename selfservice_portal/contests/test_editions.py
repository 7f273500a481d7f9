"""The next edition of a contest: its period, its title, and the preview a manager confirms."""

from datetime import datetime, timedelta

import frappe

from selfservice_portal.api import contests as api
from selfservice_portal.contests.test_contests import (
	END,
	START,
	ContestCase,
	make_contest,
	nomination,
)
from selfservice_portal.tests.test_utils import (
	make_contest_manager,
)


class TestNextEdition(ContestCase):
	def test_a_half_year_is_followed_by_the_next_half_year(self):
		from selfservice_portal.contests.ranking import period_label

		name = make_contest(
			[nomination("Most independent user", "independence")],
			title="Portal Champions H1 2025",
			starts_on=START,
			ends_on=END,
		)
		doc = frappe.get_doc("SSP Contest", name)
		# Drafted in March 2025, while H1 runs: the next half-year.
		new = frappe.get_doc("SSP Contest", doc.draft_next(now=datetime(2025, 3, 1)))
		self.assertEqual(
			(new.starts_on, new.ends_on), (datetime(2025, 7, 1), datetime(2025, 12, 31, 23, 59, 59))
		)
		self.assertEqual(period_label(new.starts_on, new.ends_on), "H2 2025")
		self.assertEqual(new.title, "Portal Champions H2 2025")
		# Drafted in November 2025, when H2 is mostly past: not H2 2025 but H1 2026, which has not begun.
		new = frappe.get_doc("SSP Contest", doc.draft_next(now=datetime(2025, 11, 15)))
		self.assertEqual(
			(new.starts_on, new.ends_on), (datetime(2026, 1, 1), datetime(2026, 6, 30, 23, 59, 59))
		)
		self.assertEqual(new.title, "Portal Champions H1 2026")
		quarter = make_contest(
			[nomination("N", "portal_tickets")],
			title="Q4 push",
			starts_on=datetime(2025, 10, 1),
			ends_on=datetime(2026, 1, 1),
		)
		new = frappe.get_doc(
			"SSP Contest",
			frappe.get_doc("SSP Contest", quarter).draft_next(now=datetime(2025, 12, 1)),
		)
		self.assertEqual((new.starts_on, new.ends_on), (datetime(2026, 1, 1), datetime(2026, 4, 1)))
		self.assertEqual((period_label(new.starts_on, new.ends_on), new.title), ("Q1 2026", "Q4 push (next)"))

	def test_the_manager_is_shown_the_next_edition_before_it_is_created_and_it_starts_in_the_future(self):
		name = make_contest(
			[nomination("Most independent user", "independence", eligibility_floor=5)],
			title="Portal Champions H1 2025",
			starts_on=START,
			ends_on=END,
		)
		frappe.set_user(make_contest_manager())
		before = frappe.db.count("SSP Contest")
		preview = api.preview_next_contest(name)
		self.assertEqual(frappe.db.count("SSP Contest"), before)  # a preview creates nothing
		self.assertEqual(
			preview["nominations"], [{"title": "Most independent user", "metric": "Independence"}]
		)
		now = frappe.utils.now_datetime()
		starts_on = preview["starts_on"]
		# Whatever today is: the first half-year that has not begun, never one under way.
		self.assertGreater(starts_on, now)
		self.assertIn(starts_on.month, (1, 7))
		self.assertLessEqual(starts_on - now, timedelta(days=185))
		self.assertEqual(
			preview["period"],
			"{} to {}".format(
				frappe.utils.formatdate(starts_on.date()), frappe.utils.formatdate(preview["ends_on"].date())
			),
		)
		self.assertEqual(preview["title"], f"Portal Champions {preview['period_label']}")
		new = frappe.get_doc("SSP Contest", api.draft_next_contest(name)["contest"])
		self.assertEqual(
			(new.title, new.starts_on, new.ends_on), (preview["title"], starts_on, preview["ends_on"])
		)
