"""The contest manager's console in Desk, in a real browser: the lifecycle buttons call the API and the
server's answer shows on the form; Draft Next Contest asks first; an awarded contest reads as a record;
standings, metrics and the impact report are named for people. Screenshots: /tmp/ssp-shots/desk-*.png."""

import os
from datetime import datetime
from typing import TYPE_CHECKING

import frappe

from selfservice_portal.contests.test_contest_desk import END, START, awarded_contest
from selfservice_portal.contests.test_contests import make_contest, nomination, travel_to_judging
from selfservice_portal.tests.browser import BrowserTestCase, set_password
from selfservice_portal.tests.test_utils import make_agent, make_portal_user

if TYPE_CHECKING:
	from playwright.sync_api import Page

SHOTS = "/tmp/ssp-shots"


class TestContestConsoleInABrowser(BrowserTestCase):
	@classmethod
	def make_fixtures(cls):
		cls.manager = set_password(make_agent(first_name="Contest"))
		frappe.get_doc("User", cls.manager).add_roles("SSP Manager")
		# Whole minutes: Frappe's datetime picker drops seconds, so a start with seconds would open the
		# form as "Not Saved" and hide the status the test waits for.
		tomorrow = datetime.combine(frappe.utils.add_days(frappe.utils.getdate(), 1), datetime.min.time())
		cls.draft = make_contest(
			[nomination("Most independent user", "portal_tickets")],
			starts_on=tomorrow,
			ends_on=frappe.utils.add_days(tomorrow, 30),
		)
		cls.finished = make_contest([nomination("Most independent user", "portal_tickets")])
		travel_to_judging(cls.finished)
		frappe.db.delete("HD Ticket", {"creation": ("between", [START, END])})
		cls.users = {n: make_portal_user(first_name=n) for n in ("Ada", "Ben", "Cy")}
		cls.awarded = awarded_contest(cls.users)
		# A cancelled contest of a future half-year: its next edition is H2 2030 whatever today is.
		cls.cancelled = make_contest(
			[nomination("Most independent user", "independence", eligibility_floor=3)],
			title="Spring Drive H1 2030",
			starts_on=datetime(2030, 1, 1),
			ends_on=datetime(2030, 6, 30, 23, 59, 59),
		)
		frappe.get_doc("SSP Contest", cls.cancelled).cancel_contest()

	def shot(self, page: "Page", name: str) -> None:
		os.makedirs(SHOTS, exist_ok=True)
		page.screenshot(path=f"{SHOTS}/desk-{name}.png", full_page=True)

	def run_action(self, page: "Page", label: str, confirm: bool) -> None:
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

	def test_draft_next_contest_shows_what_it_will_create_and_waits_for_confirmation(self):
		period = "{} to {}".format(
			frappe.utils.formatdate("2030-07-01"), frappe.utils.formatdate("2030-12-31")
		)
		with self.signed_in(self.manager, f"/app/ssp-contest/{self.cancelled}") as page:
			page.wait_for_selector(".page-actions button:has-text('Draft Next Contest')", timeout=30_000)
			page.click(".page-actions button:has-text('Draft Next Contest')")
			dialog = page.wait_for_selector(".modal.show .ssp-next-contest", timeout=30_000)
			text = dialog.inner_text()
			self.assertIn("Spring Drive H2 2030", text)
			self.assertIn(period, text)
			self.assertIn("Most independent user (Independence)", text)
			self.shot(page, "draft-next")
			frappe.db.rollback()
			self.assertFalse(frappe.db.exists("SSP Contest", {"previous_contest": self.cancelled}))
			page.click(".modal.show .btn-primary:has-text('Create Draft')")
			page.wait_for_url(
				lambda url: "/app/ssp-contest/" in url and self.cancelled not in url, timeout=30_000
			)
		frappe.db.rollback()
		new = frappe.get_all(
			"SSP Contest", {"previous_contest": self.cancelled}, ["title", "status", "starts_on", "ends_on"]
		)
		self.assertEqual(
			[(n.title, n.status, n.starts_on, n.ends_on) for n in new],
			[("Spring Drive H2 2030", "Draft", datetime(2030, 7, 1), datetime(2030, 12, 31, 23, 59, 59))],
		)

	def test_an_awarded_contest_reads_as_a_record_with_named_metrics(self):
		with self.signed_in(self.manager, f"/app/ssp-contest/{self.awarded}") as page:
			intro = page.wait_for_selector(
				".form-message:has-text('This contest was awarded on')", timeout=30_000
			)
			self.assertIn("can no longer be edited", intro.inner_text())
			self.assertFalse(page.locator(".page-actions .primary-action:has-text('Save')").is_visible())
			self.assertEqual(page.evaluate("cur_frm.fields_dict.title.disp_status"), "Read")
			grid = page.locator("[data-fieldname='nominations'] .grid-body").inner_text()
			self.assertIn("Independence", grid)
			self.assertNotIn("independence", grid)
			self.shot(page, "awarded")

	def test_standings_list_names_participants_in_rank_order(self):
		with self.signed_in(self.manager, f"/app/ssp-contest-standing?contest={self.awarded}") as page:
			# The list first shows every standing, then the contest's three.
			page.wait_for_function(
				"() => document.querySelectorAll('.list-row-container').length === 3", timeout=30_000
			)
			rows = [r.split("\n") for r in page.locator(".list-row-container").all_inner_texts()]
			# Each nomination by rank, the unranked last; names and results, not ids.
			self.assertEqual(
				[[cell.strip() for cell in r if cell.strip()][:3] for r in rows],
				[
					["Ada User", "Rank 1 · 67 %", "Most independent user"],
					["Ben User", "Rank 2 · 33 %", "Most independent user"],
					["Cy User", "Not ranked · 100 %", "Most independent user"],
				],
			)
			self.assertNotIn(self.awarded, page.inner_text(".frappe-list"))
			self.shot(page, "standings")

	def test_contest_impact_shows_the_title_and_explains_the_figures(self):
		with self.signed_in(self.manager, "/app/ssp-contest") as page:
			page.goto(f"{self.base}/app/query-report/SSP%20Contest%20Impact?contest={self.awarded}")
			page.wait_for_selector(".dt-scrollable .dt-row", timeout=30_000)
			page.wait_for_timeout(500)
			self.assertIn(
				"Portal share = requests through the portal", page.inner_text(".report-wrapper, .page-body")
			)
			cells = page.locator(".dt-scrollable .dt-cell__content--col-1").all_inner_texts()
			self.assertIn("Desk Stars H1 2021", " ".join(cells))
			self.assertNotIn(self.awarded, " ".join(cells))
			page.wait_for_timeout(1500)  # the chart's animation
			self.shot(page, "impact")
