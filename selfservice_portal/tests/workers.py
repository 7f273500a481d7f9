"""Real RQ worker processes for tests, on queues no other process of the bench uses.

Frappe names its queues ``<bench_id>:<queue>``. `PrivateQueues` makes a sites directory of links to
this bench's, whose ``common_site_config.json`` is the bench's with a ``bench_id`` of its own: workers
(and a server, see `ServedSiteTestCase.served_from`) started there, and jobs enqueued inside
`enqueuing()`, meet on queues that other sites' and other test runs' workers never take from. `close()`
stops the workers and deletes the directory.
"""

import contextlib
import json
import os
import shutil
import subprocess
import tempfile

import frappe
from frappe.utils.background_jobs import get_redis_conn
from rq import Queue, Worker


class PrivateQueues:
	"""A sites directory of links to this bench's, with its own ``bench_id``: workers started there
	and jobs enqueued with ``bench_id()`` meet on queues no other process of the bench uses."""

	def __init__(self, site: str):
		self.site = site
		self.bench_id = f"ssp-workers-{frappe.generate_hash(length=8)}"
		self.root = tempfile.mkdtemp(prefix="ssp-workers-")
		# Frappe writes its logs beside the sites directory (``sites/../logs``).
		os.mkdir(os.path.join(self.root, "logs"))
		self.sites = os.path.join(self.root, "sites")
		os.mkdir(self.sites)
		sites = os.path.realpath(os.path.join(frappe.utils.get_bench_path(), "sites"))
		with open(os.path.join(sites, "common_site_config.json")) as f:
			config = json.load(f)
		config["bench_id"] = self.bench_id
		with open(os.path.join(self.sites, "common_site_config.json"), "w") as f:
			json.dump(config, f, indent=1)
		for entry in ("apps.txt", "apps.json", "assets", site):
			if os.path.exists(os.path.join(sites, entry)):
				os.symlink(os.path.join(sites, entry), os.path.join(self.sites, entry))
		self.workers: list[subprocess.Popen] = []

	@contextlib.contextmanager
	def enqueuing(self):
		"""Enqueue onto the private queues (``bench_id`` is read from the site's config each time)."""
		previous = frappe.local.conf.get("bench_id")
		frappe.local.conf["bench_id"] = self.bench_id
		try:
			yield
		finally:
			if previous is None:
				frappe.local.conf.pop("bench_id", None)
			else:
				frappe.local.conf["bench_id"] = previous

	def start_worker(self, queue: str = "long") -> None:
		"""`bench worker --queue long`, as bench runs it, from the private sites directory."""
		python = os.path.join(frappe.utils.get_bench_path(), "env", "bin", "python")
		self.workers.append(
			subprocess.Popen(
				[python, "-m", "frappe.utils.bench_helper", "frappe", "worker", "--queue", queue],
				cwd=self.sites,
				stdout=subprocess.DEVNULL,
				stderr=subprocess.DEVNULL,
			)
		)

	def listening(self, queue: str = "long") -> list[str]:
		q = Queue(f"{self.bench_id}:{queue}", connection=get_redis_conn())
		return [w.name for w in Worker.all(queue=q)]

	def close(self) -> None:
		for worker in self.workers:
			worker.terminate()  # RQ's warm shutdown
		for worker in self.workers:
			try:
				worker.wait(timeout=30)
			except subprocess.TimeoutExpired:
				worker.kill()
		shutil.rmtree(self.root, ignore_errors=True)
