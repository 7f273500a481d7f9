"""The portal's www pages keep their compiled templates between requests.

Frappe 15 builds a new Jinja environment for every request (``frappe.utils.jinja.get_jenv``), so each
template a page renders — its body, ``templates/web.html``, ``templates/base.html`` and their includes —
is compiled again on every request: 16 ms of /self-service's render on the development machine, more
than the page's own queries. (Later Frappe releases share compiled templates between requests.)

``www_page`` gives the request's environment a bytecode cache that lives in the worker process. Jinja
keys it by the template's name and file and compares the source's checksum before using it, so an
edited template is compiled again; the code is bound to the request's own environment — its globals,
its user, its language — exactly as a fresh compile would be. Jinja consults the cache only for
templates loaded by name, not for a page's own source, which Frappe compiles from a string: so each
page's file under ``www/`` is one line extending its body under ``templates/ssp/``.
"""

import functools
from collections.abc import Callable

import frappe
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class ProcessBytecodeCache(BytecodeCache):
	"""Compiled templates of this worker process, by Jinja's bucket key; at most ``limit`` of them."""

	def __init__(self, limit: int = 64) -> None:
		self.limit = limit
		self.store: dict[str, bytes] = {}

	def load_bytecode(self, bucket: Bucket) -> None:
		# Bucket.bytecode_from_string drops code whose source checksum differs (an edited template).
		if (code := self.store.get(bucket.key)) is not None:
			bucket.bytecode_from_string(code)

	def dump_bytecode(self, bucket: Bucket) -> None:
		if bucket.key not in self.store and len(self.store) >= self.limit:
			self.store.pop(next(iter(self.store), None), None)
		self.store[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = ProcessBytecodeCache()


def www_page(get_context: Callable[[frappe._dict], frappe._dict]) -> Callable:
	"""A www page's ``get_context(context)`` whose templates come from ``COMPILED_TEMPLATES``.

	The wrapper keeps ``context`` in its own signature: Frappe passes the context only when
	``inspect.getfullargspec`` lists an argument, and that does not follow ``functools.wraps``.
	"""

	@functools.wraps(get_context)
	def wrapper(context: frappe._dict) -> frappe._dict:
		frappe.get_jenv().bytecode_cache = COMPILED_TEMPLATES
		return get_context(context)

	return wrapper
