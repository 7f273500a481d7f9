"""A real server for the test site, and a client that talks to it as a user would.

`ServedSiteTestCase` starts `bench serve` for the test site on a free localhost port (the fixtures a
subclass builds in `make_fixtures` are committed first, so the server sees them). `SiteClient` signs
in with a password and sends real HTTP requests: the doors an attacker would use (`/api/resource`,
`/api/method`, www pages) are tested through those doors, not through our Python functions.
"""

import json
import os
import socket
import subprocess
import time
import urllib.request

import frappe
import requests

from selfservice_portal.tests import IntegrationTestCase

PASSWORD = "Ssp-Browser-Test-1!"


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
	if hasattr(frappe, "is_setup_complete"):  # Frappe 15.6x and later: per installed app
		if not frappe.is_setup_complete():
			frappe.db.set_value("Installed Application", {"app_name": "frappe"}, "is_setup_complete", 1)
	elif not frappe.db.get_single_value("System Settings", "setup_complete"):
		frappe.db.set_single_value("System Settings", "setup_complete", 1)


def bench_serve(site: str, port: int, sites: str | None = None) -> subprocess.Popen:
	"""`bench serve` for ``site`` on ``port`` (no reloader), from the bench's sites directory or from
	``sites`` (a `PrivateQueues` directory); the caller terminates it."""
	bench = frappe.utils.get_bench_path()
	return subprocess.Popen(
		[
			os.path.join(bench, "env", "bin", "python"),
			"-m",
			"frappe.utils.bench_helper",
			"frappe",
			"--site",
			site,
			"serve",
			"--port",
			str(port),
			"--noreload",
		],
		cwd=sites or os.path.join(bench, "sites"),
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
	)


class SiteClient:
	"""One signed-in user (or a guest) on the served site."""

	def __init__(self, base: str, user: str | None = None):
		self.base = base
		self.user = user or "Guest"
		self.session = requests.Session()
		self.session.headers["Accept"] = "application/json"
		if user:
			response = self.session.post(f"{base}/api/method/login", data={"usr": user, "pwd": PASSWORD})
			if response.status_code != 200:
				raise AssertionError(
					f"{user} could not sign in: {response.status_code} {response.text[:300]}"
				)

	def request(self, method: str, path: str, **kwargs) -> requests.Response:
		return self.session.request(method, f"{self.base}{path}", timeout=120, **kwargs)

	def call(self, method: str, http: str = "POST", **args) -> requests.Response:
		"""A whitelisted method as frappe.call sends it: form fields, values that are not text as JSON."""
		data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in args.items()}
		if http == "GET":
			return self.request("GET", f"/api/method/{method}", params=data)
		return self.request("POST", f"/api/method/{method}", data=data)

	def resource(self, method: str, doctype: str, name: str | None = None, **kwargs) -> requests.Response:
		path = f"/api/resource/{requests.utils.quote(doctype)}"
		if name is not None:
			path += f"/{requests.utils.quote(name, safe='')}"
		return self.request(method, path, **kwargs)


class ServedSiteTestCase(IntegrationTestCase):
	# A sites directory to serve from instead of the bench's (its common_site_config applies).
	served_from: str | None = None

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
		cls.server = bench_serve(frappe.local.site, cls.port, cls.served_from)
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

	def client(self, user: str | None = None) -> SiteClient:
		return SiteClient(self.base, user)
