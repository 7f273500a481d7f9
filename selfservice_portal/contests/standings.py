"""Standings as stored: one SSP Contest Standing row per participant and nomination, with its result
text, sort key, fair-play flags and any review already made — written in bulk, so pages never
recompute them."""

import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import partial

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime

from selfservice_portal.contests.ranking import CombinedRanked, Ranked

STANDING_FIELDS = (
	"name",
	"contest",
	"nomination_key",
	"nomination_title",
	"user",
	"participant_name",
	"result",
	"sort_key",
	"score",
	"base",
	"achieved_on",
	"rank",
	"place",
	"is_eligible",
	"is_flagged",
	"flag_reasons",
	"review_status",
	"review_reason",
	"reviewed_by",
	"reviewed_on",
	"counted_records",
	"excluded_records",
	"breakdown",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
)


def previous_reviews(contest_name: str) -> dict[tuple[str, str], dict]:
	"""Reviews already made, by (nomination key, user): they survive re-judging."""
	rows = frappe.get_all(
		"SSP Contest Standing",
		filters={"contest": contest_name, "review_status": ("in", ["Cleared", "Disqualified"])},
		fields=["nomination_key", "user", "review_status", "review_reason", "reviewed_by", "reviewed_on"],
	)
	return {(review.nomination_key, review.user): review for review in rows}


def flag_reason_text(burst_at: datetime | None, outlier: tuple[str, float] | None) -> str:
	reasons = []
	if burst_at:
		reasons.append(_("burst of requests starting {0}").format(frappe.utils.format_datetime(burst_at)))
	if outlier:
		kind, reference = outlier
		if kind == "peers":
			reasons.append(
				_("far above the other participants (95th percentile {0})").format(f"{reference:g}")
			)
		else:
			reasons.append(_("far above their own previous period ({0})").format(f"{reference:g}"))
	return "; ".join(reasons)


class ResultTexts:
	"""A nomination's sort keys and result texts ('Rank 2 · 33 %', 'Not ranked · 0', what the Desk list
	of standings shows). Tens of thousands of standings share a few hundred distinct scores: each
	score is formatted once, the contest's date once."""

	def __init__(self, contest: Document, nomination: Document, score_text: Callable[[float], str]) -> None:
		# Desk lists standings by the sort key, descending: newest contest first, then its nominations
		# in order, each by rank, the unranked last.
		self.prefix = f"{get_datetime(contest.starts_on):%Y%m%d%H%M}-{99 - min(nomination.idx or 0, 99):02d}-"
		self.rank_label, self.not_ranked = _("Rank {0}"), _("Not ranked")
		self.score_text = score_text
		self.texts: dict[float, str] = {}

	def sort_key(self, rank: int) -> str:
		return f"{self.prefix}{99999 - min(rank, 99998) if rank else 0:05d}"

	def result(self, rank: int, score: float) -> str:
		text = self.texts.get(score)
		if text is None:
			text = self.texts[score] = self.score_text(score)
		return f"{self.rank_label.format(rank) if rank else self.not_ranked} · {text}"


def full_names(users: set[str]) -> dict[str, str]:
	"""Names for the Desk list of standings, in one query."""
	if not users:
		return {}
	return dict(
		frappe.db.sql(
			"SELECT name, full_name FROM `tabUser` WHERE name IN %(users)s", {"users": tuple(users)}
		)
	)


def standing_row(
	contest: Document,
	nomination: Document,
	ranked: Ranked | CombinedRanked,
	values: dict,
	flags: tuple[datetime | None, tuple[str, float] | None],
	review: dict | None,
	stamp: dict,
) -> dict:
	"""One SSP Contest Standing row: ``ranked`` is the ranking result, ``values`` the nomination-specific
	columns (result, sort key, score, base, achieved_on, counted and excluded records, breakdown),
	``flags`` when a burst began and the outlier reason, ``stamp`` the ``record_stamp``."""
	burst_at, outlier = flags
	flagged = bool(ranked.is_eligible and (burst_at or outlier))
	return {
		"name": None,  # named in order when written (write_standings)
		"contest": contest.name,
		"nomination_key": nomination.nomination_key,
		"nomination_title": nomination.nomination_title,
		"user": ranked.user,
		"participant_name": None,  # filled for the whole contest in one query (judge)
		"rank": ranked.rank,
		"place": ranked.place,
		"is_eligible": int(ranked.is_eligible),
		"is_flagged": int(flagged),
		"flag_reasons": flag_reason_text(burst_at, outlier) if flagged else None,
		"review_status": review.review_status if review else ("Pending" if flagged else "Not Needed"),
		"review_reason": review.review_reason if review else None,
		"reviewed_by": review.reviewed_by if review else None,
		"reviewed_on": review.reviewed_on if review else None,
		**values,
		**stamp,
	}


def record_stamp() -> dict:
	"""When and by whom: the same for every standing of a judging."""
	now, user = now_datetime(), frappe.session.user
	return {"creation": now, "modified": now, "owner": user, "modified_by": user, "docstatus": 0}


def status_unchanged(contest: Document) -> bool:
	"""Lock the contest for the write (judgings of one contest write one after the other) and compare
	its committed status with the one this run computed for: an interim run of a contest closed in the
	meantime must not overwrite the final standings."""
	current = frappe.db.sql("SELECT status FROM `tabSSP Contest` WHERE name = %s FOR UPDATE", contest.name)
	return bool(current) and current[0][0] == contest.status


STANDINGS_CHUNK = 2000
# A chunk of rows as a table value constructor: the values that differ per row come as parameters,
# the values every row shares are written once per statement (not once per row) by the SELECT.
INSERT_STANDINGS = (
	"INSERT INTO `tabSSP Contest Standing` ({columns}) "
	"WITH chunk ({varying}) AS (VALUES {rows}) SELECT chunk.*{shared} FROM chunk"
)
# The same for every standing of a nomination: written once per statement, not escaped per row.
NOMINATION_CONSTANTS = (
	"contest",
	"nomination_key",
	"nomination_title",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
)
# What an unflagged standing without a review holds (nearly every standing): the same for all of them,
# so they are written once per statement too.
UNREVIEWED = {
	"is_flagged": 0,
	"flag_reasons": None,
	"review_status": "Not Needed",
	"review_reason": None,
	"reviewed_by": None,
	"reviewed_on": None,
}


# What a standing says, not when or by whom it was written: a re-judging leaves a standing whose
# content did not change as it is.
CONTENT_FIELDS = tuple(
	field
	for field in STANDING_FIELDS
	if field not in ("name", "creation", "modified", "owner", "modified_by", "docstatus")
)
DELETE_CHUNK = 5000


def write_standings(contest_name: str, rows: list[dict]) -> None:
	"""Bring a contest's standings to ``rows``. A standing that says what the stored one says is left
	as it is, so the hourly interim judging of a running contest writes only what moved; the others
	are deleted and inserted, one multi-row INSERT per chunk, its values passed as parameters
	(``db.bulk_insert`` renders every value through the query builder, which costs more than the insert
	itself at tens of thousands of rows). What a nomination's rows share is written once per chunk;
	names grow with time (``standing_names``), so the rows are appended to the table's primary key
	rather than scattered through it."""
	stored = stored_contents(contest_name)
	changed, stale = [], []
	for row in rows:
		name, content = stored.pop((row["nomination_key"], row["user"]), (None, None))
		if content is not None and content == standing_content(row):
			continue
		if name:
			stale.append(name)
		changed.append(row)
	stale.extend(name for name, _content in stored.values())  # no longer judged at all
	for start in range(0, len(stale), DELETE_CHUNK):
		frappe.db.delete("SSP Contest Standing", {"name": ("in", stale[start : start + DELETE_CHUNK])})
	for row, name in zip(changed, standing_names(), strict=False):
		row["name"] = name
	for _key, nomination_rows in itertools.groupby(changed, key=lambda row: row["nomination_key"]):
		unreviewed, others = [], []
		for row in nomination_rows:
			is_unreviewed = all(row[field] == value for field, value in UNREVIEWED.items())
			(unreviewed if is_unreviewed else others).append(row)
		insert_standings(unreviewed, (*NOMINATION_CONSTANTS, *UNREVIEWED))
		insert_standings(others, NOMINATION_CONSTANTS)


def stored_contents(contest_name: str) -> dict[tuple[str, str], tuple[str, tuple]]:
	"""(nomination key, user) → (name, content) of the contest's stored standings."""
	columns = ", ".join(f"`{field}`" for field in ("name", *CONTENT_FIELDS))
	rows = frappe.db.sql(
		f"SELECT {columns} FROM `tabSSP Contest Standing` WHERE contest = %s",  # nosemgrep: our field list
		contest_name,
	)
	key, user = CONTENT_FIELDS.index("nomination_key"), CONTENT_FIELDS.index("user")
	return {(row[1 + key], row[1 + user]): (row[0], rounded(row[1:])) for row in rows}


def standing_content(row: dict) -> tuple:
	return rounded(row[field] for field in CONTENT_FIELDS)


def rounded(values: Iterable) -> tuple:
	"""Values as the database holds them: a Float column keeps 9 decimals."""
	return tuple(round(value, 9) if isinstance(value, float) else value for value in values)


def standing_names() -> Iterator[str]:
	"""Unique names in insertion order: the time in microseconds (hex), four random characters for
	judgings that start in the same microsecond, and the row's number."""
	prefix = f"{time.time_ns() // 1000:x}{frappe.generate_hash(length=4)}"
	return (f"{prefix}{number:06x}" for number in itertools.count())


def insert_standings(rows: list[dict], shared: tuple[str, ...]) -> None:
	"""Insert ``rows``, whose ``shared`` fields hold the same value in every row."""
	if not rows:
		return
	varying = [field for field in STANDING_FIELDS if field not in shared]
	statement = partial(
		INSERT_STANDINGS.format,
		columns=", ".join(f"`{field}`" for field in (*varying, *shared)),
		varying=", ".join(f"`{field}`" for field in varying),
		shared="".join(f", {sql_literal(rows[0][field])}" for field in shared),
	)
	placeholders = "(" + ", ".join(["%s"] * len(varying)) + ")"
	for start in range(0, len(rows), STANDINGS_CHUNK):
		chunk = rows[start : start + STANDINGS_CHUNK]
		frappe.db.sql(
			statement(rows=", ".join([placeholders] * len(chunk))),
			[row[field] for row in chunk for field in varying],
		)


def sql_literal(value: object) -> str:
	"""A shared value as an SQL literal (``escape`` doubles a %: the parameters are substituted after)."""
	return "NULL" if value is None else frappe.db.escape(str(value))
