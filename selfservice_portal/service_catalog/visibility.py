"""Who may see a catalog service, frappe-free: the catalog and every endpoint ask the same question."""

from dataclasses import dataclass, field

EVERYONE, ROLES, AUDIENCE = "Everyone", "Roles", "Customers and Contacts"


@dataclass(frozen=True)
class Viewer:
	user: str
	roles: frozenset[str] = frozenset()
	# ("HD Customer", name) and ("Contact", name) pairs the user belongs to
	memberships: frozenset[tuple[str, str]] = frozenset()
	sees_everything: bool = False


@dataclass(frozen=True)
class ServiceAccess:
	visibility: str = EVERYONE
	roles: frozenset[str] = frozenset()
	audience: frozenset[tuple[str, str]] = field(default_factory=frozenset)


def can_see(viewer: Viewer, access: ServiceAccess) -> bool:
	if viewer.user == "Guest":
		return False
	if viewer.sees_everything or access.visibility == EVERYONE:
		return True
	if access.visibility == ROLES:
		return bool(viewer.roles & access.roles)
	if access.visibility == AUDIENCE:
		return bool(viewer.memberships & access.audience)
	return False
