"""Wrappers around Helpdesk's knowledge-base methods that only Helpdesk sees being called
(`override_whitelisted_methods`). Same signature, same result, same errors — plus one event.

Pinned to Helpdesk v1.25.1 by ``test_kb_wrappers.py``, which fails loudly if Helpdesk changes them.
"""

import frappe
from helpdesk.api import article as hd_article
from helpdesk.api import knowledge_base as hd_kb

from selfservice_portal.deflection.events import (
	SEARCH_FAILED,
	EventValue,
	defer_event_within_rate_limit,
	log_event_surviving_rollback,
	tracking_allowed,
	within_rate_limit,
)


def track(event_type: str, failed: bool = False, **fields: EventValue) -> None:
	"""Never let tracking break the page: over the rate limit nothing is recorded (the reader still
	gets Helpdesk's answer), and a failed insert is logged, not raised. Written behind: searches and
	article views are the portal's most frequent steps."""
	if not tracking_allowed():
		return
	try:
		if not failed:
			defer_event_within_rate_limit(event_type, **fields)
		elif within_rate_limit():
			log_event_surviving_rollback(event_type, **fields)
	except Exception:
		frappe.log_error(title="selfservice_portal: portal event not recorded")


@frappe.whitelist(allow_guest=True)
def get_article(name: str):  # no return type: the signature is Helpdesk's own, to the letter
	# allow_guest mirrors Helpdesk's own decorator: the public knowledge base is readable by guests.
	result = hd_kb.get_article(name)
	track("Article View", hd_article=name)
	return result


@frappe.whitelist()
def search(query: str) -> list:
	try:
		result = hd_article.search(query)
	except Exception:
		# Helpdesk's error stays Helpdesk's error; the search is still a step of the journey.
		track("KB Search", failed=True, query=query, result_count=SEARCH_FAILED)
		raise
	track("KB Search", query=query, result_count=len(result))
	return result
