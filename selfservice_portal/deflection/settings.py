"""The deflection settings as plain values (cached by Frappe with the Single document)."""

from dataclasses import dataclass
from datetime import timedelta

import frappe

SETTINGS = "SSP Deflection Settings"


@dataclass(frozen=True)
class DeflectionRules:
	gap: timedelta = timedelta(minutes=30)
	window: timedelta = timedelta(hours=72)


def get_rules() -> DeflectionRules:
	settings = frappe.get_cached_doc(SETTINGS)
	return DeflectionRules(
		gap=timedelta(minutes=settings.journey_gap_minutes or 30),
		window=timedelta(hours=settings.deflection_window_hours or 72),
	)
