"""A real browser against a real server, for the tests that must see what users see.

`BrowserTestCase` starts `bench serve` for the test site on a free localhost port (the fixtures a
subclass builds in `make_fixtures` are committed first, so the server sees them) and drives Debian's
chromium with Playwright. Tests are skipped, with the reason, where chromium or Playwright is missing.
"""

import os
import shutil
import socket
import subprocess
import time
import unittest
import urllib.request
from contextlib import contextmanager

import frappe

from selfservice_portal.tests import IntegrationTestCase

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
PASSWORD = "Ssp-Browser-Test-1!"

try:
	from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
	sync_playwright = None


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def set_password(user: str) -> str:
	doc = frappe.get_doc("User", user)
	doc.new_password = PASSWORD
	doc.save(ignore_permissions=True)
	return user


def skip_setup_wizard() -> None:
	"""Desk sends a System Manager to the setup wizard until the site has been set up; a fresh test
	site never was. Mark it set up, as a real site after its first login is (the wizard's other
	effects — language, time zone, currency — already have defaults on a new site)."""
	if not frappe.is_setup_complete():
		frappe.db.set_value("Installed Application", {"app_name": "frappe"}, "is_setup_complete", 1)


@unittest.skipIf(sync_playwright is None, "playwright is not installed in the bench environment")
@unittest.skipIf(not os.path.exists(CHROMIUM), "Debian's chromium is not installed")
class BrowserTestCase(IntegrationTestCase):
	@classmethod
	def make_fixtures(cls) -> None:
		"""Build what the server must see; committed before it starts."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		skip_setup_wizard()
		cls.make_fixtures()
		frappe.db.commit()  # nosemgrep: the server process must see the fixtures
		cls.port = free_port()
		cls.base = f"http://127.0.0.1:{cls.port}"
		bench = frappe.utils.get_bench_path()
		cls.server = subprocess.Popen(
			[
				os.path.join(bench, "env", "bin", "python"),
				"-m",
				"frappe.utils.bench_helper",
				"frappe",
				"--site",
				frappe.local.site,
				"serve",
				"--port",
				str(cls.port),
				"--noreload",
			],
			cwd=os.path.join(bench, "sites"),
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
		)
		for _ in range(120):
			try:
				urllib.request.urlopen(f"{cls.base}/api/method/ping", timeout=2)
				return
			except Exception:
				time.sleep(0.5)
		cls.server.terminate()
		raise RuntimeError("bench serve did not start")

	@classmethod
	def tearDownClass(cls):
		cls.server.terminate()
		cls.server.wait(timeout=30)
		super().tearDownClass()

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
