"""Calendar months and quarters, in local time: what leaderboards, badges, team milestones and
the points summary count within."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

MONTH = "month"
QUARTER = "quarter"
LENGTH_IN_MONTHS = {MONTH: 1, QUARTER: 3}


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight, local time, at the start of `day`."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after (or before) the one `day` falls in."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    first_day: datetime.date

    @classmethod
    def containing(cls, kind: str, day: datetime.date) -> Period:
        month = day.replace(day=1)
        if kind == QUARTER:
            month = month.replace(month=(month.month - 1) // 3 * 3 + 1)
        return cls(kind, month)

    @property
    def next_first_day(self) -> datetime.date:
        return add_months(self.first_day, LENGTH_IN_MONTHS[self.kind])

    @property
    def last_day(self) -> datetime.date:
        return self.next_first_day - datetime.timedelta(days=1)

    @property
    def starts(self) -> datetime.datetime:
        return start_of(self.first_day)

    @property
    def ends(self) -> datetime.datetime:
        """The first moment after the period."""
        return start_of(self.next_first_day)

    @property
    def at(self) -> str:
        return f"{self.first_day:%Y-%m}"

    @property
    def name(self) -> str:
        if self.kind == MONTH:
            return f"{self.first_day:%B %Y}"
        return f"Q{(self.first_day.month - 1) // 3 + 1} {self.first_day.year}"

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return self.name
        return f"{self.name} ({self.first_day:%B} to {self.last_day:%B})"

    def previous(self) -> Period:
        return Period(self.kind, add_months(self.first_day, -LENGTH_IN_MONTHS[self.kind]))

    def following(self) -> Period:
        return Period(self.kind, self.next_first_day)
