"""A ticket's text length (the trivial-ticket rule) is stored at every save: the same figure as the
SQL rule, never what a client sends; tickets written without a save (-1) are judged by their text
and filled in by the patch."""

from datetime import datetime

import frappe

from selfservice_portal.contests import judging
from selfservice_portal.contests.fair_play import text_length
from selfservice_portal.contests.test_contests import (
	ContestCase,
	contact_audience,
	make_contest,
	nomination,
	standings,
	ticket,
	travel_to_judging,
)
from selfservice_portal.contests.ticket_events import backfill_text_lengths
from selfservice_portal.contests.ticket_metrics import TEXT_LENGTH
from selfservice_portal.tests.served import ServedSiteTestCase, set_password
from selfservice_portal.tests.test_utils import make_agent, make_portal_user

TEXTS = (
	("Printer", "<p>The printer on floor 3 jams</p>"),
	("  Spaces  ", "  <div>\n<b>bold</b> and <a href='x'>a link</a>\n</div>  "),
	("Tag across lines", "<p\nclass='x'>text</p>"),
	("Not a tag", "a < b and c > d, 3 <4"),
	("打印机", "<p>打印机坏了 🖨️</p>"),
	("الطابعة", "<p>الطابعة لا تعمل</p>"),
	("Entities", "<p>&nbsp;&amp;</p>"),
	("", ""),
	("Only subject", None),
)


def sql_text_length(subject: str | None, description: str | None) -> int:
	return frappe.db.sql(
		f"SELECT {TEXT_LENGTH} FROM (SELECT %s AS subject, %s AS description) ticket",
		(subject, description),
	)[0][0]


def stored_length(name: str) -> int | None:
	frappe.db.rollback()  # what the server committed
	return frappe.db.get_value("HD Ticket", name, "ssp_text_length")


class TestTextLength(ContestCase):
	def test_python_and_sql_count_the_same_characters(self):
		for subject, description in TEXTS:
			self.assertEqual(
				text_length(subject, description),
				sql_text_length(subject, description),
				(subject, description),
			)

	def test_every_save_keeps_it_and_a_value_set_by_hand_is_replaced(self):
		user = make_portal_user()
		name = ticket(user, datetime(2020, 3, 2, 9), text="<p>hi</p>", subject="x")
		subject = frappe.db.get_value("HD Ticket", name, "subject")
		self.assertEqual(frappe.db.get_value("HD Ticket", name, "ssp_text_length"), len(f"{subject} hi"))
		doc = frappe.get_doc("HD Ticket", name)
		doc.description = "<p>A much longer description of the problem</p>"
		doc.ssp_text_length = 1
		doc.save(ignore_permissions=True)
		self.assertEqual(
			frappe.db.get_value("HD Ticket", name, "ssp_text_length"),
			len(f"{subject} A much longer description of the problem"),
		)

	def test_tickets_saved_before_are_judged_by_their_text_and_filled_by_the_backfill(self):
		ann, bob = make_portal_user(first_name="Lenny"), make_portal_user(first_name="Shorty")
		day = datetime(2020, 3, 2, 9)
		long_ones = [ticket(ann, day.replace(hour=9 + i)) for i in range(3)]
		short_ones = [ticket(bob, day.replace(hour=9 + i), text="<p>ok</p>", subject="x") for i in range(2)]
		frappe.db.sql(
			"UPDATE `tabHD Ticket` SET ssp_text_length = -1 WHERE name IN %(names)s",
			{"names": (*long_ones, *short_ones)},
		)
		name = make_contest(
			[nomination("Requests", "portal_tickets")],
			audience=contact_audience(ann, bob),
			min_ticket_length=20,
		)
		travel_to_judging(name, datetime(2020, 1, 1), datetime(2020, 6, 30, 23, 59, 59))
		judging.judge(name)
		key = frappe.get_doc("SSP Contest", name).nominations[0].nomination_key
		s = standings(name, key)
		self.assertEqual((s[ann].score, s[bob].score), (3, 0))
		self.assertIn('"trivial content": 2', s[bob].breakdown)

		self.assertGreaterEqual(backfill_text_lengths(), 5)
		for name_ in (*long_ones, *short_ones):
			subject, description, stored = frappe.db.get_value(
				"HD Ticket", name_, ["subject", "description", "ssp_text_length"]
			)
			self.assertEqual(stored, text_length(subject, description))
		self.assertEqual(backfill_text_lengths(), 0)  # idempotent


class TestTextLengthOverHttp(ServedSiteTestCase):
	"""Through the doors a requester and an agent use: what they send for the length is never kept."""

	@classmethod
	def make_fixtures(cls):
		frappe.set_user("Administrator")
		cls.requester = make_portal_user(first_name="Padder")
		cls.agent = make_agent(first_name="LengthAgent")
		for user in (cls.requester, cls.agent):
			set_password(user)

	def test_a_requester_cannot_pad_a_trivial_ticket(self):
		client = self.client(self.requester)
		created = client.request(  # as Helpdesk's portal sends it: a JSON body
			"POST",
			"/api/method/helpdesk.helpdesk.doctype.hd_ticket.api.new",
			json={"doc": {"subject": "x", "description": "<p>hi</p>", "ssp_text_length": 500}},
		)
		self.assertEqual(created.status_code, 200, created.text[:300])
		name = str(created.json()["message"]["name"])
		self.assertEqual(stored_length(name), len("x hi"))
		for door in (
			lambda: client.resource("PUT", "HD Ticket", name, json={"ssp_text_length": 999}),
			lambda: client.call(
				"frappe.client.set_value",
				doctype="HD Ticket",
				name=name,
				fieldname="ssp_text_length",
				value="999",
			),
		):
			door()
			self.assertEqual(stored_length(name), len("x hi"))

	def test_an_agent_editing_the_description_moves_the_length(self):
		frappe.set_user("Administrator")
		name = ticket(make_portal_user(), datetime(2020, 3, 2, 9), text="<p>hi</p>", subject="y")
		frappe.db.commit()  # nosemgrep: the server must see it
		subject = frappe.db.get_value("HD Ticket", name, "subject")
		response = self.client(self.agent).resource(
			"PUT", "HD Ticket", name, json={"description": "<p>Now <b>described</b> properly</p>"}
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertEqual(stored_length(name), len(f"{subject} Now described properly"))
