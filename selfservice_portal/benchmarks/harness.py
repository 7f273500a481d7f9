"""Shared timing helpers for the benchmark scripts (figures printed, never asserted)."""

import os
import socket
import statistics
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import frappe


def percentile(values: list[float], pct: float) -> float:
	ordered = sorted(values)
	if not ordered:
		return 0.0
	index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
	return ordered[index]


def summary_ms(samples: list[float]) -> dict:
	return {
		"median_ms": statistics.median(samples) * 1000 if samples else 0.0,
		"p95_ms": percentile(samples, 95) * 1000,
		"mean_ms": statistics.fmean(samples) * 1000 if samples else 0.0,
	}


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


@contextmanager
def gunicorn_server(workers: int = 2) -> Iterator[str]:
	"""Frappe behind gunicorn on a free localhost port, for the current site; stopped on exit."""
	bench = frappe.utils.get_bench_path()
	port = free_port()
	process = subprocess.Popen(
		[
			os.path.join(bench, "env", "bin", "gunicorn"),
			"-b",
			f"127.0.0.1:{port}",
			"-w",
			str(workers),
			"-t",
			"120",
			"--preload",
			"frappe.app:application",
		],
		cwd=os.path.join(bench, "sites"),
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
	)
	url = f"http://127.0.0.1:{port}"
	try:
		import requests

		for _ in range(120):
			try:
				if requests.get(f"{url}/api/method/ping", headers={"Host": frappe.local.site}, timeout=2).ok:
					break
			except requests.RequestException:
				time.sleep(0.5)
		else:
			raise RuntimeError("gunicorn did not start")
		yield url
	finally:
		process.terminate()
		process.wait(timeout=30)


def print_table(title: str, rows: list[tuple]) -> None:
	print(f"\n{title}")
	widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
	for row in rows:
		print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
