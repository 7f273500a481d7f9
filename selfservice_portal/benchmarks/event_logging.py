"""Benchmark: portal event logging vs Frappe's own /api/method/ping, same gunicorn, same client.

	bench --site SITE execute selfservice_portal.benchmarks.event_logging.run --kwargs "{'requests_per_kind': 2000}"

Target: logging throughput ≥ 0.8x ping's. Prints throughput and latency for both and the ratio.
"""

import time
from concurrent.futures import ThreadPoolExecutor

import frappe

from selfservice_portal.benchmarks.harness import gunicorn_server, print_table, summary_ms
from selfservice_portal.demo.records import ensure_portal_user

BENCH_USER = "event-bench@ssp-bench.example"
ENDPOINT = "/api/method/selfservice_portal.api.deflection.log_portal_event"


def api_headers() -> dict:
	ensure_portal_user(BENCH_USER, "Event", "Bench")
	user = frappe.get_doc("User", BENCH_USER)
	if not user.api_key:
		user.api_key = frappe.generate_hash(length=15)
	secret = frappe.generate_hash(length=15)
	user.api_secret = secret
	user.save(ignore_permissions=True)
	frappe.db.set_single_value("SSP Deflection Settings", "event_rate_limit", 10_000_000)
	frappe.db.commit()  # nosemgrep: the server process must see the key
	return {"Authorization": f"token {user.api_key}:{secret}", "Host": frappe.local.site}


def hammer(url: str, method: str, headers: dict, count: int, concurrency: int, data: dict | None = None):
	import requests

	session_local = {}

	def one(_):
		session = session_local.setdefault(id(time), requests.Session())
		start = time.perf_counter()
		response = session.request(method, url, headers=headers, data=data, timeout=30)
		elapsed = time.perf_counter() - start
		if response.status_code != 200:
			raise RuntimeError(f"{url}: HTTP {response.status_code} {response.text[:200]}")
		return elapsed

	started = time.perf_counter()
	with ThreadPoolExecutor(concurrency) as pool:
		samples = list(pool.map(one, range(count)))
	wall = time.perf_counter() - started
	return samples, count / wall


def run(requests_per_kind: int = 1000, concurrency: int = 4, workers: int = 2) -> dict:
	headers = api_headers()
	before = frappe.db.count("SSP Portal Event", {"user": BENCH_USER})
	with gunicorn_server(workers) as base:
		hammer(f"{base}/api/method/ping", "GET", headers, 50, concurrency)  # warm-up
		hammer(f"{base}{ENDPOINT}", "POST", headers, 50, concurrency, {"event_type": "New Ticket Opened"})
		ping, ping_rps = hammer(f"{base}/api/method/ping", "GET", headers, requests_per_kind, concurrency)
		post_ping, post_ping_rps = hammer(
			f"{base}/api/method/ping", "POST", headers, requests_per_kind, concurrency
		)
		log, log_rps = hammer(
			f"{base}{ENDPOINT}",
			"POST",
			headers,
			requests_per_kind,
			concurrency,
			{"event_type": "New Ticket Opened"},
		)
	frappe.db.rollback()
	stored = frappe.db.count("SSP Portal Event", {"user": BENCH_USER}) - before
	p, pp, e = summary_ms(ping), summary_ms(post_ping), summary_ms(log)
	print_table(
		f"Event logging vs ping — {requests_per_kind} requests each, {concurrency} client threads, gunicorn -w {workers}",
		[
			("endpoint", "req/s", "median ms", "p95 ms"),
			("ping (GET)", f"{ping_rps:.0f}", f"{p['median_ms']:.1f}", f"{p['p95_ms']:.1f}"),
			("ping (POST)", f"{post_ping_rps:.0f}", f"{pp['median_ms']:.1f}", f"{pp['p95_ms']:.1f}"),
			("log_portal_event", f"{log_rps:.0f}", f"{e['median_ms']:.1f}", f"{e['p95_ms']:.1f}"),
		],
	)
	ratio = log_rps / ping_rps if ping_rps else 0.0
	post_ratio = log_rps / post_ping_rps if post_ping_rps else 0.0
	print(
		f"throughput ratio logging / ping GET: {ratio:.2f}x (target ≥ 0.80x); / ping POST: {post_ratio:.2f}x"
	)
	print(f"p95 latency: logging {e['p95_ms']:.1f} ms, ping {p['p95_ms']:.1f} ms; events stored: {stored}")
	frappe.db.delete("SSP Portal Event", {"user": BENCH_USER})
	frappe.db.commit()  # nosemgrep: benchmark clean-up
	return {
		"ping_rps": ping_rps,
		"post_ping_rps": post_ping_rps,
		"log_rps": log_rps,
		"ratio": ratio,
		"stored": stored,
	}
