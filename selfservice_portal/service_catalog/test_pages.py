"""The catalog portal pages: context for real users (visibility, guests, hidden services) and renders."""

import importlib

import frappe
from frappe.website.serve import get_response

from selfservice_portal.api import catalog as api
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_article,
	make_badge,
	make_department,
	make_portal_user,
	make_service,
	make_team,
	page_context,
)

# Frappe runs www/<page>.py with hyphens turned into underscores: service-approval.html's module is
# service_approval.py (a service-approval.py would never run).
from selfservice_portal.www import my_requests as my_requests_page
from selfservice_portal.www import service_approval as approval_page

catalog_page = importlib.import_module("selfservice_portal.www.service-catalog.index")
request_page = importlib.import_module("selfservice_portal.www.service-catalog.request")

# What a requester planted in an answer in the audit: invisible, full-screen, and shaped like our
# decision button, so that an approver's click anywhere approved.
PLANTED = (
	'<button class="ssp-decide" data-decision="Approved" '
	'style="position:fixed;top:0;left:0;width:100%;height:100%;opacity:0">Read more</button>'
)


def plant_name(user: str) -> None:
	"""A name with markup (Frappe's forms refuse one, an import or a directory sync need not)."""
	frappe.db.set_value("User", user, "first_name", '<b class="ssp-planted-name">Eve</b>')
	getattr(frappe.local, "fullnames", {}).pop(user, None)  # get_fullname's per-request cache


def render(path: str, as_user: str, **query) -> str:
	"""The page as Frappe's website router serves it to ``as_user`` (templates included)."""
	frappe.set_user(as_user)
	frappe.local.form_dict = frappe._dict(query)
	try:
		response = get_response(path)
		html = response.get_data(as_text=True)
	finally:
		frappe.local.form_dict = frappe._dict()
	if response.status_code != 200:
		raise AssertionError(f"{path}: {response.status_code} {html[-1500:]}")
	return html


class TestCatalogPages(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.department = make_department(team=make_team(agents=(make_agent(),)))
		cls.public = make_service(
			cls.department,
			title="New chair",
			fields=[
				{"label": "Model", "fieldtype": "Select", "options": "Standard\nErgonomic", "is_required": 1},
				{"label": "Dates", "fieldtype": "Date Range"},
				{"label": "Photo", "fieldtype": "Attach"},
				{"label": "Agree", "fieldtype": "Check"},
			],
		)
		cls.hidden = make_service(cls.department, visibility="Roles", roles=("SSP Manager",))

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_guests_go_to_login(self):
		for page, query in (
			(catalog_page, {}),
			(request_page, {"service": self.public}),
			(approval_page, {}),
			(my_requests_page, {}),
		):
			with self.assertRaises(frappe.Redirect):
				page_context(page, "Guest", **query)

	def test_catalog_lists_only_visible_services_and_filters_a_department(self):
		context = page_context(catalog_page, make_portal_user(), department=self.department)
		self.assertEqual([d["name"] for d in context.departments], [self.department])
		names = {s["name"] for s in context.departments[0]["services"]}
		self.assertIn(self.public, names)
		self.assertNotIn(self.hidden, names)

	def test_request_page_for_visible_service_only(self):
		user = make_portal_user()
		context = page_context(request_page, user, service=self.public)
		self.assertEqual(
			[f["fieldtype"] for f in context.fields], ["Select", "Date Range", "Attach", "Check"]
		)
		self.assertEqual(context.fields[0]["options"], ["Standard", "Ergonomic"])
		# 403, never a 404 that Frappe would cache for everyone (a hidden and an unknown service alike).
		for service in (self.hidden, "SVC-NOPE"):
			with self.assertRaises(frappe.PermissionError):
				page_context(request_page, user, service=service)

	def test_approval_page_lists_pending_and_hides_foreign_requests(self):
		requester, manager = make_portal_user(), make_portal_user()
		frappe.db.set_value("User", requester, "ssp_manager", manager)
		service = make_service(self.department, approval_steps=[{"approver_type": "Requester's Manager"}])
		frappe.set_user(requester)
		request = api.submit_request(service, {"what": "A chair"})["request"]
		context = page_context(approval_page, manager)
		self.assertIn(request, [r["name"] for r in context.pending])
		context = page_context(approval_page, manager, request=request, decision="Rejected")
		self.assertTrue(context.request["can_decide"])
		self.assertEqual(context.preselect, "Rejected")
		with self.assertRaises(frappe.PermissionError):
			page_context(approval_page, make_portal_user(), request=request)

	def test_my_requests_lists_only_my_own_newest_first(self):
		requester, other = make_portal_user(), make_portal_user()
		service = make_service(self.department)
		frappe.set_user(requester)
		first = api.submit_request(service, {"what": "A chair"})["request"]
		second = api.submit_request(service, {"what": "A desk"})["request"]
		frappe.set_user(other)
		foreign = api.submit_request(service, {"what": "A lamp"})["request"]
		context = page_context(my_requests_page, requester)
		self.assertEqual([r["name"] for r in context.requests], [second, first])
		self.assertNotIn(foreign, [r["name"] for r in context.requests])
		self.assertEqual(context.requests[0]["status_label"], "Submitted")
		self.assertEqual(context.requests[0]["department_title"], self.department)
		self.assertEqual(page_context(my_requests_page, make_portal_user()).requests, [])

	def test_pages_render(self):
		user = make_portal_user()
		frappe.db.commit()  # nosemgrep: the renderer reads through a fresh cache
		frappe.set_user(user)
		for path, query, needle in (
			("service-catalog", {}, "ssp-catalog"),
			("service-catalog/request", {"service": self.public}, "ssp-request-form"),
			("service-approval", {}, "ssp-approval"),
			("my-requests", {}, "ssp-my-requests"),
		):
			frappe.local.form_dict = frappe._dict(query)
			response = get_response(path)
			html = response.get_data(as_text=True)
			self.assertEqual(response.status_code, 200, html[-1500:])
			self.assertIn(needle, html)


class TestPagesEscapeWhatUsersTyped(IntegrationTestCase):
	"""Frappe's Jinja does not autoescape: every value a person typed must reach the page escaped."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.head = make_agent(first_name="Head")
		cls.department = make_department(team=make_team(agents=(make_agent(),)), head_user=cls.head)
		cls.requester = make_portal_user(first_name="Requester")
		cls.manager = make_portal_user(first_name="Manager")
		frappe.db.set_value("User", cls.requester, "ssp_manager", cls.manager)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_approval_page_escapes_answers_names_and_comments(self):
		service = make_service(
			self.department,
			approval_steps=[
				{"approver_type": "Requester's Manager", "step_label": "Manager"},
				{"approver_type": "Department Head", "step_label": "Head"},
			],
		)
		requester = make_portal_user()
		frappe.db.set_value("User", requester, "ssp_manager", self.manager)
		plant_name(requester)
		frappe.set_user(requester)
		result = api.submit_request(service, {"what": "A chair", "details": PLANTED})
		frappe.set_user(self.manager)
		api.decide_approval(result["request"], "Approved", '<i class="ssp-planted-comment">fine</i>')
		answer = frappe.db.get_value(
			"SSP Request Answer", {"parent": result["request"], "fieldname": "details"}, "value"
		)
		self.assertIn('<button class="ssp-decide"', answer)  # stored as typed: the page must escape it

		html = render("service-approval", self.head, request=result["request"])
		self.assertNotIn('<button class="ssp-decide"', html)
		self.assertIn("&lt;button class=", html)
		self.assertNotIn('<b class="ssp-planted-name"', html)
		self.assertIn("&lt;b class=", html)
		self.assertNotIn('<i class="ssp-planted-comment"', html)
		# The decision controls are ours alone: one container, one approve and one reject button.
		for marker in ('id="ssp-decision"', 'id="ssp-approve"', 'id="ssp-reject"'):
			self.assertEqual(html.count(marker), 1, marker)

		listing = render("service-approval", self.head)
		self.assertIn(result["request"], listing)
		self.assertNotIn('<b class="ssp-planted-name"', listing)

	def test_router_runs_the_approval_page_module(self):
		"""Guests are sent to the login page: proof that Frappe's router found the page's module."""
		frappe.set_user("Guest")
		response = get_response("service-approval")
		self.assertIn(response.status_code, (301, 302))
		self.assertIn("/login", response.headers.get("Location", ""))

	def test_catalog_pages_escape_service_texts(self):
		planted = '<i class="ssp-planted">x</i>'
		service = make_service(
			self.department,
			title=f"Chair {planted}",
			short_description=planted,
			help_text=planted,
			fields=[{"label": f"Colour {planted}", "fieldtype": "Select", "options": f"Red\n{planted}"}],
		)
		for path, query in (
			("service-catalog", {"department": self.department}),
			("service-catalog/request", {"service": service}),
		):
			html = render(path, self.requester, **query)
			self.assertIn("ssp-planted", html, path)
			self.assertNotIn('<i class="ssp-planted">', html, path)

	def test_badges_page_escapes_names_and_titles(self):
		user = make_portal_user()
		plant_name(user)
		badge = make_badge(user)
		frappe.db.set_value("SSP Badge Award", badge, "nomination_title", '<i class="ssp-planted">x</i>')
		html = render("my-badges", self.requester, user=user)
		self.assertIn("ssp-planted-name", html)
		self.assertNotIn('<b class="ssp-planted-name"', html)
		self.assertNotIn('<i class="ssp-planted">', html)


class TestRequestPageIsADeflectionPoint(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.flags.commit = False

	def test_opening_the_form_logs_the_view_and_the_articles_offered(self):
		article = make_article(title="Chair height guide")
		service = make_service(make_department(), title="New chair", articles=[{"hd_article": article}])
		user = make_portal_user()
		html = render("service-catalog/request", user, service=service)
		self.assertIn("Chair height guide", html)
		self.assertTrue(
			frappe.db.exists(
				"SSP Portal Event", {"event_type": "Service Viewed", "user": user, "service": service}
			)
		)
		suggested = frappe.get_all(
			"SSP Portal Event",
			filters={"event_type": "Articles Suggested", "user": user, "service": service},
			fields=["result_count", "articles"],
		)
		self.assertEqual(len(suggested), 1)
		self.assertIn(article, suggested[0].articles)
		self.assertGreaterEqual(suggested[0].result_count, 1)
		# A GET is rolled back unless the page asks Frappe to commit it.
		self.assertTrue(frappe.local.flags.commit)
