from selfservice_portal.service_catalog.visibility import (
	AUDIENCE,
	EVERYONE,
	ROLES,
	ServiceAccess,
	Viewer,
	can_see,
)

ALICE = Viewer("alice@x", frozenset({"Customer"}), frozenset({("HD Customer", "Acme"), ("Contact", "Alice")}))
BOB = Viewer("bob@x", frozenset({"Employee"}), frozenset({("HD Customer", "Globex")}))
AGENT = Viewer("agent@x", frozenset({"Agent"}), sees_everything=True)
GUEST = Viewer("Guest")


def test_everyone_means_signed_in_users_only():
	access = ServiceAccess(EVERYONE)
	assert can_see(ALICE, access) and can_see(BOB, access)
	assert not can_see(GUEST, access)


def test_roles():
	access = ServiceAccess(ROLES, roles=frozenset({"Employee"}))
	assert can_see(BOB, access) and not can_see(ALICE, access)


def test_customers_and_contacts():
	by_customer = ServiceAccess(AUDIENCE, audience=frozenset({("HD Customer", "Acme")}))
	by_contact = ServiceAccess(AUDIENCE, audience=frozenset({("Contact", "Alice")}))
	assert can_see(ALICE, by_customer) and can_see(ALICE, by_contact)
	assert not can_see(BOB, by_customer) and not can_see(BOB, by_contact)


def test_staff_see_everything_but_guests_never():
	hidden = ServiceAccess(ROLES, roles=frozenset())
	assert can_see(AGENT, hidden)
	assert not can_see(Viewer("Guest", sees_everything=True), ServiceAccess(EVERYONE))


def test_unknown_visibility_hides():
	assert not can_see(ALICE, ServiceAccess("Nobody"))
