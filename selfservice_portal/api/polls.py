"""Poll endpoints: `selfservice_portal.api.polls.<verb_noun>`.

Portal users answer the open polls of their audience, once; managers (System Manager, SSP Manager)
open and close polls and read the results.
"""

from collections.abc import Callable

import frappe
from frappe import _
from frappe.model.document import Document

from selfservice_portal.deflection import poll_results, polls
from selfservice_portal.permissions import MANAGER_ROLES as MANAGERS
from selfservice_portal.permissions import (
	bounded,
	check_answers,
	check_name,
	login_required,
	require_login,
	require_roles,
	roles_required,
)

MAX_ANSWERS_LENGTH = 40_000


def poll_doc(name: str) -> Document:
	check_name(name, _("Poll"))
	if not frappe.db.exists("SSP Poll", name):
		frappe.throw(_("Poll {0} was not found").format(bounded(name)), frappe.DoesNotExistError)
	return frappe.get_doc("SSP Poll", name)


@frappe.whitelist(methods=["POST"])
@login_required
def submit_poll(poll: str = "", answers: dict | str | None = None) -> dict:
	"""Validate and store the caller's answers to an open poll of their audience, once."""
	check_name(poll, _("Poll"))
	answers = check_answers(answers, MAX_ANSWERS_LENGTH)
	doc = poll_doc(poll)
	if not polls.visible_to(doc, frappe.session.user):
		# A draft, or not addressed to the caller: the same answer as for a poll that does not exist.
		frappe.throw(_("Poll {0} was not found").format(bounded(poll)), frappe.DoesNotExistError)
	return polls.submit_answers(doc.name, answers, frappe.session.user)


@frappe.whitelist(methods=["POST"])
@roles_required(*MANAGERS)
def open_poll(poll: str = "") -> dict:
	return moved(poll, polls.open_poll)


@frappe.whitelist(methods=["POST"])
@roles_required(*MANAGERS)
def close_poll(poll: str = "") -> dict:
	return moved(poll, polls.close_poll)


def moved(poll: str, move: Callable[[Document], None]) -> dict:
	"""The poll's status once ``move`` (open or close) has moved it."""
	doc = poll_doc(poll)
	move(doc)
	return {"status": doc.status}


@frappe.whitelist(methods=["GET"])
@roles_required(*MANAGERS)
@frappe.read_only()
def get_poll_results(poll: str = "") -> dict:
	poll_doc(poll)
	results = poll_results.poll_results(poll)
	if results["crosstab"]:
		# JSON has no tuple keys: "question_key|answer|group".
		results["crosstab"]["cells"] = {
			"|".join(key): count for key, count in results["crosstab"]["cells"].items()
		}
	return results
