"""Two reports built on the competence matrix and the assignments: the competence gaps of each
department and job role, with the modules that would close them, and the overdue mandatory
training by department and by line manager, with its trend over the last twelve months.

Both cover the people the viewer may report on (`people_in_scope`) and a fixed number of
queries whatever the size of the organisation. Where people stand with a competence comes from
the matrix's own walk (`matrix_rows`), never from a second computation.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lms.models import (
    Assignment,
    Competence,
    Department,
    JobRole,
    ProficiencyLevel,
    TrainingModule,
    User,
)
from lms.selectors.competence import live_modules_evidencing
from lms.selectors.matrix import (
    COVERED,
    PERSON_ORDER,
    MatrixFilters,
    matrix_columns,
    matrix_people,
    matrix_rows,
    people_in_scope,
)

NO_DEPARTMENT = "No department"
NO_JOB_ROLE = "No job role"
TREND_MONTHS = 12

# --- Gap analysis


@dataclass
class GapRow:
    """One competence required in one group (a department and a job role): how many people it
    requires, how many hold it, and the live modules that would give it to the rest."""

    department_id: int | None
    department: str
    job_role_id: int | None
    job_role: str
    competence: Competence
    required: int = 0
    covered: int = 0
    # The highest level the group requires, and the highest among those still lacking it: a
    # module closes the gap when it records the competence at least at the latter.
    required_level: int = 0
    closing_level: int = 0
    lacking_ids: list[int] = field(default_factory=list)
    closing_modules: list[TrainingModule] = field(default_factory=list)

    @property
    def gap(self) -> int:
        return self.required - self.covered

    @property
    def required_level_label(self) -> str:
        return ProficiencyLevel(self.required_level).label

    @property
    def closing_level_label(self) -> str:
        return ProficiencyLevel(self.closing_level).label

    @property
    def closing_titles(self) -> str:
        return "; ".join(module.title for module in self.closing_modules)

    def count(self, *, person_id: int, required_level: int, covered: bool) -> None:
        self.required += 1
        self.required_level = max(self.required_level, required_level)
        if covered:
            self.covered += 1
        else:
            self.closing_level = max(self.closing_level, required_level)
            self.lacking_ids.append(person_id)


@dataclass
class GapAnalysis:
    rows: list[GapRow]
    people: int  # everyone the filters kept, whether or not anything is required of them

    @property
    def required(self) -> int:
        return sum(row.required for row in self.rows)

    @property
    def covered(self) -> int:
        return sum(row.covered for row in self.rows)

    @property
    def gap(self) -> int:
        return self.required - self.covered


GAP_HEADER = [
    "Department",
    "Job role",
    "Competence",
    "Level required",
    "People required",
    "People covered",
    "Gap",
    "Modules that close the gap",
]


def gap_analysis(
    *, viewer: User, filters: MatrixFilters, today: datetime.date | None = None
) -> GapAnalysis:
    """For each department and job role among the people `viewer` may report on (filters
    applied), each competence required of someone there: required, covered (competent or
    expiring), the gap, and the live modules that close it. A fixed number of queries."""
    columns = matrix_columns(filters=filters)
    people = matrix_people(viewer=viewer, filters=filters)
    rows, count = _gap_rows(people=people, columns=columns, today=today)
    _attach_closing_modules(rows)
    rows.sort(
        key=lambda row: (row.department, row.job_role, row.competence.name, row.competence.pk)
    )
    return GapAnalysis(rows=rows, people=count)


def gap_table(analysis: GapAnalysis) -> tuple[list[str], Iterator[list]]:
    """The gap analysis as a header and rows of cells, exactly as the page shows it."""

    def rows() -> Iterator[list]:
        for row in analysis.rows:
            yield [
                row.department,
                row.job_role,
                row.competence.name,
                row.required_level_label,
                row.required,
                row.covered,
                row.gap,
                row.closing_titles,
            ]

    return GAP_HEADER, rows()


def group_gap(
    *,
    viewer: User,
    department: Department | None,
    job_role: JobRole | None,
    management_level: str,
    competence: Competence,
    today: datetime.date | None = None,
) -> GapRow:
    """One row of the gap analysis: `competence` in the group of exactly `department` (not its
    sub-departments) and `job_role` (None: people without one), among the people `viewer` may
    report on, optionally of one management level; with the ids of the people lacking it."""
    people = people_in_scope(viewer).filter(
        department_id=department.pk if department else None,
        job_role_id=job_role.pk if job_role else None,
    )
    if management_level:
        people = people.filter(management_level=management_level)
    rows, _ = _gap_rows(people=people.order_by(*PERSON_ORDER), columns=[competence], today=today)
    row = (
        rows[0]
        if rows
        else GapRow(
            department_id=department.pk if department else None,
            department=department.name if department else NO_DEPARTMENT,
            job_role_id=job_role.pk if job_role else None,
            job_role=job_role.name if job_role else NO_JOB_ROLE,
            competence=competence,
        )
    )
    _attach_closing_modules([row])
    return row


def _gap_rows(
    *, people: QuerySet[User], columns: list[Competence], today: datetime.date | None
) -> tuple[list[GapRow], int]:
    """The gap rows of `people` (ordered as the matrix wants them) and how many people there
    were. The status filter of the matrix does not apply: a gap is about every person."""
    groups: dict[tuple[int | None, int | None, int], GapRow] = {}
    count = 0
    for matrix_row in matrix_rows(
        people=people, columns=columns, filters=MatrixFilters(), today=today
    ):
        count += 1
        person = matrix_row.person
        for competence, cell in zip(columns, matrix_row.cells, strict=True):
            if cell.required_level is None:
                continue
            key = (person.department_id, person.job_role_id, competence.pk)
            row = groups.get(key)
            if row is None:
                row = groups[key] = GapRow(
                    department_id=person.department_id,
                    department=matrix_row.department or NO_DEPARTMENT,
                    job_role_id=person.job_role_id,
                    job_role=matrix_row.job_role or NO_JOB_ROLE,
                    competence=competence,
                )
            row.count(
                person_id=person.pk,
                required_level=cell.required_level,
                covered=cell.status in COVERED,
            )
    return list(groups.values()), count


def _attach_closing_modules(rows: list[GapRow]) -> None:
    """Each row with a gap gets the live modules that record its competence at the level the
    people lacking it need: one query for all rows."""
    with_gap = [row for row in rows if row.gap]
    if not with_gap:
        return
    modules = live_modules_evidencing(row.competence.pk for row in with_gap)
    for row in with_gap:
        row.closing_modules = [
            module
            for module in modules[row.competence.pk]
            if module.competence_level >= row.closing_level
        ]


# --- Training status


@dataclass(frozen=True)
class DepartmentOverdue:
    department: str
    people: int
    people_overdue: int
    overdue: int


@dataclass(frozen=True)
class ManagerOverdue:
    manager_id: int
    manager: str
    team_size: int  # direct reports among the people the report covers
    people_overdue: int
    overdue: int


@dataclass(frozen=True)
class MonthOverdue:
    month_end: datetime.date  # the last day of the month
    overdue: int

    @property
    def label(self) -> str:
        return self.month_end.strftime("%B %Y")


@dataclass
class TrainingStatus:
    today: datetime.date
    departments: list[DepartmentOverdue]
    managers: list[ManagerOverdue]
    trend: list[MonthOverdue]  # oldest month first

    @property
    def people(self) -> int:
        return sum(row.people for row in self.departments)

    @property
    def people_overdue(self) -> int:
        return sum(row.people_overdue for row in self.departments)

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.departments)

    @property
    def trend_bars(self) -> list[tuple[MonthOverdue, float]]:
        """Each month with its bar's length in percent of the highest month's."""
        peak = max((month.overdue for month in self.trend), default=0)
        return [
            (month, round(100 * month.overdue / peak, 1) if peak else 0.0) for month in self.trend
        ]


def overdue_assignments(*, people: QuerySet[User], today: datetime.date) -> QuerySet[Assignment]:
    """The open mandatory assignments of `people` whose due date has passed."""
    return Assignment.objects.filter(
        user__in=people.order_by().values("pk"),
        status=Assignment.Status.OPEN,
        mandatory=True,
        due_on__lt=today,
    )


def training_status(
    *, viewer: User, filters: MatrixFilters, today: datetime.date | None = None
) -> TrainingStatus:
    """Overdue mandatory training among the people `viewer` may report on (filters on people
    applied): by department, by line manager with an overdue team, and at each of the last
    twelve month-ends. The trend counts today's people: a leaver's past is not in it. Seven
    queries besides finding who is in scope, whatever the size."""
    today = today or timezone.localdate()
    people = matrix_people(viewer=viewer, filters=filters)
    overdue = overdue_assignments(people=people, today=today)
    return TrainingStatus(
        today=today,
        departments=_by_department(people=people, overdue=overdue),
        managers=_by_manager(people=people, overdue=overdue),
        trend=overdue_trend(people=people, today=today),
    )


def _by_department(
    *, people: QuerySet[User], overdue: QuerySet[Assignment]
) -> list[DepartmentOverdue]:
    headcount = dict(
        people.order_by()
        .values("department_id")
        .annotate(n=Count("pk"))
        .values_list("department_id", "n")
    )
    late = {
        department_id: (people_overdue, count)
        for department_id, people_overdue, count in overdue.order_by()
        .values("user__department_id")
        .annotate(people_overdue=Count("user_id", distinct=True), n=Count("pk"))
        .values_list("user__department_id", "people_overdue", "n")
    }
    names = dict(
        Department.objects.filter(pk__in=[pk for pk in headcount if pk is not None]).values_list(
            "pk", "name"
        )
    )
    rows = [
        DepartmentOverdue(
            department=names.get(department_id, NO_DEPARTMENT),
            people=count,
            people_overdue=late.get(department_id, (0, 0))[0],
            overdue=late.get(department_id, (0, 0))[1],
        )
        for department_id, count in headcount.items()
    ]
    return sorted(rows, key=lambda row: (-row.overdue, row.department))


def _by_manager(*, people: QuerySet[User], overdue: QuerySet[Assignment]) -> list[ManagerOverdue]:
    """Line managers with at least one direct report overdue, most overdue first."""
    late = list(
        overdue.filter(user__manager_id__isnull=False)
        .order_by()
        .values("user__manager_id")
        .annotate(people_overdue=Count("user_id", distinct=True), n=Count("pk"))
        .values_list("user__manager_id", "people_overdue", "n")
    )
    if not late:
        return []
    manager_ids = [manager_id for manager_id, _, _ in late]
    team_sizes = dict(
        people.filter(manager_id__in=manager_ids)
        .order_by()
        .values("manager_id")
        .annotate(n=Count("pk"))
        .values_list("manager_id", "n")
    )
    managers = {
        manager.pk: manager
        for manager in User.objects.filter(pk__in=manager_ids).only(
            "first_name", "last_name", "email"
        )
    }
    rows = [
        ManagerOverdue(
            manager_id=manager_id,
            manager=str(managers[manager_id]),
            team_size=team_sizes.get(manager_id, 0),
            people_overdue=people_overdue,
            overdue=count,
        )
        for manager_id, people_overdue, count in late
    ]
    return sorted(rows, key=lambda row: (-row.overdue, row.manager, row.manager_id))


def month_ends(*, today: datetime.date, months: int = TREND_MONTHS) -> list[datetime.date]:
    """The last days of the `months` months before the current one, oldest first."""
    ends = []
    last = today.replace(day=1) - datetime.timedelta(days=1)
    for _ in range(months):
        ends.append(last)
        last = last.replace(day=1) - datetime.timedelta(days=1)
    return ends[::-1]


def overdue_trend(
    *, people: QuerySet[User], today: datetime.date, months: int = TREND_MONTHS
) -> list[MonthOverdue]:
    """How many mandatory assignments of `people` were overdue at the end of each of the last
    `months` months: assigned by then, due on or before the month's last day, and neither
    completed nor withdrawn by the end of it. One query."""
    ends = month_ends(today=today, months=months)
    counts = {}
    for index, last_day in enumerate(ends):
        moment = _start_of(last_day + datetime.timedelta(days=1))
        counts[f"month_{index}"] = Count(
            "pk",
            filter=Q(due_on__lte=last_day, created_at__lt=moment)
            & (Q(completed_at__isnull=True) | Q(completed_at__gte=moment))
            & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=moment)),
        )
    figures = Assignment.objects.filter(
        user__in=people.order_by().values("pk"), mandatory=True, due_on__lte=ends[-1]
    ).aggregate(**counts)
    return [
        MonthOverdue(month_end=last_day, overdue=figures[f"month_{index}"] or 0)
        for index, last_day in enumerate(ends)
    ]


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


TABLES = ("departments", "managers", "trend")


def training_status_table(status: TrainingStatus, *, table: str) -> tuple[list[str], list[list]]:
    """One of the report's tables as a header and rows of cells, exactly as the page shows it."""
    if table == "departments":
        header = ["Department", "People", "People overdue", "Overdue assignments"]
        rows = [
            [row.department, row.people, row.people_overdue, row.overdue]
            for row in status.departments
        ]
    elif table == "managers":
        header = ["Line manager", "Team size", "People overdue", "Overdue assignments"]
        rows = [
            [row.manager, row.team_size, row.people_overdue, row.overdue] for row in status.managers
        ]
    elif table == "trend":
        header = ["Month", "Month end", "Overdue assignments"]
        rows = [[month.label, month.month_end, month.overdue] for month in status.trend]
    else:
        raise ValueError(f"Unknown table {table!r}.")
    return header, rows
