"""Benchmark: portal event logging vs Frappe's own /api/method/ping (GET and POST), same gunicorn,
same client.

	bench --site SITE execute selfservice_portal.benchmarks.event_logging.run --kwargs "{'requests_per_kind': 1500}"

Target: logging throughput ≥ 0.95x of ping POST's (both end in a commit), p95 ≤ 1.2x ping POST's.
The three kinds run in alternating rounds, so a noisy neighbour hits all of them alike. Events are
written behind (``deflection.events.defer_event``): the run ends with the flush that writes them,
timed on its own, and checks that every logged event was stored once.
"""

import time
from concurrent.futures import ThreadPoolExecutor

import frappe

from selfservice_portal.benchmarks.harness import gunicorn_server, print_table, summary_ms
from selfservice_portal.deflection.events import buffered_count, flush_events
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


def hammer(
	url: str, method: str, headers: dict, count: int, concurrency: int, data: dict | None = None
) -> tuple[list[float], float]:
	import requests

	session_local = {}

	def one(_: int) -> float:
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


def run(requests_per_kind: int = 1000, concurrency: int = 4, workers: int = 2, rounds: int = 5) -> dict:
	headers = api_headers()
	flush_events()
	before = frappe.db.count("SSP Portal Event", {"user": BENCH_USER})
	event = {"event_type": "New Ticket Opened"}
	kinds = {
		"ping (GET)": ("/api/method/ping", "GET", None),
		"ping (POST)": ("/api/method/ping", "POST", None),
		"log_portal_event (POST)": (ENDPOINT, "POST", event),
	}
	samples = {kind: [] for kind in kinds}
	walls = dict.fromkeys(kinds, 0.0)
	per_round = max(1, requests_per_kind // rounds)
	logged = 0
	with gunicorn_server(workers) as base:
		for path, method, data in kinds.values():  # warm-up
			hammer(f"{base}{path}", method, headers, 50, concurrency, data)
		logged += 50
		order = list(kinds)
		for i in range(rounds):
			for kind in order[i % len(order) :] + order[: i % len(order)]:
				path, method, data = kinds[kind]
				taken, kind_rps = hammer(f"{base}{path}", method, headers, per_round, concurrency, data)
				samples[kind] += taken
				walls[kind] += per_round / kind_rps
		logged += per_round * rounds
	frappe.db.rollback()
	buffered = buffered_count()
	started = time.perf_counter()
	flushed = flush_events()
	flush_s = time.perf_counter() - started
	stored = frappe.db.count("SSP Portal Event", {"user": BENCH_USER}) - before
	rps = {kind: len(samples[kind]) / walls[kind] for kind in kinds}
	stats = {kind: summary_ms(samples[kind]) for kind in kinds}
	rows = [("endpoint", "req/s", "p50 ms", "p95 ms")]
	for kind in kinds:
		rows.append(
			(kind, f"{rps[kind]:.0f}", f"{stats[kind]['median_ms']:.1f}", f"{stats[kind]['p95_ms']:.1f}")
		)
	print_table(
		f"Event logging vs ping — {per_round * rounds} requests each in {rounds} alternating rounds, "
		f"{concurrency} client threads, gunicorn -w {workers}",
		rows,
	)
	log, get, post = "log_portal_event (POST)", "ping (GET)", "ping (POST)"
	ratio_get = rps[log] / rps[get]
	ratio_post = rps[log] / rps[post]
	p95_ratio_post = stats[log]["p95_ms"] / stats[post]["p95_ms"]
	p95_ratio_get = stats[log]["p95_ms"] / stats[get]["p95_ms"]
	print(f"throughput logging / ping POST: {ratio_post:.2f}x (target ≥ 0.95x); / ping GET: {ratio_get:.2f}x")
	print(f"p95 logging / ping POST: {p95_ratio_post:.2f}x (target ≤ 1.2x); / ping GET: {p95_ratio_get:.2f}x")
	print(
		f"write-behind: {buffered} events buffered, flushed {flushed} rows in {flush_s * 1000:.0f} ms "
		f"({flushed / flush_s if flush_s else 0:.0f} rows/s); stored {stored} of {logged} logged"
	)
	frappe.db.delete("SSP Portal Event", {"user": BENCH_USER})
	frappe.db.commit()  # nosemgrep: benchmark clean-up
	return {
		"rps": rps,
		"p50_ms": {k: v["median_ms"] for k, v in stats.items()},
		"p95_ms": {k: v["p95_ms"] for k, v in stats.items()},
		"ratio_post": ratio_post,
		"ratio_get": ratio_get,
		"p95_ratio_post": p95_ratio_post,
		"flushed": flushed,
		"flush_s": flush_s,
		"stored": stored,
		"logged": logged,
	}
