"""The catalog portal pages: context for real users (visibility, guests, hidden services) and renders."""

import importlib

import frappe
from frappe.website.serve import get_response

from selfservice_portal.api import catalog as api
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	make_agent,
	make_department,
	make_portal_user,
	make_service,
	make_team,
	page_context,
)

catalog_page = importlib.import_module("selfservice_portal.www.service-catalog.index")
request_page = importlib.import_module("selfservice_portal.www.service-catalog.request")
approval_page = importlib.import_module("selfservice_portal.www.service-approval")


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
		for service in (self.hidden, "SVC-NOPE"):
			with self.assertRaises(frappe.PageDoesNotExistError):
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
		with self.assertRaises(frappe.PageDoesNotExistError):
			page_context(approval_page, make_portal_user(), request=request)

	def test_pages_render(self):
		user = make_portal_user()
		frappe.db.commit()  # nosemgrep: the renderer reads through a fresh cache
		frappe.set_user(user)
		for path, query, needle in (
			("service-catalog", {}, "ssp-catalog"),
			("service-catalog/request", {"service": self.public}, "ssp-request-form"),
			("service-approval", {}, "ssp-approval"),
		):
			frappe.local.form_dict = frappe._dict(query)
			response = get_response(path)
			html = response.get_data(as_text=True)
			self.assertEqual(response.status_code, 200, html[-1500:])
			self.assertIn(needle, html)
