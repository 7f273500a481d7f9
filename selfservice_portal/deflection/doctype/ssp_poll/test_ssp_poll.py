# Copyright (c) 2026, selfservice_portal developers
# For license information, please see license.txt
"""Polls: lifecycle, frozen questions, one answer per person, anonymity, validation, the audience,
notifications, the template and the results (hand-computed on a small poll)."""

import frappe
from frappe.utils import add_days, now_datetime

from selfservice_portal.deflection import poll_results, polls
from selfservice_portal.demo.records import ensure_customer
from selfservice_portal.tests import IntegrationTestCase
from selfservice_portal.tests.test_utils import make_poll, make_portal_user, make_ticket


def keys(poll: str) -> list[str]:
	return [q.question_key for q in frappe.get_doc("SSP Poll", poll).questions]


def answer(poll: str, user: str, *values: str | int | list | None) -> dict:
	"""Answers in question order (None: skipped)."""
	given = {key: value for key, value in zip(keys(poll), values, strict=False) if value is not None}
	return polls.submit_answers(poll, given, user)


class PollCase(IntegrationTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.customer = ensure_customer(f"SSP Poll Customer {frappe.generate_hash(length=6)}")

	def tearDown(self):
		frappe.set_user("Administrator")

	def user(self, name: str = "Polled") -> str:
		return make_portal_user(first_name=name, customer=self.customer)


class TestLifecycle(PollCase):
	def test_draft_open_closed_through_actions_only(self):
		poll = make_poll(self.customer, is_open=False)
		doc = frappe.get_doc("SSP Poll", poll)
		self.assertEqual(doc.status, "Draft")
		doc.status = "Open"
		with self.assertRaisesRegex(frappe.ValidationError, "actions"):
			doc.save()
		doc.reload()
		polls.open_poll(doc)
		self.assertEqual((doc.status, bool(doc.opened_on)), ("Open", True))
		polls.close_poll(doc)
		self.assertEqual(doc.status, "Closed")
		with self.assertRaisesRegex(frappe.ValidationError, "cannot go from Closed to Open"):
			polls.open_poll(doc)

	def test_a_poll_without_questions_does_not_open(self):
		doc = frappe.get_doc("SSP Poll", make_poll(self.customer, is_open=False, questions=()))
		with self.assertRaisesRegex(frappe.ValidationError, "at least one question"):
			polls.open_poll(doc)

	def test_questions_are_checked(self):
		bad = [
			({"question": "Pick", "kind": "Single Choice", "options": "Only one"}, "at least two options"),
			({"question": "Pick", "kind": "Multiple Choice", "options": "A\nA"}, "different"),
			({"question": " ", "kind": "Short Text"}, "question text is required"),
		]
		for row, message in bad:
			with self.assertRaisesRegex(frappe.ValidationError, message):
				make_poll(self.customer, is_open=False, questions=(row,))

	def test_the_hourly_job_opens_and_closes_by_date_and_the_audience_is_told(self):
		member = self.user("Member")
		poll = make_poll(self.customer, is_open=False)
		frappe.db.set_value("SSP Poll", poll, "opens_on", add_days(now_datetime(), -1))
		polls.advance_polls()
		self.assertEqual(frappe.db.get_value("SSP Poll", poll, "status"), "Open")
		notes = frappe.get_all(
			"Notification Log",
			filters={"document_type": "SSP Poll", "document_name": poll},
			pluck="for_user",
		)
		self.assertEqual(notes, [member])  # the poll's audience: the one contact of its customer
		frappe.db.set_value("SSP Poll", poll, "closes_on", add_days(now_datetime(), -0.01))
		polls.advance_polls()
		self.assertEqual(frappe.db.get_value("SSP Poll", poll, "status"), "Closed")

	def test_the_template_poll_is_a_draft_made_once(self):
		first = polls.ensure_template_poll()
		self.assertEqual(polls.ensure_template_poll(), first)
		doc = frappe.get_doc("SSP Poll", first)
		self.assertEqual(doc.status, "Draft")
		self.assertEqual(doc.title, "Why don't you use the portal?")
		self.assertEqual(
			[q.kind for q in doc.questions],
			[
				"Single Choice",
				"Short Text",
				"Multiple Choice",
				"Single Choice",
				"Rating 1-5",
				"Likelihood 0-10",
			],
		)


class TestAnswering(PollCase):
	def test_one_answer_per_person(self):
		user, poll = self.user(), make_poll(self.customer)
		answer(poll, user, "A", None, 4)
		with self.assertRaisesRegex(frappe.DuplicateEntryError, "already answered"):
			answer(poll, user, "B", None, 5)
		self.assertEqual(frappe.db.count("SSP Poll Response", {"poll": poll}), 1)
		self.assertEqual(
			frappe.get_all("SSP Poll Answer", {"poll": poll}, pluck="value", order_by="idx"), ["A", "4"]
		)

	def test_the_unique_key_refuses_a_second_row_even_without_the_form(self):
		"""Two submissions racing past every check still meet the database's unique key."""
		user, poll = self.user(), make_poll(self.customer)
		answer(poll, user, "A", None, 4)
		row = frappe.get_doc(
			{
				"doctype": "SSP Poll Response",
				"poll": poll,
				"user": user,
				"respondent_key": polls.respondent_key(poll, user),
			}
		)
		row.name = frappe.generate_hash(length=12)
		with self.assertRaises(frappe.UniqueValidationError):
			row.db_insert()
		frappe.clear_last_message()

	def test_an_anonymous_answer_stores_no_link_to_the_person(self):
		user, poll = self.user(), make_poll(self.customer, is_anonymous=True)
		answer(poll, user, "A", ["X"], 4, 10, "Secret")
		response = frappe.get_all(
			"SSP Poll Response",
			filters={"poll": poll},
			fields=["name", "user", "owner", "modified_by", "respondent_key", "creation"],
		)[0]
		self.assertIsNone(response.user)
		self.assertEqual((response.owner, response.modified_by), ("Administrator", "Administrator"))
		self.assertNotIn(user, response.respondent_key)
		self.assertEqual(len(response.respondent_key), 64)
		self.assertEqual(response.creation.time().isoformat(), "00:00:00")  # the day only
		owners = set(frappe.get_all("SSP Poll Answer", {"parent": response.name}, pluck="owner"))
		self.assertEqual(owners, {"Administrator"})
		self.assertFalse(frappe.db.exists("Version", {"ref_doctype": "SSP Poll Response"}))
		with self.assertRaisesRegex(frappe.DuplicateEntryError, "already answered"):
			answer(poll, user, "B", None, 2)
		self.assertTrue(polls.open_polls_for(user)[0]["answered"])

	def test_answers_are_checked_on_the_server(self):
		user, poll = self.user(), make_poll(self.customer)
		k = keys(poll)
		bad = [
			({k[2]: 3}, "Question 1 needs an answer"),
			({k[0]: "D", k[2]: 3}, "D is not one of its options"),
			({k[0]: ["A", "B"], k[2]: 3}, "pick one option"),
			({k[0]: "A", k[1]: ["X", "X"], k[2]: 3}, "picked twice"),
			({k[0]: "A", k[2]: 6}, "from 1 to 5"),
			({k[0]: "A", k[2]: "3.5"}, "from 1 to 5"),
			({k[0]: "A", k[2]: 3, k[3]: -1}, "from 0 to 10"),
			({k[0]: "A", k[2]: 3, k[4]: "x" * 1001}, "at most 1000 characters"),
			({k[0]: "A", k[2]: 3, "nope": 1}, "Unknown question nope"),
			({k[0]: "A", k[2]: 3, k[4]: ["a"]}, "must be text"),
			(["A"], "JSON object"),
		]
		for given, message in bad:
			with self.assertRaisesRegex(frappe.ValidationError, message):
				polls.submit_answers(poll, given, user)
		self.assertEqual(frappe.db.count("SSP Poll Response", {"poll": poll}), 0)

	def test_only_the_audience_answers_an_open_poll(self):
		poll = make_poll(self.customer)
		stranger = make_portal_user(first_name="Stranger", customer=None)
		with self.assertRaises(frappe.PermissionError):
			answer(poll, stranger, "A", None, 3)
		with self.assertRaises(frappe.PermissionError):
			answer(poll, "Guest", "A", None, 3)
		member = self.user()
		polls.close_poll(frappe.get_doc("SSP Poll", poll))
		with self.assertRaisesRegex(frappe.ValidationError, "closed"):
			answer(poll, member, "A", None, 3)
		self.assertEqual(polls.open_polls_for(member), [])
		self.assertEqual(polls.open_polls_for(stranger), [])

	def test_open_polls_for_a_user(self):
		member = self.user()
		poll = make_poll(self.customer)
		listed = polls.open_polls_for(member)
		self.assertEqual([(p["name"], p["answered"], p["questions"]) for p in listed], [(poll, False, 5)])
		answer(poll, member, "C", None, 1)
		self.assertTrue(polls.open_polls_for(member)[0]["answered"])


class TestFrozenQuestions(PollCase):
	def test_questions_anonymity_and_audience_freeze_with_the_first_answer(self):
		poll = make_poll(self.customer)
		doc = frappe.get_doc("SSP Poll", poll)
		doc.questions[0].question = "Changed before any answer"
		doc.save()  # no answers yet: a manager may still fix a typo
		answer(poll, self.user(), "A", None, 3)
		changes = [
			lambda d: setattr(d.questions[0], "question", "Reworded"),
			lambda d: setattr(d.questions[0], "options", "A\nB\nC\nD"),
			lambda d: d.append("questions", {"question": "New?", "kind": "Short Text"}),
			lambda d: d.questions.reverse(),
			lambda d: setattr(d, "is_anonymous", 1),
			lambda d: setattr(d, "audience_type", "All Portal Users"),
		]
		for change in changes:
			doc = frappe.get_doc("SSP Poll", poll)
			change(doc)
			if change is changes[3]:
				for i, row in enumerate(doc.questions, start=1):
					row.idx = i
			with self.assertRaisesRegex(frappe.ValidationError, "has answers"):
				doc.save()
		doc = frappe.get_doc("SSP Poll", poll)
		doc.title = "A clearer title"
		doc.save()  # the title and introduction may still change
		question = doc.questions[0].name
		with self.assertRaisesRegex(frappe.ValidationError, "has answers"):
			frappe.delete_doc("SSP Poll Question", question, ignore_permissions=True)
		self.assertTrue(frappe.db.exists("SSP Poll Question", question))

	def test_an_open_poll_cannot_be_deleted_and_a_closed_one_takes_its_answers(self):
		poll = make_poll(self.customer)
		answer(poll, self.user(), "A", None, 3)
		with self.assertRaisesRegex(frappe.ValidationError, "Close the poll"):
			frappe.delete_doc("SSP Poll", poll)
		polls.close_poll(frappe.get_doc("SSP Poll", poll))
		frappe.delete_doc("SSP Poll", poll)
		self.assertEqual(frappe.db.count("SSP Poll Response", {"poll": poll}), 0)
		self.assertEqual(frappe.db.count("SSP Poll Answer", {"poll": poll}), 0)


class TestResults(PollCase):
	"""Six respondents, figures computed by hand in the comments."""

	ANSWERS = (
		# Q1 single, Q2 multiple, Q3 1-5, Q4 0-10, Q5 text
		("A", ["X", "Y"], 5, 10, "Faster please"),
		("A", ["X"], 4, 9, None),
		("B", ["X", "Z"], 3, 8, None),
		("A", ["Y"], 4, 6, "More services"),
		("C", ["X"], 2, 0, None),
		("B", ["X", "Z"], 5, 10, None),
	)
	# Tickets per respondent: (self-service Portal, Email) -> portal share.
	TICKETS = ((1, 0), (1, 0), (1, 0), (1, 5), (1, 4), (1, 1))  # 100, 100, 100, 16.7, 20, 50 %

	def make_answered_poll(self, is_anonymous: bool = False) -> str:
		poll = make_poll(self.customer, is_anonymous=is_anonymous)
		for i, (values, (portal, email)) in enumerate(zip(self.ANSWERS, self.TICKETS, strict=True)):
			user = self.user(f"Resp{i}")
			for _n in range(portal):
				make_ticket(user, channel="Portal")
			for _n in range(email):
				make_ticket(user, channel="Email")
			answer(poll, user, *values)
		return poll

	def test_figures(self):
		r = poll_results.poll_results(self.make_answered_poll())
		self.assertEqual(r["respondents"], 6)
		q1, q2, q3, q4, q5 = r["questions"]
		# Q1: A 3/6 = 50 %, B 2/6 = 33.3 %, C 1/6 = 16.7 %.
		self.assertEqual(q1["answered"], 6)
		self.assertEqual(
			[(a["value"], a["count"], a["share"]) for a in q1["answers"]],
			[("A", 3, 50.0), ("B", 2, 33.3), ("C", 1, 16.7)],
		)
		# Q2: 6 people answered (9 rows); X 5/6 = 83.3 %, Y 2/6 = 33.3 %, Z 2/6 = 33.3 %.
		self.assertEqual(q2["answered"], 6)
		self.assertEqual(
			[(a["value"], a["count"], a["share"]) for a in q2["answers"]],
			[("X", 5, 83.3), ("Y", 2, 33.3), ("Z", 2, 33.3)],
		)
		# Q3: 5+4+3+4+2+5 = 23, 23/6 = 3.83; 1:0, 2:1, 3:1, 4:2, 5:2.
		self.assertEqual(q3["average"], 3.83)
		self.assertEqual([a["count"] for a in q3["answers"]], [0, 1, 1, 2, 2])
		# Q4: promoters (9-10) 3, detractors (0-6) 2: (3 - 2) / 6 = 16.7; average 43/6 = 7.17.
		self.assertEqual((q4["promoters"], q4["detractors"], q4["nps"], q4["average"]), (3, 2, 16.7, 7.17))
		self.assertEqual(len(q4["answers"]), 11)
		self.assertEqual((q5["answered"], sorted(q5["texts"])), (2, ["Faster please", "More services"]))
		# Portal share >= 20 %: respondents 1, 2, 3, 5 (20 % exactly), 6 (50 %); below: respondent 4.
		c = r["crosstab"]
		self.assertEqual(c["group_sizes"], {"low": 1, "high": 5, "none": 0})
		self.assertEqual(c["cells"][(q2["key"], "X", "high")], 5)
		self.assertEqual(c["cells"][(q2["key"], "Y", "high")], 1)
		self.assertEqual(c["cells"][(q2["key"], "Y", "low")], 1)
		self.assertEqual(c["cells"][(q1["key"], "A", "high")], 2)
		self.assertEqual(poll_results.cell_text(5, 5), "5 (100%)")
		self.assertEqual(poll_results.cell_text(4, 5), "fewer than 5")
		self.assertEqual(poll_results.cell_text(0, 5), "fewer than 5")

	def test_the_report_shows_shares_as_percentages_and_hides_small_cells(self):
		from selfservice_portal.deflection.report.ssp_poll_results.ssp_poll_results import execute

		poll = self.make_answered_poll()
		columns, rows, message, chart = execute({"poll": poll})
		self.assertIn("6 people answered", message)
		self.assertEqual(columns[4]["label"], "Portal share below 20% (fewer than 5 people)")
		self.assertEqual(columns[5]["label"], "Portal share 20% or more (5 people)")
		by_answer = {(r.get("answer"), r.get("count")): r for r in rows}
		self.assertEqual(by_answer[("A", 3)]["share"], "50%")
		self.assertEqual(by_answer[("X", 5)]["share"], "83.3%")
		self.assertEqual(by_answer[("X", 5)]["group_high"], "5 (100%)")
		self.assertEqual(by_answer[("X", 5)]["group_low"], "fewer than 5")
		self.assertIn({"question": "", "answer": "Average", "share": "3.83"}, rows)
		nps = next(r for r in rows if str(r.get("answer")).startswith("NPS"))
		self.assertEqual((nps["answer"], nps["share"]), ("NPS (3 promoters minus 2 detractors)", "+16.7"))
		self.assertEqual(chart["data"]["labels"], ["A", "B", "C"])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [3, 2, 1])

	def test_an_anonymous_poll_has_no_breakdown(self):
		r = poll_results.poll_results(self.make_answered_poll(is_anonymous=True))
		self.assertIsNone(r["crosstab"])
		self.assertEqual(r["questions"][0]["answers"][0]["count"], 3)
