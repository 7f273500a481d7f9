import pytest

from selfservice_portal.service_catalog.approvals import (
	ALL_OF,
	ANY_OF,
	ApprovalRow,
	DecisionError,
	apply_decision,
	current_step,
	overall_status,
)


def chain():
	"""Step 1: the manager; step 2: any of two finance people; step 3: both legal people."""
	return [
		ApprovalRow(1, "manager"),
		ApprovalRow(2, "fin1", ANY_OF),
		ApprovalRow(2, "fin2", ANY_OF),
		ApprovalRow(3, "legal1", ALL_OF),
		ApprovalRow(3, "legal2", ALL_OF),
	]


def decisions(rows):
	return [r.decision for r in rows]


def test_no_steps_means_approved():
	assert overall_status([]) == "Approved"
	assert current_step([]) is None


def test_full_chain_any_of_then_all_of():
	rows = chain()
	assert current_step(rows) == 1 and overall_status(rows) == "Pending Approval"
	apply_decision(rows, "manager", "Approved")
	assert current_step(rows) == 2
	apply_decision(rows, "fin2", "Approved")
	assert decisions(rows)[1:3] == ["Skipped", "Approved"]
	assert current_step(rows) == 3
	apply_decision(rows, "legal1", "Approved")
	assert overall_status(rows) == "Pending Approval"
	apply_decision(rows, "legal2", "Approved")
	assert overall_status(rows) == "Approved"


def test_rejection_ends_the_chain_and_skips_later_steps():
	rows = chain()
	apply_decision(rows, "manager", "Rejected")
	assert overall_status(rows) == "Rejected"
	assert decisions(rows) == ["Rejected", "Skipped", "Skipped", "Skipped", "Skipped"]
	with pytest.raises(DecisionError, match="no longer awaiting"):
		apply_decision(rows, "fin1", "Approved")


def test_only_the_current_steps_approver_decides():
	rows = chain()
	with pytest.raises(DecisionError, match="not your step's turn"):
		apply_decision(rows, "fin1", "Approved")
	with pytest.raises(DecisionError, match="not an approver"):
		apply_decision(rows, "stranger", "Approved")
	assert decisions(rows) == ["Pending"] * 5


def test_deciding_twice_fails_and_changes_nothing():
	rows = [ApprovalRow(1, "legal1", ALL_OF), ApprovalRow(1, "legal2", ALL_OF)]
	apply_decision(rows, "legal1", "Approved")
	before = decisions(rows)
	with pytest.raises(DecisionError, match="already decided"):
		apply_decision(rows, "legal1", "Rejected")
	assert decisions(rows) == before


def test_admin_decides_for_the_current_step():
	rows = chain()
	changed = apply_decision(rows, "admin", "Approved", is_admin=True)
	assert [r.approver for r in changed] == ["manager"]
	assert current_step(rows) == 2


def test_unknown_decision_is_refused():
	with pytest.raises(DecisionError):
		apply_decision(chain(), "manager", "Maybe")
