"""What the two daily roll-ups (SSP Daily Stat here, SSP Fulfilment Stat in the catalog) share: a
day's bounds, the marker of the last nightly run, the insert of a day's rows and the background job
that rebuilds a range of days for a manager.

A rebuild's progress goes to the SSP Deflection Settings form (Frappe's own ``publish_progress``,
shown by the form's progress bar to whoever has it open); the nightly runs publish nothing."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import frappe
from frappe import _
from frappe.utils import add_days, get_datetime, getdate, now_datetime

PROGRESS_FORM = "SSP Deflection Settings"
ROW_STAMPS = ("creation", "modified", "owner", "modified_by")


def day_bounds(day: date | str) -> tuple[datetime, datetime]:
	start = get_datetime(f"{getdate(day)} 00:00:00")
	return start, start + timedelta(days=1)


def days_between(from_date: str | date, to_date: str | date) -> list[date]:
	"""Every day from ``from_date`` to ``to_date``, both included."""
	start, end = getdate(from_date), getdate(to_date)
	return [getdate(add_days(start, offset)) for offset in range((end - start).days + 1)]


def get_last_run(key: str) -> datetime | None:
	value = frappe.db.get_default(key)
	return get_datetime(value) if value else None


def set_last_run(started: datetime, key: str) -> None:
	"""When the last nightly run *started*: what changed while it ran is picked up by the next one."""
	frappe.db.set_default(key, str(started))
	frappe.db.commit()  # nosemgrep: scheduler job; the marker must match the days committed above


def insert_stat_rows(doctype: str, fields: Sequence[str], rows: list[list]) -> None:
	"""Insert roll-up rows in one statement, each with a new name and stamped now by Administrator
	(``fields`` names the values of each row, in order)."""
	if not rows:
		return
	stamp = now_datetime()
	frappe.db.bulk_insert(
		doctype,
		["name", *fields, *ROW_STAMPS],
		[
			[frappe.generate_hash(length=12), *values, stamp, stamp, "Administrator", "Administrator"]
			for values in rows
		],
	)


def enqueue_rebuild(method: str, job_name: str, from_date: str, to_date: str, **job_kwargs: bool) -> str:
	"""Rebuild a range of days in the background (``method`` takes ``from_date``, ``to_date`` and
	``job_kwargs``); one job per roll-up and range however often it is asked for."""
	job_id = f"{job_name}-{from_date}-{to_date}"
	frappe.enqueue(
		method,
		queue="long",
		job_id=job_id,
		deduplicate=True,
		from_date=from_date,
		to_date=to_date,
		**job_kwargs,
	)
	return job_id


def publish_day_done(done: int, total: int, day: date) -> None:
	"""Progress of a rebuild, called once a day is committed."""
	frappe.publish_progress(
		100 * done / total,
		title=_("Recomputing the self-service figures"),
		doctype=PROGRESS_FORM,
		docname=PROGRESS_FORM,
		description=_("{0} of {1} days, up to {2}").format(done, total, frappe.utils.formatdate(day)),
	)
