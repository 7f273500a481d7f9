"""The contest manager's console in Desk, in a real browser: the lifecycle buttons call the API and the
server's answer shows on the form."""

import frappe

from selfservice_portal.contests.test_contests import make_contest, nomination, travel_to_judging
from selfservice_portal.tests.browser import BrowserTestCase, set_password
from selfservice_portal.tests.test_utils import make_agent


class TestContestConsoleInABrowser(BrowserTestCase):
	@classmethod
	def make_fixtures(cls):
		cls.manager = set_password(make_agent(first_name="Contest"))
		frappe.get_doc("User", cls.manager).add_roles("SSP Manager")
		cls.draft = make_contest([nomination("Most independent user", "portal_tickets")])
		cls.finished = make_contest([nomination("Most independent user", "portal_tickets")])
		travel_to_judging(cls.finished)

	def run_action(self, page, label: str, confirm: bool) -> None:
		page.click(".page-actions button:has-text('Actions')")
		page.click(f".page-actions .dropdown-menu a:has-text('{label}')")
		if confirm:
			page.click(".modal.show .btn-primary")

	def test_manager_announces_a_draft(self):
		with self.signed_in(self.manager, f"/app/ssp-contest/{self.draft}") as page:
			page.wait_for_selector(".page-actions button:has-text('Actions')", timeout=30_000)
			self.run_action(page, "Announce", confirm=True)
			page.wait_for_selector(".indicator-pill:has-text('Announced')", timeout=30_000)
		frappe.db.rollback()  # see what the server committed
		self.assertEqual(frappe.db.get_value("SSP Contest", self.draft, "status"), "Announced")

	def test_manager_starts_judging_in_the_background(self):
		with self.signed_in(self.manager, f"/app/ssp-contest/{self.finished}") as page:
			page.wait_for_selector(".page-actions button:has-text('Actions')", timeout=30_000)
			self.run_action(page, "Judge", confirm=False)
			page.wait_for_selector("text=Judging started in the background", timeout=30_000)
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("SSP Contest", self.finished, "judging_job"), f"ssp-judge-{self.finished}"
		)
