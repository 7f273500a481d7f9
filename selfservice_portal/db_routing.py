"""Which database connection a path uses when the site has a read replica.

Frappe scales reads with MariaDB replication: with ``read_from_replica`` (and ``replica_host``,
``replica_db_port``) in the site config, a function under ``@frappe.read_only()`` runs with
``frappe.db`` connected to the replica, and ``@frappe.write_only()`` switches back to the primary for
the call it wraps. Without a replica configured both are no-ops. Whitelisted read methods use
``@frappe.read_only()`` directly (under ``@frappe.whitelist()``); the two wrappers here exist because
Frappe's own wrappers hide the wrapped function's signature, which www pages and callers rely on.
"""

import functools
from collections.abc import Callable
from typing import TypeVar

import frappe

Wrapped = TypeVar("Wrapped", bound=Callable)


def replica_page(get_context: Callable[[frappe._dict], frappe._dict]) -> Callable:
	"""A www page's ``get_context(context)`` whose reads run on the replica.

	Frappe calls ``get_context`` with the context only when ``inspect.getfullargspec`` lists an
	argument, and ``frappe.read_only()``'s wrapper lists none; this wrapper keeps ``context``.
	Only the data gathering runs on the replica: Frappe's own work around it (session, website
	settings, the sidebar, rendering the template) stays on the primary connection.
	"""
	on_replica = frappe.read_only()(get_context)

	@functools.wraps(get_context)
	def wrapper(context: frappe._dict) -> frappe._dict:
		return on_replica(context)

	return wrapper


def on_primary(fn: Wrapped) -> Wrapped:
	"""``frappe.write_only()`` keeping ``fn``'s name and signature: a write inside a read-only path
	(a portal event logged while a page reads from the replica) goes to the primary connection, in the
	request's own transaction, committed with it."""
	return functools.update_wrapper(frappe.write_only()(fn), fn)
