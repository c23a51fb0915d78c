"""Leaderboards for a month or a quarter, never all-time, so that newcomers can win.

People who chose not to appear (`RecognitionPreference.show_on_leaderboards=False`) are never
named nor ranked; their points still count in their department's points per person. People
with equal figures share a rank (1, 1, 3). Points are summed in the database: each board costs
one query whatever the size of the ledger.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, Rank
from django.utils import timezone

from lms.models import Department, User
from lms.selectors.matrix import department_and_below
from recognition.models import PointsEntry
from recognition.periods import LENGTH_IN_MONTHS, MONTH, Period
from recognition.selectors.team_on_time import team_on_time_rates

TOP = 20
# A manager is ranked once this many assignments of their team fell due in the period.
MIN_ASSIGNMENTS_DUE = 3
AT_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


class BadPeriod(ValueError):
    pass


def period_from(*, kind: str | None, at: str | None, today: datetime.date | None = None) -> Period:
    """The month or quarter asked for (`at` as YYYY-MM; a quarter is the one holding that
    month), by default the current one. Raises BadPeriod with a message for a bad or future
    one."""
    today = today or timezone.localdate()
    kind = kind or MONTH
    if kind not in LENGTH_IN_MONTHS:
        raise BadPeriod("Choose a period of a month or a quarter.")
    if at:
        match = AT_PATTERN.match(at)
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
            raise BadPeriod("Give the month as YYYY-MM, for example 2026-03.")
        month = datetime.date(int(match[1]), int(match[2]), 1)
    else:
        month = today.replace(day=1)
    period = Period.containing(kind, month)
    if period.first_day > today:
        raise BadPeriod(f"{period.label} has not started yet.")
    return period


@dataclass(frozen=True)
class Standing:
    rank: int
    name: str
    figure: str
    is_viewer: bool = False


@dataclass(frozen=True)
class Board:
    rows: list[Standing]
    # The viewer's own standing when it is not among the rows shown.
    viewer_below: Standing | None = None


def _on_boards(people: QuerySet[User]) -> QuerySet[User]:
    # No preference row means the default: shown.
    return people.exclude(recognition_preference__show_on_leaderboards=False)


def _roster() -> QuerySet[User]:
    return User.objects.filter(is_active=True, employee_id__isnull=False)


def _points_board(people: QuerySet[User], *, period: Period, viewer: User) -> Board:
    """`people` (those who appear) ranked by points in `period`: the top 20 and the viewer."""
    # A subquery rather than a join: no GROUP BY, so the rank can be filtered on with the
    # viewer's own row (a window over a grouped query cannot be).
    points = (
        PointsEntry.objects.filter(
            user=OuterRef("pk"), awarded_at__gte=period.starts, awarded_at__lt=period.ends
        )
        .order_by()
        .values("user")
        .annotate(total=Sum("points"))
        .values("total")
    )
    ranked = (
        _on_boards(people)
        .annotate(points=Coalesce(Subquery(points, output_field=IntegerField()), Value(0)))
        .annotate(rank=Window(Rank(), order_by=F("points").desc()))
        .filter(Q(rank__lte=TOP) | Q(pk=viewer.pk))
        .order_by("rank", "last_name", "first_name", "pk")
        .values_list("pk", "first_name", "last_name", "email", "points", "rank")
    )
    rows, viewer_below = [], None
    for pk, first_name, last_name, email, points, rank in ranked:
        standing = Standing(
            rank=rank,
            name=f"{first_name} {last_name}".strip() or email,
            figure=str(points),
            is_viewer=pk == viewer.pk,
        )
        if rank <= TOP:
            rows.append(standing)
        else:
            viewer_below = standing
    return Board(rows=rows, viewer_below=viewer_below)


def department_board(*, viewer: User, period: Period) -> Board | None:
    """The people of the viewer's department and the departments under it; None without one."""
    if viewer.department_id is None:
        return None
    department = Department(pk=viewer.department_id)
    people = _roster().filter(department_id__in=department_and_below(department))
    return _points_board(people, period=period, viewer=viewer)


def team_board(*, viewer: User, period: Period) -> tuple[str, Board | None]:
    """The viewer's own direct reports if they have any, else their line manager's direct
    reports (the viewer among them); None for someone in no team."""
    if viewer.reports.filter(is_active=True).exists():
        return "Your direct reports", _points_board(
            _roster().filter(manager=viewer), period=period, viewer=viewer
        )
    if viewer.manager_id is not None:
        return "Your team", _points_board(
            _roster().filter(manager_id=viewer.manager_id), period=period, viewer=viewer
        )
    return "Your team", None


@dataclass(frozen=True)
class DepartmentStanding:
    rank: int
    name: str
    people: int
    points: int
    per_person: Fraction
    is_viewers: bool = False

    @property
    def per_person_shown(self) -> str:
        return f"{float(self.per_person):.1f}"


def department_ranking(*, viewer: User, period: Period) -> list[DepartmentStanding]:
    """Every department with people on the roster, by points per person in `period`. Everyone
    counts here, those who opted out of the leaderboards too: nobody is named."""
    members = _roster().filter(department=OuterRef("pk")).order_by()
    points = (
        PointsEntry.objects.filter(
            user__department=OuterRef("pk"),
            user__is_active=True,
            user__employee_id__isnull=False,
            awarded_at__gte=period.starts,
            awarded_at__lt=period.ends,
        )
        .order_by()
        .values("user__department")
        .annotate(total=Sum("points"))
        .values("total")
    )
    departments = (
        Department.objects.annotate(
            people=Coalesce(
                Subquery(
                    members.values("department").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            points=Coalesce(Subquery(points, output_field=IntegerField()), Value(0)),
        )
        .filter(people__gt=0)
        .values_list("pk", "name", "people", "points")
    )
    found = [
        (Fraction(points, people), pk, name, people, points)
        for pk, name, people, points in departments
    ]
    found.sort(key=lambda row: (-row[0], row[2]))
    return [
        DepartmentStanding(
            rank=rank,
            name=name,
            people=people,
            points=points,
            per_person=per_person,
            is_viewers=pk == viewer.department_id,
        )
        for rank, (per_person, pk, name, people, points) in _ranked(found)
    ]


@dataclass(frozen=True)
class ManagerStanding:
    rank: int
    name: str
    due: int
    on_time: int
    is_viewer: bool = False

    @property
    def rate_shown(self) -> str:
        return f"{100 * self.on_time / self.due:.0f}%"


def manager_ranking(
    *, viewer: User, period: Period, today: datetime.date | None = None
) -> tuple[list[ManagerStanding], ManagerStanding | None]:
    """Line managers by the share of their team's mandatory assignments due in `period` done on
    time, once at least 3 fell due: the top 20, and the viewer's standing if lower."""
    rates = {
        manager_id: rate
        for manager_id, rate in team_on_time_rates(
            start=period.first_day, end=period.last_day, today=today
        ).items()
        if rate.due >= MIN_ASSIGNMENTS_DUE
    }
    names = {
        pk: f"{first_name} {last_name}".strip() or email
        for pk, first_name, last_name, email in _on_boards(
            User.objects.filter(pk__in=list(rates), is_active=True)
        ).values_list("pk", "first_name", "last_name", "email")
    }
    found = [
        (Fraction(rate.on_time, rate.due), pk, names[pk], rate)
        for pk, rate in rates.items()
        if pk in names
    ]
    found.sort(key=lambda row: (-row[0], row[2]))
    rows, viewer_below = [], None
    for rank, (_share, pk, name, rate) in _ranked(found):
        standing = ManagerStanding(
            rank=rank, name=name, due=rate.due, on_time=rate.on_time, is_viewer=pk == viewer.pk
        )
        if rank <= TOP:
            rows.append(standing)
        elif pk == viewer.pk:
            viewer_below = standing
    return rows, viewer_below


def _ranked(rows: list[tuple]):
    """(rank, row) for rows sorted best first on their first item: equal ones share a rank."""
    rank, previous = 0, None
    for position, row in enumerate(rows, start=1):
        if row[0] != previous:
            rank, previous = position, row[0]
        yield rank, row
