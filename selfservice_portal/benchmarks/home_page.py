"""Benchmark: the self-service home (/self-service) against the catalog page (/service-catalog), both
served by gunicorn and fetched over HTTP by the same signed-in portal user, alternately.

	bench --site SITE execute selfservice_portal.benchmarks.home_page.run --kwargs "{'repeat': 200}"

Target: the home's median server time ≤ 1.5x the catalog page's. The user has open requests, one
waiting for their approval, a running contest and badges, so every part of the home has data; the
catalog is the 10x50 services of ``catalog_listing`` (reused, so both pages list the same services).
"""

import time

import frappe
import requests

from selfservice_portal.benchmarks.catalog_listing import USER, count_queries
from selfservice_portal.benchmarks.catalog_listing import seed as seed_catalog
from selfservice_portal.benchmarks.harness import gunicorn_server, print_table, summary_ms
from selfservice_portal.demo.records import ensure_portal_user

PASSWORD = "Bench-Home-1!"
APPROVER = "home-bench-approver@ssp-bench.example"


def seed() -> None:
	from frappe.utils.password import update_password

	from selfservice_portal.service_catalog.catalog import get_viewer
	from selfservice_portal.service_catalog.intake import submit_request
	from selfservice_portal.tests.test_utils import make_badge

	seed_catalog(10, 50)
	ensure_portal_user(APPROVER, "Home", "Approver", None)
	frappe.db.set_value("User", USER, "ssp_manager", APPROVER)
	update_password(USER, PASSWORD)
	service = frappe.db.get_value("SSP Service", {"title": "Bench service 01-03"})
	if service and not frappe.db.exists("SSP Approval Step", {"parent": service}):
		doc = frappe.get_doc("SSP Service", service)
		doc.append("approval_steps", {"approver_type": "Requester's Manager", "step_label": "Manager"})
		doc.save()
	if frappe.db.count("SSP Request", {"requester": USER}) < 5:
		frappe.set_user(USER)
		try:
			for n in range(5):
				submit_request(service, {"what": f"Bench request {n}"}, get_viewer(USER))
		finally:
			frappe.set_user("Administrator")
	if not frappe.db.exists("SSP Badge Award", {"user": USER}):
		make_badge(USER, "Gold")
	frappe.db.commit()  # nosemgrep: benchmark data, reused by re-runs


def fetch_times(session: requests.Session, url: str, repeat: int) -> tuple[list[float], list[float]]:
	home, catalog = [], []
	for path in ("/self-service", "/service-catalog"):  # warm-up
		session.get(url + path, timeout=60).raise_for_status()
	for _ in range(repeat):
		for path, samples in (("/self-service", home), ("/service-catalog", catalog)):
			started = time.perf_counter()
			response = session.get(url + path, timeout=60)
			samples.append(time.perf_counter() - started)
			response.raise_for_status()
	return home, catalog


def run(repeat: int = 200) -> dict:
	repeat = int(repeat)
	seed()
	with gunicorn_server(workers=1) as url:
		session = requests.Session()
		session.headers["Host"] = frappe.local.site  # gunicorn serves every site of the bench
		session.post(
			f"{url}/api/method/login", data={"usr": USER, "pwd": PASSWORD}, timeout=60
		).raise_for_status()
		home, catalog = fetch_times(session, url, repeat)
	h, c = summary_ms(home), summary_ms(catalog)
	queries = page_queries()
	print_table(
		f"Self-service home vs catalog page, one portal user, {repeat} alternating GETs each (gunicorn, 1 worker)",
		[
			("page", "median ms", "p95 ms", "mean ms", "SQL queries (warm)"),
			(
				"/self-service",
				f"{h['median_ms']:.2f}",
				f"{h['p95_ms']:.2f}",
				f"{h['mean_ms']:.2f}",
				queries["home"],
			),
			(
				"/service-catalog",
				f"{c['median_ms']:.2f}",
				f"{c['p95_ms']:.2f}",
				f"{c['mean_ms']:.2f}",
				queries["catalog"],
			),
		],
	)
	ratio = h["median_ms"] / c["median_ms"] if c["median_ms"] else 0
	print(f"ratio (median home / catalog page): {ratio:.2f}x (target ≤ 1.5x)")
	return {"ratio": ratio, "home": h, "catalog": c, "queries": queries}


def page_queries() -> dict:
	"""SQL statements of each page's data, with warm caches, as the benchmark user."""
	from selfservice_portal.service_catalog import catalog
	from selfservice_portal.service_catalog.home import get_home

	frappe.set_user(USER)
	try:
		get_home(USER)
		catalog.get_catalog(catalog.get_viewer(USER))
		return {
			"home": count_queries(lambda: get_home(USER)),
			"catalog": count_queries(lambda: catalog.get_catalog(catalog.get_viewer(USER))),
		}
	finally:
		frappe.set_user("Administrator")
