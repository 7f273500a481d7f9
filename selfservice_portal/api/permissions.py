"""Kept for callers of earlier versions: the guards live in selfservice_portal.permissions."""

from selfservice_portal.permissions import STAFF_ROLES, is_admin, require_login, require_roles

__all__ = ["STAFF_ROLES", "is_admin", "require_login", "require_roles"]
