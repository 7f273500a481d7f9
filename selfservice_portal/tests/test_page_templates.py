"""The portal pages' compiled templates, kept between requests (page_templates): a new request does
not compile them again, an edited template is compiled again, and the store stays bounded. That each
user still gets their own page from the shared code is tested over HTTP in service_catalog.test_home."""

from unittest import mock

import frappe
import jinja2

from selfservice_portal.page_templates import COMPILED_TEMPLATES, ProcessBytecodeCache
from selfservice_portal.service_catalog.test_pages import render
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_portal_user


def compiled_names(action) -> list[str | None]:
	"""The templates Jinja compiled while ``action`` ran (None: a template compiled from a string)."""
	names: list[str | None] = []
	compile_ = jinja2.Environment.compile

	def counting(env, source, name=None, filename=None, *args, **kwargs):
		names.append(name)
		return compile_(env, source, name, filename, *args, **kwargs)

	with mock.patch.object(jinja2.Environment, "compile", counting):
		action()
	return names


def new_request() -> None:
	"""Frappe builds the Jinja environment once per request: forget this one, as the next request would."""
	frappe.local.jenv = None


class TestPageTemplates(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")  # render() signs in as the page's user

	def test_a_new_request_compiles_no_template_of_the_page_again(self):
		user = make_portal_user()
		new_request()
		render("self-service", user)  # the first request of this process may compile
		new_request()
		names = compiled_names(lambda: render("self-service", user))
		# What is left are sources Frappe compiles from strings, the page's own among them
		# (www/self-service.html: one line extending its body): no template loaded by name.
		self.assertFalse([name for name in names if name], names)
		kept = set(COMPILED_TEMPLATES.store)
		for name in ("templates/ssp/self_service.html", "templates/web.html", "templates/base.html"):
			_source, filename, _uptodate = frappe.get_jloader().get_source(frappe.get_jenv(), name)
			self.assertIn(COMPILED_TEMPLATES.get_cache_key(name, filename), kept, f"{name} is not kept")

	def test_an_edited_template_is_compiled_again(self):
		sources = {"page.html": "one {{ x }}"}
		cache = ProcessBytecodeCache()

		def render_fresh() -> str:
			env = jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=cache)
			return env.get_template("page.html").render(x="!")

		self.assertEqual(render_fresh(), "one !")
		self.assertEqual(compiled_names(lambda: self.assertEqual(render_fresh(), "one !")), [])
		sources["page.html"] = "two {{ x }}"
		self.assertEqual(compiled_names(lambda: self.assertEqual(render_fresh(), "two !")), ["page.html"])
		self.assertEqual(len(cache.store), 1)

	def test_the_store_is_bounded(self):
		cache = ProcessBytecodeCache(limit=2)
		env = jinja2.Environment(
			loader=jinja2.DictLoader({f"t{n}.html": f"{n}" for n in range(5)}), bytecode_cache=cache
		)
		for n in range(5):
			self.assertEqual(env.get_template(f"t{n}.html").render(), str(n))
		self.assertEqual(len(cache.store), 2)
