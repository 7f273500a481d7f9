"""The next edition of a contest opens for a period that has not begun (issue 11, item 11)."""

from datetime import datetime

from selfservice_portal.contests.ranking import next_future_period

NOW = datetime(2026, 12, 2, 17, 0)
H1_END = datetime(2026, 6, 30, 23, 59, 59)


def test_a_half_year_drafted_while_the_next_one_runs_skips_to_the_one_after():
	# H1 2026 drafted on 2 December: H2 2026 has begun, so H1 2027.
	assert next_future_period(datetime(2026, 1, 1), H1_END, NOW) == (
		datetime(2027, 1, 1),
		datetime(2027, 6, 30, 23, 59, 59),
	)


def test_a_half_year_drafted_before_the_next_one_starts_gets_the_next_one():
	assert next_future_period(datetime(2026, 1, 1), H1_END, datetime(2026, 6, 20)) == (
		datetime(2026, 7, 1),
		datetime(2026, 12, 31, 23, 59, 59),
	)


def test_a_long_past_quarter_jumps_to_the_first_quarter_that_has_not_begun():
	assert next_future_period(datetime(2024, 10, 1), datetime(2025, 1, 1), NOW) == (
		datetime(2027, 1, 1),
		datetime(2027, 4, 1),
	)


def test_a_period_starting_exactly_now_has_begun():
	assert next_future_period(datetime(2026, 11, 1), datetime(2026, 12, 1), datetime(2026, 12, 1))[0] == (
		datetime(2027, 1, 1)
	)


def test_a_week_long_contest_steps_by_weeks():
	# 3 to 10 Nov 10:00; the editions of 10, 17, 24 Nov and 1 Dec have begun by 2 Dec 17:00.
	assert next_future_period(datetime(2026, 11, 3, 10), datetime(2026, 11, 10, 10), NOW) == (
		datetime(2026, 12, 8, 10),
		datetime(2026, 12, 15, 10),
	)


def test_a_future_contest_is_simply_followed_by_the_next_period():
	assert next_future_period(datetime(2030, 1, 1), datetime(2030, 6, 30, 23, 59, 59), NOW) == (
		datetime(2030, 7, 1),
		datetime(2030, 12, 31, 23, 59, 59),
	)
