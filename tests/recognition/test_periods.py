"""Months and quarters, the periods leaderboards, badges and milestones count within."""

import datetime

import pytest

from recognition.periods import MONTH, QUARTER, Period, add_months

TODAY = datetime.date(2026, 11, 18)


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        (datetime.date(2026, 1, 1), datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        (datetime.date(2026, 3, 31), datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        (datetime.date(2026, 4, 1), datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        (TODAY, datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
    ],
)
def test_the_last_complete_quarter_is_the_calendar_quarter_before_today(day, first, last):
    quarter = Period.containing(QUARTER, day).previous()
    assert (quarter.first_day, quarter.last_day) == (first, last)


def test_the_current_quarter_runs_from_its_first_to_its_last_day_and_is_named():
    quarter = Period.containing(QUARTER, TODAY)
    assert (quarter.first_day, quarter.last_day) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    assert quarter.name == "Q4 2026"
    assert quarter.label == "Q4 2026 (October to December)"


def test_the_month_before_crosses_the_year():
    january = Period.containing(MONTH, datetime.date(2027, 1, 15))
    assert january.previous() == Period(MONTH, datetime.date(2026, 12, 1))
    assert january.previous().name == "December 2026"
    assert add_months(datetime.date(2026, 12, 31), 2) == datetime.date(2027, 2, 1)


def test_a_period_ends_at_the_first_moment_of_the_next():
    november = Period.containing(MONTH, TODAY)
    assert november.ends == november.following().starts
    assert november.ends.date() == datetime.date(2026, 12, 1)
