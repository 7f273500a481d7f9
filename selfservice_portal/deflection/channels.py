"""Channels every site starts with; admins extend the list in Desk (SSP Channel). Frappe-free."""

from typing import NamedTuple


class ChannelDefault(NamedTuple):
	name: str
	is_self_service: bool
	description: str


DEFAULT_CHANNELS: tuple[ChannelDefault, ...] = (
	ChannelDefault(
		"Portal", True, "Raised by the requester through the Helpdesk customer portal or the service catalog."
	),
	ChannelDefault("Email", False, "Received through a Helpdesk Email Account."),
	ChannelDefault("Phone", False, "A call, logged by an agent or by Telephony."),
	ChannelDefault("Messenger", False, "A message on a chat messenger (Telegram, WhatsApp, Teams…)."),
	ChannelDefault("Chat", False, "The website live chat."),
	ChannelDefault("Walk-in", False, "The requester came to the desk in person."),
	ChannelDefault("API", False, "Created by an integration through the REST API."),
	ChannelDefault("Other", False, "Anything else."),
)
