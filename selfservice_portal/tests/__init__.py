# One suite for Frappe v15 and v16: prefer v16's IntegrationTestCase, fall back to v15's FrappeTestCase.
try:
	from frappe.tests import IntegrationTestCase
except ImportError:
	from frappe.tests.utils import FrappeTestCase as IntegrationTestCase

__all__ = ["IntegrationTestCase", "flush_portal_events"]


def flush_portal_events() -> int:
	"""Write the portal events waiting in the write-behind buffer (``deflection.events.defer_event``),
	as the scheduler's flush does every minute, but into the test's own transaction: for tests that
	read events right after logging them. Returns the rows written."""
	from selfservice_portal.deflection.events import flush_events

	return flush_events(commit=False)
