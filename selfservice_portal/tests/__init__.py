# One suite for Frappe v15 and v16: prefer v16's IntegrationTestCase, fall back to v15's FrappeTestCase.
try:
	from frappe.tests import IntegrationTestCase
except ImportError:
	from frappe.tests.utils import FrappeTestCase as IntegrationTestCase

__all__ = ["IntegrationTestCase"]
