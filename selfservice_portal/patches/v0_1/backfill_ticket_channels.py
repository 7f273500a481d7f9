"""Give every existing ticket a channel, with the creation rules history can still answer
(see deflection.ticket_channels.backfill_case_sql), in primary-key batches of 10,000."""

from selfservice_portal.deflection.ticket_channels import backfill_ticket_channels
from selfservice_portal.setup.custom_fields import apply_custom_fields


def execute() -> None:
	# after_migrate runs after patches; the backfill writes ssp_channel_source, added with this change.
	apply_custom_fields()
	backfill_ticket_channels()
