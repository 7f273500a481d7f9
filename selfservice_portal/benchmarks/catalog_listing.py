"""Benchmark: the catalog listing for a portal user vs Helpdesk's knowledge-base category listing,
called the same way on the same site.

	bench --site SITE execute selfservice_portal.benchmarks.catalog_listing.run --kwargs "{'repeat': 300}"

Target: ≤ 1.2x Helpdesk's time, and no query per service. Builds 10 departments x 50 services (some
restricted by role or customer) under the prefix "Bench Dept"; they stay for re-runs (delete with
``cleanup``).
"""

import time
from collections.abc import Callable

import frappe

from selfservice_portal.benchmarks.harness import print_table, summary_ms
from selfservice_portal.demo.records import ensure_article, ensure_customer, ensure_portal_user, ensure_team

PREFIX = "Bench Dept"
USER = "catalog-bench@ssp-bench.example"
CUSTOMER = "SSP Catalog Bench"


def seed(departments: int, services: int) -> None:
	ensure_customer(CUSTOMER)
	ensure_portal_user(USER, "Catalog", "Bench", CUSTOMER)
	team = ensure_team("Bench Team")
	for d in range(1, departments + 1):
		name = f"{PREFIX} {d:02d}"
		if frappe.db.exists("SSP Department", name):
			continue
		frappe.get_doc(
			{"doctype": "SSP Department", "department_name": name, "hd_team": team, "sort_order": d}
		).insert()
		for s in range(1, services + 1):
			visibility = ("Everyone", "Roles", "Customers and Contacts")[s % 3]
			frappe.get_doc(
				{
					"doctype": "SSP Service",
					"department": name,
					"title": f"Bench service {d:02d}-{s:02d}",
					"short_description": "A service made for the benchmark",
					"visibility": visibility,
					"visible_roles": [{"role": "SSP Manager"}] if visibility == "Roles" else [],
					"visible_to": [{"audience_doctype": "HD Customer", "audience_name": CUSTOMER}]
					if visibility == "Customers and Contacts"
					else [],
					"form_fields": [{"label": "What", "fieldtype": "Data", "is_required": 1}],
				}
			).insert()
	for c in range(1, 11):
		for a in range(1, 4):
			ensure_article(f"Bench article {c}-{a}", "<p>Bench</p>", f"Bench category {c}")
	frappe.db.commit()  # nosemgrep: benchmark data, reused by re-runs


def count_queries(fn: Callable[[], object]) -> int:
	original, counter = frappe.db.sql, {"n": 0}

	def counting(*args: object, **kwargs: object) -> object:
		counter["n"] += 1
		return original(*args, **kwargs)

	frappe.db.sql = counting
	try:
		fn()
	finally:
		frappe.db.sql = original
	return counter["n"]


def timed(method: str, repeat: int) -> list[float]:
	frappe.call(method)  # warm-up, like a browser that already loaded the page once
	samples = []
	for _ in range(repeat):
		frappe.local.response = frappe._dict()
		started = time.perf_counter()
		frappe.call(method)
		samples.append(time.perf_counter() - started)
	return samples


def run(repeat: int = 300, departments: int = 10, services: int = 50) -> dict:
	seed(int(departments), int(services))
	frappe.set_user(USER)
	ours_method = "selfservice_portal.api.catalog.get_catalog"
	theirs_method = "helpdesk.api.knowledge_base.get_categories"
	listed = sum(len(d["services"]) for d in frappe.call(ours_method))
	ours, theirs = timed(ours_method, int(repeat)), timed(theirs_method, int(repeat))
	ours_q, theirs_q = (
		count_queries(lambda: frappe.call(ours_method)),
		count_queries(lambda: frappe.call(theirs_method)),
	)
	frappe.set_user("Administrator")
	o, t = summary_ms(ours), summary_ms(theirs)
	print_table(
		f"Catalog listing for a portal user ({listed} visible of {departments}x{services} services), {repeat} calls each",
		[
			("method", "median ms", "p95 ms", "mean ms", "SQL queries per call"),
			(
				"get_catalog (ours)",
				f"{o['median_ms']:.2f}",
				f"{o['p95_ms']:.2f}",
				f"{o['mean_ms']:.2f}",
				ours_q,
			),
			(
				"get_categories (Helpdesk)",
				f"{t['median_ms']:.2f}",
				f"{t['p95_ms']:.2f}",
				f"{t['mean_ms']:.2f}",
				theirs_q,
			),
		],
	)
	ratio = o["median_ms"] / t["median_ms"] if t["median_ms"] else 0
	print(f"ratio (median ours / Helpdesk): {ratio:.2f}x (target ≤ 1.2x)")
	return {
		"ratio": ratio,
		"ours": o,
		"theirs": t,
		"queries": {"ours": ours_q, "theirs": theirs_q},
		"listed": listed,
	}


def cleanup() -> None:
	for name in frappe.get_all("SSP Department", {"name": ("like", f"{PREFIX}%")}, pluck="name"):
		for service in frappe.get_all("SSP Service", {"department": name}, pluck="name"):
			frappe.delete_doc("SSP Service", service, force=True)
		frappe.delete_doc("SSP Department", name, force=True)
	frappe.db.commit()  # nosemgrep: benchmark clean-up
