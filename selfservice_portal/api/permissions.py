"""Permission guards that open every whitelisted method."""

import frappe
from frappe import _

STAFF_ROLES = ("System Manager", "SSP Manager", "Agent", "Agent Manager")


def require_login() -> None:
	if frappe.session.user == "Guest":
		frappe.throw(_("Please sign in to use the service catalog."), frappe.PermissionError)


def require_roles(*roles: str) -> None:
	"""Like frappe.only_for, but also enforced under tests, which is where we prove it."""
	require_login()
	if frappe.session.user != "Administrator" and not set(roles) & set(frappe.get_roles()):
		frappe.throw(_("You need one of these roles: {0}").format(", ".join(roles)), frappe.PermissionError)


def is_admin(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool({"System Manager", "SSP Manager"} & set(frappe.get_roles(user)))
