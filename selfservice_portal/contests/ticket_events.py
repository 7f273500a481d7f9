"""What contests keep on HD Ticket (doc_events)."""

from frappe.model.document import Document

from selfservice_portal.contests.fair_play import text_length
from selfservice_portal.contests.ticket_metrics import TEXT_LENGTH
from selfservice_portal.deflection.queries import update_tickets_in_ranges


def set_text_length(doc: Document, method: str | None = None) -> None:
	"""HD Ticket validate: the stored text length follows the subject and description at every save
	(a value a client sent is replaced)."""
	doc.ssp_text_length = text_length(doc.subject, doc.description)


BACKFILL_TEXT_LENGTH = f"""UPDATE `tabHD Ticket` ticket SET ticket.ssp_text_length = {TEXT_LENGTH}
WHERE ticket.name > %(lo)s AND ticket.name <= %(hi)s AND ticket.ssp_text_length < 0"""


def backfill_text_lengths() -> int:
	"""The text length of tickets written without a save (-1: saved before it was kept, or inserted
	in SQL), set-based in primary-key ranges; idempotent (only unknown lengths are written). Returns
	rows updated."""
	return update_tickets_in_ranges(BACKFILL_TEXT_LENGTH, {})
