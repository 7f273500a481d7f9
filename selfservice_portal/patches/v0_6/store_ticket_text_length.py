"""Tickets keep their text length (ssp_text_length, set at every save): add the field and fill it for
the tickets saved before, so that judging a contest no longer strips every ticket's HTML."""

from selfservice_portal.contests.ticket_events import backfill_text_lengths
from selfservice_portal.setup.custom_fields import apply_custom_fields


def execute() -> None:
	apply_custom_fields()
	backfill_text_lengths()
