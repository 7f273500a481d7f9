"""The approval state machine, frappe-free.

A request's approval rows are (step, approver, rule, decision). Steps run in order; a step is done
when one approver approved ("Any of") or all did ("All of"); any rejection rejects the request.
"""

from dataclasses import dataclass

PENDING, APPROVED, REJECTED, SKIPPED = "Pending", "Approved", "Rejected", "Skipped"
ANY_OF, ALL_OF = "Any of", "All of"


@dataclass
class ApprovalRow:
	step: int
	approver: str
	rule: str = ANY_OF
	decision: str = PENDING


def step_outcome(rows: list[ApprovalRow]) -> str:
	"""Outcome of one step's rows: Pending, Approved or Rejected."""
	decisions = [r.decision for r in rows]
	if REJECTED in decisions:
		return REJECTED
	rule = rows[0].rule if rows else ANY_OF
	if rule == ALL_OF:
		return APPROVED if all(d == APPROVED for d in decisions) else PENDING
	return APPROVED if APPROVED in decisions else PENDING


def steps(rows: list[ApprovalRow]) -> list[tuple[int, list[ApprovalRow]]]:
	by_step: dict[int, list[ApprovalRow]] = {}
	for row in rows:
		by_step.setdefault(row.step, []).append(row)
	return sorted(by_step.items())


def current_step(rows: list[ApprovalRow]) -> int | None:
	"""The first step that is not yet approved, or None when all are (or one rejected)."""
	for step, step_rows in steps(rows):
		outcome = step_outcome(step_rows)
		if outcome == REJECTED:
			return None
		if outcome == PENDING:
			return step
	return None


def overall_status(rows: list[ApprovalRow]) -> str:
	"""'Pending Approval', 'Approved' or 'Rejected' for the whole chain (no rows: 'Approved')."""
	for _, step_rows in steps(rows):
		outcome = step_outcome(step_rows)
		if outcome == REJECTED:
			return "Rejected"
		if outcome == PENDING:
			return "Pending Approval"
	return "Approved"


class DecisionError(ValueError):
	"""Why a decision cannot be taken; the message key is translated by the caller."""


def apply_decision(
	rows: list[ApprovalRow], user: str, decision: str, is_admin: bool = False
) -> list[ApprovalRow]:
	"""Record ``user``'s decision on the current step and return the rows that changed.

	Only a pending approver of the current step may decide (an admin may decide for anyone on it);
	deciding twice, deciding a closed chain or deciding a later step raises DecisionError.
	"""
	if decision not in (APPROVED, REJECTED):
		raise DecisionError("decision must be Approved or Rejected")
	step = current_step(rows)
	if step is None:
		raise DecisionError("this request is no longer awaiting approval")
	step_rows = [r for r in rows if r.step == step]
	mine = [r for r in step_rows if r.approver == user]
	if mine and all(r.decision != PENDING for r in mine):
		raise DecisionError("you have already decided this step")
	pending_mine = [r for r in mine if r.decision == PENDING]
	if not pending_mine:
		if not is_admin:
			if any(r.approver == user for r in rows):
				raise DecisionError("it is not your step's turn yet")
			raise DecisionError("you are not an approver of this request")
		pending_mine = [r for r in step_rows if r.decision == PENDING][:1]
	changed = []
	for row in pending_mine:
		row.decision = decision
		changed.append(row)
	outcome = step_outcome(step_rows)
	if outcome != PENDING:
		# The step is settled: nobody else on it needs to act any more.
		for row in step_rows:
			if row.decision == PENDING:
				row.decision = SKIPPED
				changed.append(row)
	if outcome == REJECTED:
		for row in rows:
			if row.step > step and row.decision == PENDING:
				row.decision = SKIPPED
				changed.append(row)
	return changed
