"""The competence matrix: people (rows) × competences (columns), each cell where the person
stands with the competence, with totals per column and per department.

One walk serves the page, the exports and the API: people and their current records are read
as two streams in the same order and merged, so memory holds one row at a time and the number
of queries is the same for ten people or ten thousand. The page keeps only the rows of the page
it shows; the totals count every row that passes the filters.

Reports cover the active people on the roster (those with an employee id): administrators and
service accounts have no requirements to meet.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from lms.models import (
    Competence,
    CompetenceRequirement,
    Department,
    IsoClause,
    IsoStandard,
    JobRole,
    ManagementLevel,
    ProficiencyLevel,
    User,
)
from lms.selectors.competence import REVOKED, current_record_queryset, moment_of
from lms.selectors.people import report_ids, sees_everyone

PEOPLE_PER_PAGE = 50
PERSON_ORDER = ("last_name", "first_name", "email", "pk")


class CellStatus(models.TextChoices):
    """Where a person stands with one competence of the matrix."""

    COMPETENT = "competent", "Competent"
    EXPIRING = "expiring", "Expiring"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    BELOW = "below", "Below required level"
    MISSING = "missing", "Missing"
    NOT_REQUIRED = "not_required", "Not required"


# Competent and expiring cells both hold the competence at the level required today.
COVERED = frozenset({CellStatus.COMPETENT, CellStatus.EXPIRING})


@dataclass(frozen=True)
class MatrixFilters:
    department: Department | None = None
    job_role: JobRole | None = None
    management_level: str = ""
    standard: IsoStandard | None = None
    clause: IsoClause | None = None
    status: str = ""
    within_days: int | None = None

    @property
    def expiring_within(self) -> int:
        if self.within_days is None:
            return settings.LMS_COMPETENCE_RENEWAL_DAYS
        return self.within_days


@dataclass(frozen=True, slots=True)
class Cell:
    status: CellStatus
    level: int | None  # the level held, if any (also on cells that nothing requires)
    required_level: int | None
    expires_at: datetime.datetime | None

    @property
    def level_label(self) -> str:
        return "" if self.level is None else ProficiencyLevel(self.level).label

    @property
    def text(self) -> str:
        """The cell as one line of text, as the exports write it."""
        return _cell_text(self.status, self.level)


@functools.cache
def _cell_text(status: CellStatus, level: int | None) -> str:
    # A handful of distinct texts, asked for once per cell of an export.
    if status in COVERED or (status == CellStatus.NOT_REQUIRED and level is not None):
        return f"{status.label} (level {level})"
    return status.label


@dataclass(frozen=True, slots=True)
class Person:
    pk: int
    first_name: str
    last_name: str
    email: str
    employee_id: str
    department_id: int | None
    job_role_id: int | None
    management_level: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


@dataclass(slots=True)
class MatrixRow:
    person: Person
    department: str
    job_role: str
    management_level: str
    cells: list[Cell]

    def has(self, status: str) -> bool:
        return any(cell.status == status for cell in self.cells)


@dataclass
class Coverage:
    """How many required cells there are and how many of them are covered."""

    required: int = 0
    covered: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def count(self, cell: Cell) -> None:
        self.by_status[cell.status] += 1
        if cell.status != CellStatus.NOT_REQUIRED:
            self.required += 1
            if cell.status in COVERED:
                self.covered += 1

    @property
    def percent(self) -> float | None:
        """Coverage in percent, rounded to one decimal; None when nothing is required."""
        if not self.required:
            return None
        return round(100 * self.covered / self.required, 1)


@dataclass
class DepartmentTotal:
    name: str
    people: int = 0
    coverage: Coverage = field(default_factory=Coverage)


@dataclass
class CompetenceMatrix:
    columns: list[Competence]
    rows: list[MatrixRow]  # the rows of the page asked for
    row_count: int  # every row that passed the filters
    column_totals: list[Coverage]
    department_totals: list[DepartmentTotal]
    overall: Coverage
    page_number: int
    per_page: int

    @property
    def page_count(self) -> int:
        return max(1, -(-self.row_count // self.per_page))


# --- Who and what the matrix covers


def people_in_scope(viewer: User) -> QuerySet[User]:
    """The people `viewer` may report on: everyone on the roster for HR, the people below them
    for a manager, nobody for anyone else."""
    people = User.objects.filter(is_active=True, employee_id__isnull=False)
    if sees_everyone(viewer):
        return people
    return people.filter(pk__in=report_ids(manager=viewer))


def department_and_below(department: Department) -> set[int]:
    """The department and every department under it, at any depth: one query."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Department.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    found, frontier = {department.pk}, [department.pk]
    while frontier:
        frontier = [child for pk in frontier for child in children[pk] if child not in found]
        found.update(frontier)
    return found


def narrowed(people: QuerySet[User], *, filters: MatrixFilters) -> QuerySet[User]:
    """`people` in the filters' department (or any department under it), job role and
    management level, each only when given."""
    if filters.department is not None:
        people = people.filter(department_id__in=department_and_below(filters.department))
    if filters.job_role is not None:
        people = people.filter(job_role=filters.job_role)
    if filters.management_level:
        people = people.filter(management_level=filters.management_level)
    return people


def matrix_people(
    *, viewer: User, filters: MatrixFilters, scope: QuerySet[User] | None = None
) -> QuerySet[User]:
    """The people the matrix shows (before the status filter), in the matrix's order: those in
    `scope`, by default `people_in_scope(viewer)`."""
    people = people_in_scope(viewer) if scope is None else scope
    return narrowed(people, filters=filters).order_by(*PERSON_ORDER)


def matrix_columns(*, filters: MatrixFilters) -> list[Competence]:
    """The competences the matrix shows: all, or those of a standard or a clause."""
    competences = Competence.objects.all()
    if filters.standard is not None:
        competences = competences.filter(
            Q(standard=filters.standard) | Q(clauses__standard=filters.standard)
        )
    if filters.clause is not None:
        competences = competences.filter(clauses=filters.clause)
    return list(competences.distinct().order_by("name", "pk"))


class RequiredLevels:
    """Which level each competence requires of a (job role, management level): the highest of
    the requirements naming the level only, the role only, or both. One query, then memoised.
    Without `competence_ids`, every competence's requirements."""

    def __init__(self, competence_ids: list[int] | None = None) -> None:
        requirements = CompetenceRequirement.objects.all()
        if competence_ids is not None:
            requirements = requirements.filter(competence_id__in=competence_ids)
        self._requirements = list(
            requirements.values_list(
                "competence_id", "job_role_id", "management_level", "min_level"
            )
        )
        self._memo: dict[tuple[int | None, str], dict[int, int]] = {}

    def of(self, job_role_id: int | None, management_level: str) -> dict[int, int]:
        key = (job_role_id, management_level)
        if key not in self._memo:
            levels: dict[int, int] = {}
            for competence_id, role_id, level, min_level in self._requirements:
                if role_id is None:
                    applies = level == management_level
                else:
                    applies = role_id == job_role_id and level in ("", management_level)
                if applies:
                    levels[competence_id] = max(levels.get(competence_id, 0), min_level)
            self._memo[key] = levels
        return self._memo[key]


# --- The walk


def matrix_rows(
    *,
    people: QuerySet[User],
    columns: list[Competence],
    filters: MatrixFilters,
    today: datetime.date | None = None,
) -> Iterator[MatrixRow]:
    """Every row of the matrix for `people` (a queryset ordered by PERSON_ORDER), status filter
    applied, as a stream. Four queries whatever the size: requirements, departments and roles,
    then people joined to their current records, read in chunks."""
    moment = moment_of(today)
    soon = moment + datetime.timedelta(days=filters.expiring_within)
    column_ids = [competence.pk for competence in columns]
    required_levels = RequiredLevels(column_ids)
    department_names = dict(Department.objects.values_list("pk", "name"))
    role_names = dict(JobRole.objects.values_list("pk", "name"))
    level_names = dict(ManagementLevel.choices)

    for values in _people_with_records(people=people, column_ids=column_ids):
        person = Person(*values[:PERSON_WIDTH])
        held = {record[1]: record for record in values[PERSON_WIDTH] if record[1] is not None}
        required = required_levels.of(person.job_role_id, person.management_level)
        cells = [
            _cell(held.get(pk), required.get(pk), moment=moment, soon=soon) for pk in column_ids
        ]
        row = MatrixRow(
            person=person,
            department=department_names.get(person.department_id, ""),
            job_role=role_names.get(person.job_role_id, ""),
            management_level=level_names.get(person.management_level, ""),
            cells=cells,
        )
        if not filters.status or row.has(filters.status):
            yield row


PERSON_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "employee_id",
    "department_id",
    "job_role_id",
    "management_level",
)
PERSON_WIDTH = len(PERSON_FIELDS)
# The expiry is read as ISO text and parsed by datetime.fromisoformat: Django's loader for
# timestamptz parses in Python and cost a third of the export's time.
RECORD_FIELDS = ("user_id", "competence_id", "kind", "level", "expires_text")


def matrix_sql(*, people: QuerySet[User], column_ids: list[int]) -> tuple[str, tuple]:
    """One SELECT of the people, in order, each joined to their current records of the columns:
    a person with no record comes back once with empty record columns. One statement, so the
    rows and their records come from the same snapshot of the database. Raises EmptyResultSet
    when `people` cannot match anyone."""
    people_sql, people_params = (
        people.order_by().values_list(*PERSON_FIELDS).query.sql_with_params()
    )
    quote = connection.ops.quote_name
    person_columns = ", ".join(f"p.{quote(name)}" for name in PERSON_FIELDS)
    order = "ORDER BY p.last_name, p.first_name, p.email, p.id"
    if not column_ids:
        # No competence to show: the people alone, with the record columns empty.
        nothing = ", ".join("NULL" for _ in RECORD_FIELDS)
        sql = f"SELECT {person_columns}, {nothing} FROM ({people_sql}) p {order}"  # noqa: S608
        return sql, people_params
    records = (
        current_record_queryset()
        .filter(user__in=people.order_by().values("pk"), competence_id__in=column_ids)
        .order_by()
        .annotate(expires_text=Cast("expires_at", output_field=CharField()))
        .values_list(*RECORD_FIELDS)
    )
    records_sql, records_params = records.query.sql_with_params()
    record_columns = ", ".join(f"r.{quote(name)}" for name in RECORD_FIELDS)
    # Both parts are compiled by the ORM with their values as parameters; nothing here is text
    # from a request.
    sql = (
        f"SELECT {person_columns}, {record_columns} FROM ({people_sql}) p "  # noqa: S608
        f"LEFT JOIN ({records_sql}) r ON r.user_id = p.id {order}"
    )
    return sql, (*people_params, *records_params)


def _people_with_records(*, people: QuerySet[User], column_ids: list[int]) -> Iterator[tuple]:
    """(person values..., [record values, ...]) per person, read through a server-side cursor
    where the database has one."""
    try:
        sql, params = matrix_sql(people=people, column_ids=column_ids)
    except EmptyResultSet:
        # Nobody in scope (a viewer who manages nobody): nothing to read.
        return
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        current: tuple | None = None
        records: list[tuple] = []
        current_pk = None
        while batch := cursor.fetchmany(2000):
            for row in batch:
                if row[0] != current_pk:
                    if current is not None:
                        yield (*current, records)
                        records = []
                    current, current_pk = row[:PERSON_WIDTH], row[0]
                user_id, competence_id, kind, level, expires = row[PERSON_WIDTH:]
                if user_id is not None:
                    records.append((user_id, competence_id, kind, level, _as_datetime(expires)))
        if current is not None:
            yield (*current, records)


def _as_datetime(value) -> datetime.datetime | None:
    # Read as text (see RECORD_FIELDS); SQLite's text has no offset: it holds UTC.
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


_COMPETENT, _EXPIRING, _EXPIRED, _REVOKED, _BELOW, _MISSING, _NOT_REQUIRED = (
    CellStatus.COMPETENT,
    CellStatus.EXPIRING,
    CellStatus.EXPIRED,
    CellStatus.REVOKED,
    CellStatus.BELOW,
    CellStatus.MISSING,
    CellStatus.NOT_REQUIRED,
)


@functools.cache
def _empty_cell(required_level: int | None) -> Cell:
    # Cells are immutable, so every cell without a record can share one of these.
    status = _MISSING if required_level is not None else _NOT_REQUIRED
    return Cell(status=status, level=None, required_level=required_level, expires_at=None)


def _cell(
    record: tuple | None,
    required_level: int | None,
    *,
    moment: datetime.datetime,
    soon: datetime.datetime,
) -> Cell:
    # Called once per person and competence: 300,000 times for a large matrix export.
    if record is None:
        return _empty_cell(required_level)
    _, _, kind, level, expires_at = record
    if kind == REVOKED:
        held_level, status = None, _REVOKED
    elif expires_at is not None and expires_at <= moment:
        held_level, status = None, _EXPIRED
    else:
        held_level = level
        if required_level is not None and level < required_level:
            status = _BELOW
        elif expires_at is not None and expires_at <= soon:
            status = _EXPIRING
        else:
            status = _COMPETENT
    if required_level is None:
        status = _NOT_REQUIRED
    return Cell(
        status=status, level=held_level, required_level=required_level, expires_at=expires_at
    )


def competence_matrix(
    *,
    viewer: User,
    filters: MatrixFilters,
    page_number: int = 1,
    per_page: int = PEOPLE_PER_PAGE,
    today: datetime.date | None = None,
    scope: QuerySet[User] | None = None,
) -> CompetenceMatrix:
    """The matrix `viewer` may see (or of the people in `scope`): one page of rows (the last
    page when `page_number` is past the end) and the totals of every filtered row."""
    columns = matrix_columns(filters=filters)
    people = matrix_people(viewer=viewer, filters=filters, scope=scope)
    first = (max(page_number, 1) - 1) * per_page
    rows: list[MatrixRow] = []
    column_totals = [Coverage() for _ in columns]
    departments: dict[str, DepartmentTotal] = {}
    overall = Coverage()
    # The rows of the latest page walked: a page number past the end shows the last page.
    last_page: list[MatrixRow] = []
    count = 0
    for row in matrix_rows(people=people, columns=columns, filters=filters, today=today):
        if count % per_page == 0:
            last_page = []
        last_page.append(row)
        if first <= count < first + per_page:
            rows.append(row)
        count += 1
        department = departments.get(row.department)
        if department is None:
            department = departments[row.department] = DepartmentTotal(name=row.department)
        department.people += 1
        for cell, total in zip(row.cells, column_totals, strict=True):
            total.count(cell)
            department.coverage.count(cell)
            overall.count(cell)
    page_number = max(page_number, 1)
    if count and first >= count:
        rows, page_number = last_page, -(-count // per_page)
    return CompetenceMatrix(
        columns=columns,
        rows=rows,
        row_count=count,
        column_totals=column_totals,
        department_totals=sorted(departments.values(), key=lambda total: total.name),
        overall=overall,
        page_number=page_number,
        per_page=per_page,
    )


def matrix_table(
    *, viewer: User, filters: MatrixFilters, today: datetime.date | None = None
) -> tuple[list[str], Iterator[list]]:
    """The whole filtered matrix as a header and a stream of rows of text, for the exports."""
    columns = matrix_columns(filters=filters)
    header = ["Employee id", "Name", "E-mail", "Department", "Job role", "Management level"]
    header += [competence.name for competence in columns]

    def rows() -> Iterator[list]:
        people = matrix_people(viewer=viewer, filters=filters)
        for row in matrix_rows(people=people, columns=columns, filters=filters, today=today):
            person = row.person
            yield [
                person.employee_id,
                person.name,
                person.email,
                row.department,
                row.job_role,
                row.management_level,
                *(cell.text for cell in row.cells),
            ]

    return header, rows()
