"""A real browser on a real server: a portal user signs in, opens a department, fills a service form,
submits, and the ticket exists. Debian's chromium driven by Playwright; the test starts `bench serve`
itself on a free localhost port. Skipped (with the reason) where chromium or Playwright is missing."""

import os
import shutil
import subprocess
import time
import unittest

import frappe

from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_department,
	make_portal_user,
	make_service,
	make_team,
)

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
	import socket

	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


@unittest.skipIf(sync_playwright is None, "playwright is not installed in the bench environment")
@unittest.skipIf(not os.path.exists(CHROMIUM), "Debian's chromium is not installed")
class TestCatalogInABrowser(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.user = make_portal_user(first_name="Browser")
		user = frappe.get_doc("User", cls.user)
		user.new_password = PASSWORD
		user.save(ignore_permissions=True)
		cls.team = make_team(agents=(make_agent(),))
		cls.department = make_department(team=cls.team, name=f"Browser Dept {frappe.generate_hash(length=4)}")
		cls.service = make_service(
			cls.department,
			title="Ergonomic chair",
			fields=[
				{"label": "Model", "fieldtype": "Select", "options": "Standard\nErgonomic", "is_required": 1},
				{"label": "Room", "fieldtype": "Data", "is_required": 1},
				{"label": "Needed from", "fieldtype": "Date"},
			],
		)
		frappe.db.commit()  # nosemgrep: the server process must see the fixtures
		cls.port = free_port()
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
		cls.base = f"http://127.0.0.1:{cls.port}"
		import urllib.request

		for _ in range(120):
			try:
				urllib.request.urlopen(f"{cls.base}/api/method/ping", timeout=2)
				break
			except Exception:
				time.sleep(0.5)
		else:
			cls.server.terminate()
			raise RuntimeError("bench serve did not start")

	@classmethod
	def tearDownClass(cls):
		cls.server.terminate()
		cls.server.wait(timeout=30)
		super().tearDownClass()

	def test_portal_user_requests_a_service(self):
		with sync_playwright() as p:
			browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
			page = browser.new_page()
			try:
				# Sign in the way a user following a link does: the login page sends them on to the
				# catalog itself. (Waiting for the session cookie and then calling goto() races the
				# login page's own redirect; under load the two navigations collide.)
				page.goto(f"{self.base}/login?redirect-to=/service-catalog")
				page.fill("#login_email", self.user)
				page.fill("#login_password", PASSWORD)
				page.click(".btn-login")
				page.wait_for_url("**/service-catalog", timeout=60_000)
				page.wait_for_selector("a.ssp-department-link")
				page.click(f"a.ssp-department-link[href*='{frappe.utils.quote(self.department)}']")
				page.wait_for_selector(".ssp-service")
				page.click("text=Ergonomic chair")
				page.wait_for_selector(".ssp-request-form")
				page.select_option("#ssp-model", "Ergonomic")
				page.fill("#ssp-room", "3.14")
				page.fill("#ssp-needed_from", "2026-12-01")
				page.click(".ssp-submit")
				page.wait_for_url("**/helpdesk/my-tickets/**", timeout=30_000)
				ticket_id = page.url.rstrip("/").split("/")[-1]
			except Exception:
				page.screenshot(path="/tmp/ssp-browser-failure.png")
				raise
			finally:
				browser.close()
		frappe.db.rollback()  # see what the server committed
		ticket = frappe.db.get_value(
			"HD Ticket", ticket_id, ["raised_by", "ssp_service", "agent_group", "subject"], as_dict=True
		)
		self.assertEqual(
			(ticket.raised_by, ticket.ssp_service, ticket.agent_group), (self.user, self.service, self.team)
		)
		self.assertEqual(ticket.subject, "Ergonomic chair: Ergonomic")
