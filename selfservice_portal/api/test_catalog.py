"""The catalog API on a real site, with real users switched in."""

import frappe
from frappe import _

from selfservice_portal.api import catalog as api
from selfservice_portal.service_catalog.catalog import clear_catalog_cache
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import (
	TEST_CUSTOMER,
	make_agent,
	make_article,
	make_department,
	make_helpdesk_form_ticket,
	make_outsider,
	make_portal_user,
	make_service,
	make_team,
)

LEAVE_FIELDS = [
	{"label": "Leave type", "fieldtype": "Select", "options": "Annual\nSick", "is_required": 1},
	{"label": "Dates", "fieldtype": "Date Range", "is_required": 1},
	{"label": "Note", "fieldtype": "Text"},
]
LEAVE_ANSWERS = {
	"leave_type": "Annual",
	"dates": {"from": "2026-12-01", "to": "2026-12-03"},
	"note": "Skiing",
}


class CatalogTestCase(IntegrationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.agent = make_agent()
		cls.team = make_team(agents=(cls.agent,))
		cls.head = make_agent(first_name="Head")
		cls.department = make_department(team=cls.team, head_user=cls.head)
		cls.requester = make_portal_user(first_name="Requester")
		cls.manager = make_portal_user(first_name="Manager")
		frappe.db.set_value("User", cls.requester, "ssp_manager", cls.manager)

	def setUp(self):
		clear_catalog_cache()

	def tearDown(self):
		frappe.set_user("Administrator")

	def as_user(self, user):
		frappe.set_user(user)
		return self

	def leave_service(self, **kw):
		return make_service(self.department, title="Leave", fields=LEAVE_FIELDS, **kw)


class TestCatalogVisibility(CatalogTestCase):
	def test_each_user_sees_only_their_services(self):
		other = make_outsider()
		public = make_service(self.department)
		by_role = make_service(self.department, visibility="Roles", roles=("SSP Manager",))
		by_customer = make_service(
			self.department, visibility="Customers and Contacts", audience=(("HD Customer", TEST_CUSTOMER),)
		)

		def visible(user):
			frappe.set_user(user)
			return {s["name"] for d in api.get_catalog() for s in d["services"]}

		self.assertTrue({public, by_customer} <= visible(self.requester))
		self.assertNotIn(by_role, visible(self.requester))
		self.assertIn(public, visible(other))
		self.assertFalse({by_role, by_customer} & visible(other))
		self.assertTrue({public, by_role, by_customer} <= visible(self.agent))

	def test_disabled_services_and_departments_disappear(self):
		service = make_service(self.department)
		frappe.db.set_value("SSP Service", service, "is_enabled", 0)
		clear_catalog_cache()
		self.as_user(self.requester)
		self.assertNotIn(service, {s["name"] for d in api.get_catalog() for s in d["services"]})

	def test_saving_a_service_refreshes_the_catalog(self):
		service = make_service(self.department)
		self.as_user(self.requester)
		api.get_catalog()  # warm the cache
		frappe.set_user("Administrator")
		doc = frappe.get_doc("SSP Service", service)
		doc.title = "Renamed service"
		doc.save()
		self.as_user(self.requester)
		titles = {s["title"] for d in api.get_catalog() for s in d["services"] if s["name"] == service}
		self.assertEqual(titles, {"Renamed service"})

	def test_search_spans_titles_and_departments(self):
		service = make_service(self.department, title="Ergonomic chair", short_description="For your back")
		self.as_user(self.requester)
		self.assertIn(service, [s["name"] for s in api.search_services("chair back")])
		self.assertEqual(api.search_services("no-such-words-anywhere"), [])
		with self.assertRaises(frappe.ValidationError):
			api.search_services("x" * 200)

	def test_guests_see_nothing_anywhere(self):
		service = make_service(self.department)
		frappe.set_user("Guest")
		calls = [
			lambda: api.get_catalog(),
			lambda: api.search_services("a"),
			lambda: api.get_service(service),
			lambda: api.suggest_articles(service),
			lambda: api.submit_request(service, {"what": "x"}),
			lambda: api.get_service_options(),
			lambda: api.get_pending_approvals(),
		]
		for call in calls:
			with self.assertRaises(frappe.PermissionError):
				call()

	def test_hidden_service_is_not_found_through_every_endpoint(self):
		hidden = make_service(self.department, visibility="Roles", roles=("SSP Manager",))
		self.as_user(self.requester)
		for call in (
			lambda: api.get_service(hidden),
			lambda: api.suggest_articles(hidden),
			lambda: api.submit_request(hidden, {"what": "x"}),
		):
			with self.assertRaises(frappe.DoesNotExistError):
				call()
		self.assertFalse(frappe.db.exists("HD Ticket", {"ssp_service": hidden}))
		self.assertNotIn(hidden, [o["value"] for o in api.get_service_options()])

	def test_service_detail_and_view_event(self):
		service = self.leave_service(
			help_text="Ask five days ahead",
			approval_steps=[{"approver_type": "Requester's Manager", "step_label": "Manager"}],
		)
		self.as_user(self.requester)
		detail = api.get_service(service)
		self.assertEqual([f["fieldname"] for f in detail["fields"]], ["leave_type", "dates", "note"])
		self.assertEqual(detail["fields"][0]["options"], ["Annual", "Sick"])
		self.assertTrue(detail["needs_approval"])
		self.assertEqual(detail["approval_steps"], ["Manager"])
		self.assertTrue(
			frappe.db.exists(
				"SSP Portal Event",
				{"event_type": "Service Viewed", "user": self.requester, "service": service},
			)
		)


class TestSubmitRequest(CatalogTestCase):
	def test_submission_creates_a_ticket_with_team_type_fields_and_answers(self):
		service = self.leave_service(hd_ticket_type="Unspecified")
		self.as_user(self.requester)
		result = api.submit_request(service, frappe.as_json(LEAVE_ANSWERS))
		self.assertEqual(result["status"], "Submitted")
		ticket = frappe.get_doc("HD Ticket", result["ticket"])
		self.assertEqual(ticket.agent_group, self.team)
		self.assertEqual(ticket.ticket_type, "Unspecified")
		self.assertEqual(ticket.ssp_service, service)
		self.assertEqual(ticket.ssp_department, self.department)
		self.assertEqual(ticket.ssp_channel, "Portal")
		self.assertEqual(ticket.ssp_request, result["request"])
		self.assertEqual(ticket.raised_by, self.requester)
		self.assertEqual(ticket.subject, "Leave: Annual")
		self.assertIn("2026-12-01 to 2026-12-03", ticket.description)
		request = frappe.get_doc("SSP Request", result["request"])
		self.assertEqual(
			[(a.fieldname, a.value) for a in request.answers],
			[("leave_type", "Annual"), ("dates", "2026-12-01 to 2026-12-03"), ("note", "Skiing")],
		)
		self.assertTrue(
			frappe.db.exists("SSP Portal Event", {"event_type": "Ticket Submitted", "hd_ticket": ticket.name})
		)

	def test_validation_errors_are_clear_and_store_nothing(self):
		service = self.leave_service()
		tickets_before = frappe.db.count("HD Ticket")
		self.as_user(self.requester)
		bad = [
			({"dates": {"from": "2026-12-01", "to": "2026-12-03"}}, "Leave type is required"),
			({**LEAVE_ANSWERS, "leave_type": "Party"}, "Leave type is not one of the options"),
			(
				{**LEAVE_ANSWERS, "dates": ["2026-12-05", "2026-12-01"]},
				"Dates: the end date (To) is before the start date (From)",
			),
			({**LEAVE_ANSWERS, "salary": "more"}, "salary is not a field of this form"),
		]
		for answers, message in bad:
			with self.assertRaises(frappe.ValidationError) as ctx:
				api.submit_request(service, answers)
			self.assertIn(message, str(ctx.exception))
		with self.assertRaises(frappe.ValidationError):
			api.submit_request(service, "{not json")
		self.assertEqual(frappe.db.count("HD Ticket"), tickets_before)

	def test_a_number_outside_its_limits_is_refused_and_named(self):
		service = make_service(
			self.department,
			fields=[{"label": "Budget", "fieldtype": "Number", "min_value": "0", "max_value": "5000.0"}],
		)
		self.assertEqual(api.get_service(service)["fields"][0]["min_value"], 0)
		self.as_user(self.requester)
		for value, message in (
			("-500", "Budget must be at least 0"),
			("5000.5", "Budget must be at most 5000"),
		):
			frappe.local.response = frappe._dict(docs=[])
			with self.assertRaises(frappe.ValidationError) as ctx:
				api.submit_request(service, {"budget": value})
			self.assertIn(message, str(ctx.exception))
			# The portal page highlights the field this is about.
			self.assertEqual(frappe.local.response.get("ssp_field_errors"), {"budget": message})
		self.assertEqual(api.submit_request(service, {"budget": "5000"})["status"], "Submitted")

	def test_a_services_limits_must_be_numbers_in_order(self):
		for limits, message in (
			({"min_value": "ten"}, "minimum of field"),
			({"min_value": "10", "max_value": "1"}, "is above its maximum"),
		):
			with self.assertRaises(frappe.ValidationError) as ctx:
				make_service(self.department, fields=[{"label": "N", "fieldtype": "Number", **limits}])
			self.assertIn(message, str(ctx.exception))
		# Other kinds have no limits: what an admin left there is dropped.
		service = make_service(
			self.department, fields=[{"label": "T", "fieldtype": "Data", "min_value": "3"}]
		)
		self.assertFalse(frappe.get_doc("SSP Service", service).form_fields[0].min_value)

	def test_script_injection_is_escaped_in_the_ticket(self):
		service = make_service(self.department)
		self.as_user(self.requester)
		result = api.submit_request(
			service, {"what": "<script>alert(1)</script>", "details": '<img src=x onerror="alert(2)">'}
		)
		description = frappe.db.get_value("HD Ticket", result["ticket"], "description")
		self.assertNotIn("<script", description)
		self.assertNotIn("<img", description)
		self.assertIn("&lt;script&gt;", description)

	def test_attachments_use_frappe_file_permissions(self):
		service = make_service(
			self.department, fields=[{"label": "Photo", "fieldtype": "Attach", "is_required": 1}]
		)
		other = make_portal_user()
		frappe.set_user(other)
		foreign = frappe.get_doc(
			{"doctype": "File", "file_name": "secret.txt", "content": "secret", "is_private": 1}
		).insert()
		self.as_user(self.requester)
		mine = frappe.get_doc(
			{"doctype": "File", "file_name": "photo.txt", "content": "chair", "is_private": 1}
		).insert()
		with self.assertRaises(frappe.ValidationError) as ctx:
			api.submit_request(service, {"photo": foreign.file_url})
		self.assertIn("attached file was not found", str(ctx.exception))
		self.assertFalse(mine.has_permission("read", user=self.agent))
		result = api.submit_request(service, {"photo": mine.file_url})
		self.assertTrue(result["ticket"])

		# The upload now belongs to the ticket: Helpdesk lists it and the ticket's agents may read it.
		mine.reload()
		self.assertEqual((mine.attached_to_doctype, mine.attached_to_name), ("HD Ticket", result["ticket"]))
		self.assertTrue(mine.has_permission("read", user=self.agent))
		# ...and it cannot be attached to a second request.
		with self.assertRaises(frappe.ValidationError) as ctx:
			api.submit_request(service, {"photo": mine.file_url})
		self.assertIn("already attached to another document", str(ctx.exception))

	def test_user_fields_must_name_an_existing_user(self):
		service = make_service(
			self.department, fields=[{"label": "Colleague", "fieldtype": "User", "is_required": 1}]
		)
		self.as_user(self.requester)
		with self.assertRaises(frappe.ValidationError):
			api.submit_request(service, {"colleague": "nobody@nowhere.example"})
		for system_user in ("Guest", "Administrator", "administrator"):
			with self.assertRaises(frappe.ValidationError, msg=system_user) as ctx:
				api.submit_request(service, {"colleague": system_user})
			self.assertIn("system account", str(ctx.exception))
		self.assertTrue(api.submit_request(service, {"colleague": self.manager})["ticket"])

	def test_error_messages_escape_what_was_typed(self):
		"""The portal shows error messages as HTML: nothing the user typed may become markup."""
		service = make_service(
			self.department, fields=[{"label": "Colleague", "fieldtype": "User", "is_required": 1}]
		)
		planted = '<img src=x onerror="alert(1)">'
		self.as_user(self.requester)
		for call in (
			lambda: api.submit_request(service, {"colleague": self.manager, planted: "x"}),
			lambda: api.submit_request(service, {"colleague": planted}),
			lambda: api.submit_request(planted, {}),
			lambda: api.decide_approval(planted, "Approved"),
			lambda: api.get_ticket_approvals(planted),
		):
			with self.assertRaises(frappe.ValidationError) as ctx:
				call()
			self.assertNotIn("<img", str(ctx.exception))
			self.assertIn("&lt;img", str(ctx.exception))

	def test_the_submission_budget_is_per_user_not_per_address(self):
		"""Colleagues behind one office address (one IP) do not share a rate limit."""
		from frappe.utils import set_request

		service = make_service(self.department)
		colleague = make_portal_user()
		keys = [f"ssp:submit-rate:{user}" for user in (self.requester, colleague)]
		had_request = hasattr(frappe.local, "request")
		previous = getattr(frappe.local, "request", None)
		frappe.cache.delete_value(keys)
		set_request(method="POST", path="/api/method/selfservice_portal.api.catalog.submit_request")
		try:
			self.as_user(self.requester)
			for _ in range(api.SUBMIT_LIMIT):
				api.check_submit_rate()
			with self.assertRaises(frappe.RateLimitExceededError):
				api.submit_request(service, {"what": "One too many"})
			self.as_user(colleague)
			self.assertTrue(api.submit_request(service, {"what": "My first"})["ticket"])
		finally:
			frappe.cache.delete_value(keys)
			if had_request:
				frappe.local.request = previous
			else:
				del frappe.local.request

	def test_suggestions_offer_related_then_matching_articles_and_log_them(self):
		related = make_article(title="Chair adjustment guide")
		matching = make_article(title="Choosing a standing desk")
		service = make_service(self.department, title="New chair", articles=[{"hd_article": related}])
		self.as_user(self.requester)
		found = api.suggest_articles(service, "standing desk")
		names = [a["name"] for a in found]
		self.assertEqual(names[0], related)
		self.assertIn(matching, names)
		self.assertTrue(found[0]["url"].startswith("/helpdesk/kb-public/articles/"))
		event = frappe.get_last_doc(
			"SSP Portal Event", filters={"event_type": "Articles Suggested", "user": self.requester}
		)
		self.assertEqual(event.result_count, len(found))
		self.assertIn(related, event.articles)

	def test_helpdesk_new_ticket_form_path(self):
		"""A portal user picks the service in Helpdesk's own form (the ssp_service template field)."""
		service = self.leave_service()
		hidden = make_service(self.department, visibility="Roles", roles=("SSP Manager",))
		self.as_user(self.requester)
		options = api.get_service_options()
		self.assertIn(service, [o["value"] for o in options])
		ticket = make_helpdesk_form_ticket(self.requester, service)
		self.assertEqual((ticket.agent_group, ticket.ssp_department), (self.team, self.department))
		self.assertTrue(frappe.db.exists("SSP Request", {"hd_ticket": ticket.name}))
		with self.assertRaises(frappe.DoesNotExistError):
			frappe.get_doc(
				{"doctype": "HD Ticket", "subject": "x", "raised_by": self.requester, "ssp_service": hidden}
			).insert()


class TestApprovals(CatalogTestCase):
	def two_step_service(self):
		return self.leave_service(
			approval_steps=[
				{"approver_type": "Requester's Manager", "step_label": "Manager"},
				{"approver_type": "Department Head", "step_label": "Head"},
			]
		)

	def submit(self, service):
		self.as_user(self.requester)
		result = api.submit_request(service, LEAVE_ANSWERS)
		frappe.set_user("Administrator")
		return result

	def decide(self, user, request, decision, comment=""):
		frappe.set_user(user)
		try:
			return api.decide_approval(request, decision, comment)
		finally:
			frappe.set_user("Administrator")

	def test_each_person_is_told_in_their_own_language(self):
		"""The requester writes in Arabic, the manager reads Russian: the manager's notification is in
		Russian, and the rejection the manager writes reaches the requester in Arabic."""
		asked, rejected = "Approval needed: {0} for {1}", "Your request was rejected. Reason: {0}"
		for lang in ("ar", "ru"):
			self.assertNotEqual(_(asked, lang=lang), asked, f"no {lang} translation compiled (bench build)")
		for user, lang in ((self.requester, "ar"), (self.manager, "ru")):
			frappe.db.set_value("User", user, "language", lang)
			self.addCleanup(frappe.db.set_value, "User", user, "language", None)
		self.addCleanup(setattr, frappe.local, "lang", frappe.local.lang)
		service = self.leave_service(
			approval_steps=[{"approver_type": "Requester's Manager", "step_label": "Manager"}]
		)

		frappe.local.lang = "ar"  # the requester's session
		result = self.submit(service)
		subject = frappe.db.get_value(
			"Notification Log", {"for_user": self.manager, "document_name": result["request"]}, "subject"
		)
		title = frappe.db.get_value("SSP Service", service, "title")
		self.assertEqual(subject, _(asked, lang="ru").format(title, self.requester))

		frappe.local.lang = "ru"  # the manager's session
		self.decide(self.manager, result["request"], "Rejected", "no budget")
		replies = frappe.get_all(
			"Communication",
			filters={"reference_doctype": "HD Ticket", "reference_name": result["ticket"]},
			pluck="content",
		)
		self.assertIn(f"<p>{_(rejected, lang='ar').format('no budget')}</p>", replies)

	def test_two_step_chain_approved_hands_the_ticket_to_the_team(self):
		result = self.submit(self.two_step_service())
		self.assertEqual(result["status"], "Pending Approval")
		ticket = frappe.get_doc("HD Ticket", result["ticket"])
		self.assertEqual((ticket.status, ticket.agent_group), ("Awaiting Approval", None))
		self.assertTrue(
			frappe.db.exists(
				"Notification Log", {"for_user": self.manager, "document_name": result["request"]}
			)
		)
		self.assertFalse(
			frappe.db.exists("Notification Log", {"for_user": self.head, "document_name": result["request"]})
		)

		self.assertEqual(
			self.decide(self.manager, result["request"], "Approved", "ok")["status"], "Pending Approval"
		)
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": self.head, "document_name": result["request"]})
		)
		self.assertEqual(self.decide(self.head, result["request"], "Approved")["status"], "Approved")

		ticket.reload()
		self.assertEqual(ticket.agent_group, self.team)
		self.assertEqual(ticket.status_category, "Open")
		self.assertEqual(ticket.ssp_approval_status, "Approved")
		trail = frappe.get_doc("SSP Request", result["request"]).approvals
		self.assertEqual(
			[(r.approver, r.decision, r.decided_by) for r in trail],
			[(self.manager, "Approved", self.manager), (self.head, "Approved", self.head)],
		)
		self.assertEqual(trail[0].comment, "ok")
		self.assertTrue(all(r.decided_on for r in trail))

	def test_rejection_closes_the_request_with_the_reason(self):
		result = self.submit(self.two_step_service())
		with self.assertRaises(frappe.ValidationError):
			self.decide(self.manager, result["request"], "Rejected")  # a reason is required
		self.decide(self.manager, result["request"], "Rejected", "Team is short-staffed that week")
		ticket = frappe.get_doc("HD Ticket", result["ticket"])
		self.assertEqual(ticket.status, "Closed")
		self.assertEqual(ticket.ssp_approval_status, "Rejected")
		request = frappe.get_doc("SSP Request", result["request"])
		self.assertEqual(request.rejection_reason, "Team is short-staffed that week")
		self.assertEqual([r.decision for r in request.approvals], ["Rejected", "Skipped"])
		self.assertTrue(
			frappe.db.exists(
				"Communication", {"reference_name": ticket.name, "content": ("like", "%short-staffed%")}
			)
		)
		frappe.set_user(self.requester)
		seen = api.get_ticket_approvals(ticket.name)
		self.assertEqual(
			(seen["status"], seen["rejection_reason"]), ("Rejected", "Team is short-staffed that week")
		)

	def test_wrong_deciders_fail_and_change_nothing(self):
		result = self.submit(self.two_step_service())
		request = result["request"]

		def trail():
			return [(r.decision, r.decided_by) for r in frappe.get_doc("SSP Request", request).approvals]

		before = trail()
		for user, message in (
			(self.head, "not your step's turn"),
			(make_portal_user(), "not an approver"),
			(self.requester, "your own request"),
		):
			with self.assertRaises(frappe.PermissionError) as ctx:
				self.decide(user, request, "Approved")
			self.assertIn(message, str(ctx.exception).lower())
		self.assertEqual(trail(), before)

		self.decide(self.manager, request, "Approved")
		after_first = trail()
		with self.assertRaises(frappe.PermissionError):
			self.decide(self.manager, request, "Approved")  # twice
		self.assertEqual(trail(), after_first)

		self.decide(self.head, request, "Rejected", "No budget")
		closed = trail()
		with self.assertRaises(frappe.ValidationError) as ctx:
			self.decide(self.head, request, "Approved")  # closed request
		self.assertIn("can no longer be decided", str(ctx.exception))
		self.assertEqual(trail(), closed)

	def test_admin_may_decide_and_bad_input_is_refused(self):
		result = self.submit(self.two_step_service())
		with self.assertRaises(frappe.ValidationError):
			api.decide_approval(result["request"], "Maybe")
		with self.assertRaises(frappe.DoesNotExistError):
			api.decide_approval("REQ-NOPE", "Approved")
		self.assertEqual(
			api.decide_approval(result["request"], "Approved", "on behalf")["status"], "Pending Approval"
		)

	def test_pending_list_and_request_page_permissions(self):
		result = self.submit(self.two_step_service())
		frappe.set_user(self.manager)
		self.assertIn(result["request"], [r["name"] for r in api.get_pending_approvals()])
		self.assertTrue(api.get_request_for_approval(result["request"])["can_decide"])
		frappe.set_user(self.head)
		self.assertNotIn(result["request"], [r["name"] for r in api.get_pending_approvals()])
		self.assertFalse(api.get_request_for_approval(result["request"])["can_decide"])
		frappe.set_user(make_outsider())
		with self.assertRaises(frappe.DoesNotExistError):
			api.get_request_for_approval(result["request"])
		with self.assertRaises(frappe.PermissionError):
			api.get_ticket_approvals(result["ticket"])
		frappe.set_user(self.agent)
		self.assertEqual(api.get_ticket_approvals(result["ticket"])["status"], "Pending Approval")

	def test_approvers_get_an_email_with_decision_links(self):
		import quopri

		from frappe.core.doctype.communication.test_communication import create_email_account

		account = create_email_account()
		try:
			result = self.submit(self.two_step_service())
			queue = frappe.get_all(
				"Email Queue",
				filters={"reference_doctype": "SSP Request", "reference_name": result["request"]},
				fields=["name", "message"],
			)
			self.assertEqual(len(queue), 1)
			message = quopri.decodestring(queue[0].message.encode()).decode(errors="replace")
			self.assertIn(f"/service-approval?request={result['request']}&decision=Approved", message)
			self.assertIn(f"/service-approval?request={result['request']}&decision=Rejected", message)
			recipients = frappe.get_all("Email Queue Recipient", {"parent": queue[0].name}, pluck="recipient")
			self.assertEqual(recipients, [self.manager])
		finally:
			frappe.delete_doc("Email Account", account.name, force=True)
			frappe.flags.mute_emails = True

	def test_missing_approver_blocks_submission_with_a_clear_message(self):
		loner = make_portal_user()
		service = self.leave_service(
			approval_steps=[{"approver_type": "Requester's Manager", "step_label": "Manager"}]
		)
		frappe.set_user(loner)
		with self.assertRaises(frappe.ValidationError) as ctx:
			api.submit_request(service, LEAVE_ANSWERS)
		self.assertIn("Nobody can approve step 1", str(ctx.exception))
		self.assertFalse(frappe.db.exists("HD Ticket", {"raised_by": loner}))

	def test_role_step_all_of(self):
		role = "SSP Manager"
		approvers = [make_agent(), make_agent()]
		for user in approvers:
			frappe.get_doc("User", user).add_roles(role)
		service = self.leave_service(
			approval_steps=[{"approver_type": "Role", "approver_role": role, "approval_rule": "All of"}]
		)
		result = self.submit(service)
		rows = frappe.get_doc("SSP Request", result["request"]).approvals
		self.assertTrue(set(approvers) <= {r.approver for r in rows})
		for row in rows[:-1]:
			self.assertEqual(
				self.decide(row.approver, result["request"], "Approved")["status"], "Pending Approval"
			)
		self.assertEqual(self.decide(rows[-1].approver, result["request"], "Approved")["status"], "Approved")
