"""A real browser against a real server, for the tests that must see what users see.

`BrowserTestCase` serves the test site (tests/served.py) and drives Debian's chromium with
Playwright. Tests are skipped, with the reason, where chromium or Playwright is missing.
"""

import os
import shutil
import time
import unittest
from contextlib import contextmanager

import frappe

from selfservice_portal.tests.served import PASSWORD, ServedSiteTestCase, set_password

__all__ = ["BrowserTestCase", "set_password"]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--disable-dev-shm-usage",
]

try:
	from playwright.sync_api import TimeoutError as PlaywrightTimeout
	from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
	sync_playwright = None


@unittest.skipIf(sync_playwright is None, "playwright is not installed in the bench environment")
@unittest.skipIf(not os.path.exists(CHROMIUM), "Debian's chromium is not installed")
class BrowserTestCase(ServedSiteTestCase):
	@contextmanager
	def signed_in(self, user: str, landing: str):
		"""A page signed in as `user` and sent on to `landing` by the login page itself. (Waiting for
		the session cookie and then calling goto() races the login page's own redirect.)"""
		with sync_playwright() as p:
			browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
			page = browser.new_page()
			try:
				page.goto(f"{self.base}/login?redirect-to={frappe.utils.quote(landing)}")
				page.fill("#login_email", user)
				page.fill("#login_password", PASSWORD)
				page.click(".btn-login")
				page.wait_for_url(f"**{landing}", timeout=60_000)
				yield page
			except Exception:
				page.screenshot(path=f"/tmp/ssp-browser-{self._testMethodName}.png")
				raise
			finally:
				browser.close()

	def assertHelpdeskHeaderFits(self, page, min_title_width: int = 60) -> None:
		"""Helpdesk's page header keeps room for the ticket's title beside the actions (ours among
		them), and no action is pushed off the screen."""
		left, centres, viewport = page.evaluate(
			"""() => {
				const header = document.querySelector('#app-header header');
				const [left, right] = header.children;
				const centres = [...right.querySelectorAll('button')].map((b) => {
					const box = b.getBoundingClientRect();
					return box.left + box.width / 2;
				});
				return [left.getBoundingClientRect().width, centres, window.innerWidth];
			}"""
		)
		self.assertGreaterEqual(left, min_title_width, "the actions leave no room for the ticket's title")
		# Helpdesk's own Close button ends a few pixels past a phone's edge, with or without us.
		self.assertTrue(all(0 <= x <= viewport for x in centres), "an action is pushed off the screen")

	def helpdesk_action(self, page, label: str):
		"""One of our actions in Helpdesk's ticket header: a button at desktop width; on a phone an
		entry of Helpdesk's "more" (⋯) menu, which this opens."""
		if page.viewport_size["width"] >= 640:
			return page.get_by_role("button", name=label, exact=True)
		# Helpdesk rebuilds the header (and closes an open menu) as each form script's actions
		# arrive, so the menu is opened again until the entry is in it.
		more = page.locator("#app-header header button:has(svg.feather-more-horizontal)")
		entry = page.get_by_role("menuitem", name=label)
		deadline = time.monotonic() + 60
		while True:
			more.click(timeout=60_000)
			try:
				entry.wait_for(state="visible", timeout=3_000)
				return entry
			except PlaywrightTimeout:
				if time.monotonic() > deadline:
					raise
				page.keyboard.press("Escape")

	def open_self_service_menu(self, page, item: str) -> None:
		"""Helpdesk's customer ticket view: one of the ways back to our pages, from our "Self-service"
		menu (on a phone, from Helpdesk's "more" menu)."""
		if page.viewport_size["width"] >= 640:
			page.get_by_role("button", name="Self-service", exact=True).click()
			page.get_by_role("menuitem", name=item).click()
		else:
			self.helpdesk_action(page, item).click()
