"""A real browser against a real server, for the tests that must see what users see.

`BrowserTestCase` serves the test site (tests/served.py) and drives Debian's chromium with
Playwright. Tests are skipped, with the reason, where chromium or Playwright is missing.
"""

import os
import shutil
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
