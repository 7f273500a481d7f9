"""Every portal page of the app, at a phone's width (390 px) and a desktop's (1280 px), in a real
browser: it opens for its user, says what it is, and never scrolls sideways.

Screenshots of each page at each width go to /tmp/ssp-shots (``SSP_SHOTS`` overrides the folder);
docs/screenshots/ holds reduced copies of them.
"""

import os

import frappe

from selfservice_portal.service_catalog.catalog import get_viewer
from selfservice_portal.service_catalog.intake import submit_request
from selfservice_portal.tests.browser import BrowserTestCase, set_password
from selfservice_portal.tests.test_utils import (
	TEST_DOMAIN,
	make_badge,
	make_department,
	make_portal_user,
	make_service,
	make_team,
)

SHOTS = os.environ.get("SSP_SHOTS", "/tmp/ssp-shots")
WIDTHS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 900}}


class TestPagesAtPhoneWidth(BrowserTestCase):
	@classmethod
	def make_fixtures(cls):
		department = make_department(team=make_team(), name=f"Phone Dept {frappe.generate_hash(length=4)}")
		# Fixed addresses: the fixtures are committed, and each run must not add portal users.
		cls.requester = set_password(make_portal_user(f"phone-requester@{TEST_DOMAIN}", first_name="Pia"))
		cls.approver = set_password(make_portal_user(f"phone-approver@{TEST_DOMAIN}", first_name="Aaron"))
		frappe.db.set_value("User", cls.requester, "ssp_manager", cls.approver)
		cls.service = make_service(
			department,
			title="A service with a rather long title to see how it wraps on a phone",
			approval_steps=[{"approver_type": "Requester's Manager", "step_label": "Manager"}],
		)
		frappe.set_user(cls.requester)
		try:
			cls.request = submit_request(
				cls.service,
				{"what": "A long answer that wraps " * 5, "details": "https://example.com/" + "x" * 120},
				get_viewer(cls.requester),
			)["request"]
		finally:
			frappe.set_user("Administrator")
		if not frappe.db.exists("SSP Badge Award", {"user": cls.requester, "status": "Active"}):
			make_badge(cls.requester, "Bronze")

	def pages(self) -> list[tuple[str, str, str, str]]:
		"""(screenshot name, user, path, a text the page must show)."""
		return [
			("home", self.requester, "/self-service", "My open requests"),
			("catalog", self.requester, "/service-catalog", "Service Catalog"),
			(
				"request",
				self.requester,
				f"/service-catalog/request?service={self.service}",
				"rather long title",
			),
			("my-requests", self.requester, "/my-requests", "rather long title"),
			("approval", self.approver, f"/service-approval?request={self.request}", "rather long title"),
			("approvals", self.approver, "/service-approval", "My Approvals"),
			("contests", self.requester, "/contests", "Contests"),
			("badges", self.requester, "/my-badges", "My Badges"),
			("polls", self.requester, "/polls", "Polls"),
		]

	def test_every_page_fits_a_phone_and_a_desktop(self):
		os.makedirs(SHOTS, exist_ok=True)
		for user in (self.requester, self.approver):
			with self.signed_in(user, "/self-service") as page:
				for name, owner, path, expected in self.pages():
					if owner != user:
						continue
					for width, viewport in WIDTHS.items():
						with self.subTest(page=name, width=width):
							page.set_viewport_size(viewport)
							response = page.goto(f"{self.base}{path}")
							self.assertEqual(response.status, 200, path)
							page.wait_for_load_state("networkidle")
							self.assertIn(expected, page.inner_text(".page_content"))
							scroll, inner = page.evaluate(
								"[document.documentElement.scrollWidth, window.innerWidth]"
							)
							page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
							self.assertLessEqual(scroll, inner, f"{path} scrolls sideways at {width} px")
