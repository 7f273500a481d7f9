"""Benchmark: a poll's results (one set-based query per question, plus the portal-share breakdown of a
named poll) vs the bare GROUP BY over the answer table that counts the same answers.

	bench --site SITE execute selfservice_portal.benchmarks.poll_results.run --kwargs "{'responses': 20000}"

Target: results ≤ 2x the bare GROUP BY. SCRATCH DATA (a poll, its responses and answers, generated in
SQL from MariaDB's sequence tables) is deleted at the end. Dev sites only.
"""

import statistics
import time

import frappe

from selfservice_portal.benchmarks.harness import print_table
from selfservice_portal.deflection import poll_results, polls

PREFIX = "ssppb"
QUESTIONS = (
	{"question": "Preferred channel", "kind": polls.SINGLE, "options": "Portal\nEmail\nPhone\nChat"},
	{"question": "Why", "kind": polls.TEXT},
	{"question": "Missing in the catalog", "kind": polls.MULTIPLE, "options": "Services\nForms\nTracking"},
	{"question": "Knowledge base useful", "kind": polls.SINGLE, "options": "Yes\nPartly\nNo"},
	{"question": "Ease", "kind": polls.RATING},
	{"question": "Recommend", "kind": polls.LIKELIHOOD},
)
BARE_GROUP_BY = (
	"SELECT question_key, value, COUNT(*) FROM `tabSSP Poll Answer` WHERE poll = %(poll)s "
	"GROUP BY question_key, value"
)


def seed(responses: int) -> str:
	poll = frappe.get_doc(
		{
			"doctype": "SSP Poll",
			"title": f"{PREFIX} benchmark poll",
			"audience_type": "All Portal Users",
			"questions": [dict(q) for q in QUESTIONS],
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("SSP Poll", poll.name, "status", polls.OPEN)
	keys = [q.question_key for q in poll.questions]
	now = frappe.utils.now()
	base = {"poll": poll.name, "now": now}
	frappe.db.sql(
		f"""INSERT INTO `tabSSP Poll Response` (name, poll, user, respondent_key, creation, modified, owner, modified_by)
		SELECT CONCAT('{PREFIX}r', seq), %(poll)s, CONCAT('{PREFIX}', seq, '@bench.example'), SHA2(CONCAT(%(poll)s, seq), 256),
			%(now)s, %(now)s, 'Administrator', 'Administrator'
		FROM seq_1_to_{responses}""",
		base,
	)

	def answers(
		q: int,
		value_sql: str,
		number_sql: str = "0",
		text_sql: str = "NULL",
		where: str = "1",
		tag: str = "",
	) -> None:
		frappe.db.sql(
			f"""INSERT INTO `tabSSP Poll Answer` (name, parent, parenttype, parentfield, idx, poll, question_key,
				value, number, text, creation, modified, owner, modified_by)
			SELECT CONCAT('{PREFIX}a{q}{tag}-', seq), CONCAT('{PREFIX}r', seq), 'SSP Poll Response', 'answers', {q + 1},
				%(poll)s, %(key)s, {value_sql}, {number_sql}, {text_sql}, %(now)s, %(now)s, 'Administrator', 'Administrator'
			FROM seq_1_to_{responses} WHERE {where}""",
			{**base, "key": keys[q]},
		)

	answers(0, "ELT(1 + MOD(seq, 4), 'Portal', 'Email', 'Phone', 'Chat')")
	answers(1, "NULL", text_sql="CONCAT('Because reason ', MOD(seq, 97))", where="MOD(seq, 3) = 0")
	answers(2, "ELT(1 + MOD(seq, 3), 'Services', 'Forms', 'Tracking')", number_sql="1")  # first pick
	answers(2, "ELT(1 + MOD(seq + 1, 3), 'Services', 'Forms', 'Tracking')", where="MOD(seq, 2) = 0", tag="b")
	answers(3, "ELT(1 + MOD(seq, 3), 'Yes', 'Partly', 'No')")
	answers(4, "CAST(1 + MOD(seq * 7, 5) AS CHAR)", number_sql="1 + MOD(seq * 7, 5)")
	answers(5, "CAST(MOD(seq * 13, 11) AS CHAR)", number_sql="MOD(seq * 13, 11)")
	frappe.db.commit()  # nosemgrep: a benchmark's scratch data, measured like real data
	# Statistics as a live table has them (a bulk insert leaves them stale).
	frappe.db.sql("ANALYZE TABLE `tabSSP Poll Answer`, `tabSSP Poll Response`")
	return poll.name


def timed(runs: dict, repeat: int) -> dict:
	"""Median seconds of each of ``runs`` over ``repeat`` rounds, after one warm-up round. The runs take
	turns within a round, so that load from other processes on the machine falls on all of them."""
	samples = {name: [] for name in runs}
	for round_no in range(repeat + 1):
		for name, fn in runs.items():
			started = time.perf_counter()
			fn()
			if round_no:
				samples[name].append(time.perf_counter() - started)
	return {name: statistics.median(values) for name, values in samples.items()}


def cleanup() -> None:
	for name in frappe.get_all("SSP Poll", {"title": f"{PREFIX} benchmark poll"}, pluck="name"):
		frappe.db.delete("SSP Poll Answer", {"poll": name})
		frappe.db.delete("SSP Poll Response", {"poll": name})
		frappe.db.delete("SSP Poll Question", {"parent": name, "parenttype": "SSP Poll"})
		frappe.db.delete("SSP Poll", name)
	frappe.db.commit()  # nosemgrep: scratch data goes for good


def run(responses: int = 20_000, repeat: int = 9) -> dict:
	cleanup()
	try:
		started = time.perf_counter()
		poll = seed(responses)
		seeded = time.perf_counter() - started
		rows = frappe.db.count("SSP Poll Answer", {"poll": poll})
		doc = frappe.get_doc("SSP Poll", poll)

		def per_question() -> list[dict]:
			return [poll_results.question_results(poll, q) for q in doc.questions]

		medians = timed(
			{
				"bare": lambda: frappe.db.sql(BARE_GROUP_BY, {"poll": poll}),
				"questions": per_question,
				"full": lambda: poll_results.poll_results(poll),
			},
			repeat,
		)
		bare, questions, full = medians["bare"], medians["questions"], medians["full"]
		result = poll_results.poll_results(poll)
		assert result["respondents"] == responses
		figures = {
			"responses": responses,
			"answer_rows": rows,
			"seed_s": round(seeded, 2),
			"bare_group_by_s": round(bare, 4),
			"per_question_s": round(questions, 4),
			"with_breakdown_s": round(full, 4),
			"ratio": round(questions / bare, 2),
			"ratio_with_breakdown": round(full / bare, 2),
		}
		print_table(
			f"Poll results: {responses:,} responses x {len(QUESTIONS)} questions ({rows:,} answer rows), median of {repeat}",
			[
				("what", "seconds", "x bare GROUP BY"),
				("bare GROUP BY over the answer table (1 query)", f"{bare:.4f}", "1.00"),
				(
					f"results, one query per question ({len(QUESTIONS)} queries)",
					f"{questions:.4f}",
					f"{questions / bare:.2f}",
				),
				(
					"results + portal-share breakdown (named poll, +2 queries)",
					f"{full:.4f}",
					f"{full / bare:.2f}",
				),
			],
		)
		print("target: results ≤ 2x the bare GROUP BY")
		return figures
	finally:
		cleanup()
