"""The suggestion report: counts by category and status, by department and status, and per month,
never breaking a count down into a group of fewer than five suggestions.

Three rules keep small groups whole:
- a count under five is shown as "fewer than 5" (zero included, so a reader cannot tell 0 from 4);
- a department with fewer than five suggestions in all is folded into "Other departments", so it
  never appears by name;
- where a total would let a hidden count be worked out (the only hidden count of its row or
  column, or every hidden count at 4), the smallest count beside it is withheld too.
Combinations of several rows and columns at once are not audited.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from campaigns.models import Suggestion, SuggestionEvent
from lms.models.content import add_months

Status = Suggestion.Status

SMALLEST_GROUP = 5
FEWER = f"fewer than {SMALLEST_GROUP}"
WITHHELD = "withheld"
MONTHS = 12
STATUS_COLUMNS = [(status.value, status.label) for status in Status]
NOT_GIVEN = "No department given"
OTHER_DEPARTMENTS = "Other departments"
REPORT_HEADER = ["Breakdown", "Group", "Status or measure", "Suggestions"]


@dataclass
class Figure:
    """One count as the report may show it."""

    count: int
    withheld: bool = False

    @property
    def small(self) -> bool:
        return self.count < SMALLEST_GROUP

    @property
    def hidden(self) -> bool:
        return self.small or self.withheld

    @property
    def shown(self) -> int | str:
        """The count, or the words that stand in for it."""
        if self.small:
            return FEWER
        return WITHHELD if self.withheld else self.count

    def __str__(self) -> str:
        return str(self.shown)


@dataclass
class Row:
    label: str
    cells: list[Figure]
    total: Figure | None = None


@dataclass
class Table:
    """Rows of figures under `columns`, each row with its total if `row_totals`, and a last row
    of column totals (`totals`) labelled `totals_label`."""

    title: str
    columns: list[str]
    rows: list[Row]
    totals: Row
    row_totals: bool = True

    @classmethod
    def of(
        cls,
        *,
        title: str,
        columns: list[str],
        counts: list[tuple[str, list[int]]],
        totals_label: str,
        row_totals: bool = True,
    ) -> Table:
        rows = [
            Row(
                label=label,
                cells=[Figure(n) for n in numbers],
                total=Figure(sum(numbers)) if row_totals else None,
            )
            for label, numbers in counts
        ]
        column_sums = [sum(numbers[j] for _label, numbers in counts) for j in range(len(columns))]
        grand = Figure(sum(column_sums)) if row_totals else None
        totals = Row(label=totals_label, cells=[Figure(n) for n in column_sums], total=grand)
        table = cls(title=title, columns=columns, rows=rows, totals=totals, row_totals=row_totals)
        table.protect()
        return table

    def protect(self) -> None:
        """Withhold counts until no row or column with a visible total gives away a hidden small
        count."""
        lines = [
            (column_total, [row.cells[j] for row in self.rows])
            for j, column_total in enumerate(self.totals.cells)
        ]
        if self.row_totals:
            lines += [(row.total, row.cells) for row in self.rows]
            lines += [(self.totals.total, self.totals.cells)]
            lines += [(self.totals.total, [row.total for row in self.rows])]
        exposed = True
        while exposed:
            exposed = False
            for total, members in lines:
                if total.hidden or not _gives_away(total=total, members=members):
                    continue
                candidates = [figure for figure in members if not figure.hidden]
                min(candidates or [total], key=lambda figure: figure.count).withheld = True
                exposed = True

    def records(self) -> Iterator[list[str | int]]:
        """The table as rows of (table, group, column, figure), for a download."""
        columns = [*self.columns, "All statuses"] if self.row_totals else self.columns
        for row in [*self.rows, self.totals]:
            figures = [*row.cells, row.total] if self.row_totals else row.cells
            for column, figure in zip(columns, figures, strict=True):
                yield [self.title, row.label, column, figure.shown]


def _gives_away(*, total: Figure, members: list[Figure]) -> bool:
    """Whether the visible `total` and visible `members` pin down a hidden small member."""
    small = [figure for figure in members if figure.small]
    if not small or any(figure.withheld for figure in members):
        # Next to a withheld count (five or more), a hidden small count could be anything from
        # zero up.
        return False
    rest = total.count - sum(figure.count for figure in members if not figure.hidden)
    return rest > 0 and (len(small) == 1 or rest == (SMALLEST_GROUP - 1) * len(small))


@dataclass(frozen=True)
class SuggestionReport:
    by_category: Table
    by_department: Table
    by_month: Table
    first_month: datetime.date
    today: datetime.date

    @property
    def tables(self) -> list[Table]:
        return [self.by_category, self.by_department, self.by_month]


def suggestion_report(*, today: datetime.date | None = None) -> SuggestionReport:
    """Every suggestion by category × status and department × status, and the last twelve
    months (this one included) by month: submitted, accepted, done. Four queries."""
    today = today or timezone.localdate()
    first_month = add_months(today.replace(day=1), -(MONTHS - 1))
    return SuggestionReport(
        by_category=_by_category(),
        by_department=_by_department(),
        by_month=_by_month(first_month=first_month),
        first_month=first_month,
        today=today,
    )


def _status_numbers(found: dict[str, int]) -> list[int]:
    return [found.get(status, 0) for status, _label in STATUS_COLUMNS]


def _by_category() -> Table:
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for category, status, n in (
        Suggestion.objects.order_by()
        .values_list("category", "status")
        .annotate(n=Count("pk"))
        .values_list("category", "status", "n")
    ):
        found[category][status] = n
    return Table.of(
        title="By category",
        columns=[label for _status, label in STATUS_COLUMNS],
        counts=[
            (label, _status_numbers(found[value])) for value, label in Suggestion.Category.choices
        ],
        totals_label="All suggestions",
    )


def _by_department() -> Table:
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for name, status, n in (
        Suggestion.objects.order_by()
        .values_list("department__name", "status")
        .annotate(n=Count("pk"))
        .values_list("department__name", "status", "n")
    ):
        found[name or NOT_GIVEN][status] = n
    named, folded = [], defaultdict(int)
    for name in sorted(found, key=lambda name: (name == NOT_GIVEN, name.casefold())):
        numbers = _status_numbers(found[name])
        if sum(numbers) >= SMALLEST_GROUP:
            named.append((name, numbers))
        else:
            for j, n in enumerate(numbers):
                folded[j] += n
    if folded:
        named.append((OTHER_DEPARTMENTS, [folded[j] for j in range(len(STATUS_COLUMNS))]))
    return Table.of(
        title="By department",
        columns=[label for _status, label in STATUS_COLUMNS],
        counts=named,
        totals_label="All suggestions",
    )


def _by_month(*, first_month: datetime.date) -> Table:
    months = [add_months(first_month, n) for n in range(MONTHS)]
    found: dict[datetime.date, dict[str, int]] = defaultdict(dict)
    for month, n in (
        Suggestion.objects.filter(submitted_on__gte=first_month)
        .annotate(month=TruncMonth("submitted_on"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    ):
        found[_as_date(month)]["submitted"] = n
    for month, status, n in (
        SuggestionEvent.objects.filter(
            on__gte=first_month, to_status__in=[Status.ACCEPTED, Status.DONE]
        )
        .annotate(month=TruncMonth("on"))
        .order_by()
        .values_list("month", "to_status")
        .annotate(n=Count("suggestion", distinct=True))
        .values_list("month", "to_status", "n")
    ):
        found[_as_date(month)][status] = n
    measures = ["submitted", Status.ACCEPTED, Status.DONE]
    return Table.of(
        title="By month",
        columns=["Submitted", "Accepted", "Done"],
        counts=[
            (f"{month:%B %Y}", [found[month].get(measure, 0) for measure in measures])
            for month in months
        ],
        totals_label=f"Last {MONTHS} months",
        row_totals=False,
    )


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def report_records(report: SuggestionReport) -> Iterator[list[str | int]]:
    """Every figure of `report`, one per row, with the same words for the hidden ones."""
    for table in report.tables:
        yield from table.records()
