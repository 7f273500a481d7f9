"""A private MariaDB primary and replica, and a copy of the test site on them, for the replica tests.

The machine's own MariaDB server usually runs without a binary log, so it cannot be replicated from,
and reconfiguring or restarting it is not a test's business. The harness therefore starts two servers
of its own — `mariadb-install-db` datadirs under a temporary directory, free ports on 127.0.0.1, no
option file read (`--no-defaults`) — a primary with a binary log and GTIDs and a read-only replica that
replicates from it (`MASTER_USE_GTID=slave_pos`). The test site's database is copied onto the primary
(under a database name of its own, so the copy shares no Redis keys with the original) and a site
directory is written whose config points reads at the replica (`read_from_replica`, `replica_host`,
`replica_db_port`). Both servers keep a general log, so a test can tell which server ran which query.
Everything is removed on exit, also when the test fails: the servers are stopped, the site directory
and the temporary directory deleted. The machine's server is only read from (the dump of the site).
"""

import ctypes
import json
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

import frappe
import pymysql

from selfservice_portal.tests.served import bench_serve

COUNTERS = ("Com_select", "Com_insert", "Com_update", "Com_delete", "Com_replace")
WRITE_COUNTERS = ("Com_insert", "Com_update", "Com_delete", "Com_replace")
REPL_USER, REPL_PASSWORD = "ssp_repl", "ssp-repl-pw"


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def binary(name: str, *fallbacks: str) -> str | None:
	for candidate in (name, *fallbacks):
		found = shutil.which(candidate) or shutil.which(candidate, path="/usr/sbin:/usr/bin:/usr/local/bin")
		if found:
			return found
	return None


def binaries() -> dict[str, str]:
	"""The MariaDB programs the harness needs; skips the calling test, saying which is missing."""
	found = {
		"server": binary("mariadbd", "mysqld"),
		"install_db": binary("mariadb-install-db", "mysql_install_db"),
		"client": binary("mariadb", "mysql"),
		"dump": binary("mariadb-dump", "mysqldump"),
	}
	missing = [k for k, v in found.items() if not v]
	if missing:
		raise unittest.SkipTest(
			"the replica test needs the MariaDB server and its tools; missing here: "
			+ ", ".join({"server": "mariadbd", "install_db": "mariadb-install-db"}.get(m, m) for m in missing)
		)
	return found


def stop_with_parent() -> None:
	"""In the child, before exec: SIGTERM when the test process dies, even by SIGKILL, where no
	``finally`` runs (Linux ``PR_SET_PDEATHSIG``; elsewhere nothing)."""
	try:
		libc = ctypes.CDLL("libc.so.6", use_errno=True)
		libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
	except OSError:
		pass


def remove_leftovers(sites_path: str, older_than: float = 3600) -> None:
	"""What a killed run left behind: its site directory and its servers' datadirs (the servers
	themselves stopped with it). Only our own names, and only when older than ``older_than`` seconds,
	so a run going on at the same time keeps its own."""
	cutoff = time.time() - older_than
	for pattern, root in (
		("ssp-replica-*.localhost", Path(sites_path)),
		("ssp-replica-*", Path(tempfile.gettempdir())),
	):
		for path in root.glob(pattern):
			if path.is_dir() and not path.is_symlink() and path.stat().st_mtime < cutoff:
				shutil.rmtree(path, ignore_errors=True)


class Harness:
	"""`with`: ``start()`` on entry, ``close()`` on exit — and on entry too when starting fails, so a
	half-started harness leaves nothing behind."""

	def start(self) -> None:
		raise NotImplementedError

	def close(self) -> None:
		raise NotImplementedError

	def __enter__(self):
		try:
			self.start()
		except BaseException:
			self.close()
			raise
		return self

	def __exit__(self, *exc):
		self.close()


class Server:
	"""One private mariadbd: its own datadir, socket, port and general log."""

	def __init__(self, name: str, root: Path, server_id: int, progs: dict[str, str]):
		self.name, self.progs, self.server_id = name, progs, server_id
		self.dir = root / name
		self.datadir = self.dir / "data"
		self.socket = str(self.dir / "mysqld.sock")
		self.general_log = self.dir / "general.log"
		self.port = free_port()
		self.process: subprocess.Popen | None = None

	def start(self, *options: str) -> None:
		self.process = subprocess.Popen(
			[
				self.progs["server"],
				"--no-defaults",
				f"--datadir={self.datadir}",
				f"--socket={self.socket}",
				f"--port={self.port}",
				"--bind-address=127.0.0.1",
				f"--pid-file={self.dir / 'mysqld.pid'}",
				f"--log-error={self.dir / 'error.log'}",
				f"--server-id={self.server_id}",
				"--skip-name-resolve",
				"--character-set-server=utf8mb4",
				"--collation-server=utf8mb4_unicode_ci",
				"--innodb-buffer-pool-size=128M",
				"--innodb-flush-log-at-trx-commit=2",
				"--innodb-use-native-aio=0",
				"--max-allowed-packet=256M",
				"--general-log=0",
				f"--general-log-file={self.general_log}",
				*options,
			],
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			preexec_fn=stop_with_parent,
		)
		for _ in range(120):
			if self.process.poll() is not None:
				break
			try:
				self.sql("SELECT 1")
				return
			except pymysql.err.OperationalError:
				time.sleep(0.25)
		raise RuntimeError(f"the private {self.name} did not start: {self.error_log_tail()}")

	def error_log_tail(self) -> str:
		path = self.dir / "error.log"
		return path.read_text(errors="replace")[-1500:] if path.exists() else "(no error log)"

	def connect(self):
		return pymysql.connect(unix_socket=self.socket, user="root", autocommit=True)

	def sql(self, query: str, args=None) -> list[tuple]:
		with self.connect() as conn, conn.cursor() as cur:
			cur.execute(query, args)
			return list(cur.fetchall())

	def counters(self) -> dict[str, int]:
		rows = self.sql("SHOW GLOBAL STATUS WHERE Variable_name IN %s", (COUNTERS,))
		return {name: int(value) for name, value in rows}

	def log_size(self) -> int:
		return self.general_log.stat().st_size if self.general_log.exists() else 0

	def log_since(self, offset: int) -> str:
		if not self.general_log.exists():
			return ""
		with open(self.general_log, "rb") as f:
			f.seek(offset)
			return f.read().decode(errors="replace")

	def stop(self) -> None:
		if not self.process or self.process.poll() is not None:
			return
		self.process.terminate()  # mariadbd shuts down cleanly on SIGTERM
		try:
			self.process.wait(timeout=60)
		except subprocess.TimeoutExpired:
			self.process.kill()
			self.process.wait(timeout=10)


class ReplicaPair(Harness):
	"""`with ReplicaPair() as pair:` a private primary (binary log, GTID) and a read-only replica that
	replicates from it; stopped and deleted on exit."""

	def __init__(self):
		self.progs = binaries()
		self.root = Path(tempfile.mkdtemp(prefix="ssp-replica-"))
		self.primary = Server("primary", self.root, 1, self.progs)
		self.replica = Server("replica", self.root, 2, self.progs)

	def start(self) -> None:
		remove_leftovers(frappe.get_site_path(".."))
		self.primary.dir.mkdir(parents=True)
		subprocess.run(
			[
				self.progs["install_db"],
				"--no-defaults",
				f"--datadir={self.primary.datadir}",
				"--auth-root-authentication-method=normal",
				"--skip-test-db",
			],
			check=True,
			stdout=subprocess.DEVNULL,
			stderr=subprocess.PIPE,
		)
		# The replica starts from a copy of the same empty datadir: both are at the same state, and the
		# replica then replays the primary's whole binary log.
		self.replica.dir.mkdir(parents=True)
		shutil.copytree(self.primary.datadir, self.replica.datadir, symlinks=True)
		self.primary.start("--log-bin=primary-bin", "--binlog-format=ROW", "--sync-binlog=0")
		self.replica.start("--relay-log=replica-relay", "--read-only=1")
		self.primary.sql(f"CREATE USER '{REPL_USER}'@'%' IDENTIFIED BY '{REPL_PASSWORD}'")
		self.primary.sql(f"GRANT REPLICATION SLAVE ON *.* TO '{REPL_USER}'@'%'")
		self.replica.sql(
			"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=%s, MASTER_USER=%s, "
			"MASTER_PASSWORD=%s, MASTER_USE_GTID=slave_pos",
			(self.primary.port, REPL_USER, REPL_PASSWORD),
		)
		self.replica.sql("START SLAVE")
		self.wait_until_replicating()
		self.sync()

	def slave_status(self) -> dict:
		with self.replica.connect() as conn, conn.cursor(pymysql.cursors.DictCursor) as cur:
			cur.execute("SHOW SLAVE STATUS")
			return cur.fetchone() or {}

	def wait_until_replicating(self, timeout: float = 60) -> None:
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			status = self.slave_status()
			if status.get("Slave_IO_Running") == "Yes" and status.get("Slave_SQL_Running") == "Yes":
				return
			time.sleep(0.25)
		raise RuntimeError(f"the replica does not replicate: {self.slave_status()}")

	def sync(self, timeout: int = 300) -> None:
		"""Wait until the replica has applied everything the primary has written."""
		position = self.primary.sql("SELECT @@gtid_binlog_pos")[0][0]
		if not position:
			return
		waited = self.replica.sql("SELECT MASTER_GTID_WAIT(%s, %s)", (position, timeout))[0][0]
		if waited != 0:
			raise RuntimeError(f"the replica did not catch up with {position}: {self.slave_status()}")

	def set_general_log(self, on: bool) -> None:
		for server in (self.primary, self.replica):
			server.sql(f"SET GLOBAL general_log = {int(on)}")

	def close(self) -> None:
		for server in (self.replica, self.primary):
			try:
				server.stop()
			except Exception:
				pass
		shutil.rmtree(self.root, ignore_errors=True)


class SiteCopy(Harness):
	"""The current test site's database copied onto the pair's primary, and a site directory whose
	config reads from the replica; removed on exit (the site directory; the database goes with the
	private servers)."""

	def __init__(self, pair: ReplicaPair, source_site: str | None = None):
		self.pair = pair
		self.source_site = source_site or frappe.local.site
		suffix = frappe.generate_hash(length=8)
		self.site = f"ssp-replica-{suffix}.localhost"
		self.db_name = f"_sspr_{suffix}"
		self.db_password = frappe.generate_hash(length=16)
		self.path = Path(frappe.get_site_path("..", self.site)).resolve()

	def start(self) -> None:
		source = frappe.get_site_config(site_path=frappe.get_site_path("..", self.source_site))
		primary = self.pair.primary
		primary.sql(f"CREATE DATABASE `{self.db_name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
		primary.sql(f"CREATE USER '{self.db_name}'@'%%' IDENTIFIED BY %s", (self.db_password,))
		primary.sql(f"GRANT ALL PRIVILEGES ON `{self.db_name}`.* TO '{self.db_name}'@'%'")
		dump = subprocess.Popen(
			[
				self.pair.progs["dump"],
				"--no-defaults",
				"--single-transaction",
				"--skip-lock-tables",
				"--host",
				source.get("db_host") or "127.0.0.1",
				"--port",
				str(source.get("db_port") or 3306),
				"--user",
				source.get("db_user") or source["db_name"],
				f"--password={source['db_password']}",
				source["db_name"],
			],
			stdout=subprocess.PIPE,
			stderr=subprocess.PIPE,
		)
		load = subprocess.run(
			[
				self.pair.progs["client"],
				"--no-defaults",
				f"--socket={primary.socket}",
				"--user=root",
				"--max-allowed-packet=256M",
				self.db_name,
			],
			stdin=dump.stdout,
			capture_output=True,
		)
		dump.stdout.close()
		dump_error = dump.stderr.read().decode(errors="replace")
		if dump.wait() != 0 or load.returncode != 0:
			raise RuntimeError(
				f"could not copy {self.source_site}: {dump_error[-500:]} {load.stderr.decode()[-500:]}"
			)
		for sub in ("public/files", "private/files", "private/backups", "logs", "locks"):
			(self.path / sub).mkdir(parents=True, exist_ok=True)
		config = {
			"db_name": self.db_name,
			"db_password": self.db_password,
			"db_type": "mariadb",
			"db_host": "127.0.0.1",
			"db_port": primary.port,
			"read_from_replica": 1,
			"replica_host": "127.0.0.1",
			"replica_db_port": self.pair.replica.port,
			"allow_tests": True,
			"pause_scheduler": 1,
			"throttle_user_limit": 100000,
		}
		if source.get("encryption_key"):
			config["encryption_key"] = source["encryption_key"]
		(self.path / "site_config.json").write_text(json.dumps(config, indent=1))
		self.pair.sync()

	def close(self) -> None:
		if self.path.name == self.site and self.path.exists():
			shutil.rmtree(self.path, ignore_errors=True)

	def serve(self) -> subprocess.Popen:
		"""`bench serve` for the copy on a free port; the caller terminates it."""
		self.port = free_port()
		self.base = f"http://127.0.0.1:{self.port}"
		return bench_serve(self.site, self.port)

	def count(self, server: Server, sql: str, *args) -> int:
		"""A COUNT(*) on the copy's database on ``server`` (primary or replica), read directly."""
		with pymysql.connect(unix_socket=server.socket, user="root", database=self.db_name) as conn:
			with conn.cursor() as cur:
				cur.execute(sql, args)
				return cur.fetchone()[0]
