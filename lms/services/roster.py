"""The HR roster import: one CSV from the HR system keeps people and the org chart in step.

The whole roster is checked before anything is written; a single bad row means nothing changes.
Writes are a handful of bulk statements in one transaction, so a 10,000-person file costs about
the same number of queries as a 10-person one.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction

from lms.models import Department, Invitation, JobRole, ManagementLevel, User

ROSTER_COLUMNS: tuple[str, ...] = (
    "employee_id",
    "email",
    "first_name",
    "last_name",
    "department",
    "job_role",
    "management_level",
    "manager_employee_id",
)
logger = logging.getLogger(__name__)

LINE_KEY = "_line"
BATCH_SIZE = 500

_REQUIRED = {
    "employee_id": "an employee id",
    "email": "an e-mail address",
    "first_name": "a first name",
    "last_name": "a last name",
    "management_level": "a management level",
}
_MAX_LENGTHS = {
    "employee_id": User._meta.get_field("employee_id").max_length,
    "email": User._meta.get_field("email").max_length,
    "first_name": User._meta.get_field("first_name").max_length,
    "last_name": User._meta.get_field("last_name").max_length,
    "department": Department._meta.get_field("name").max_length,
    "job_role": JobRole._meta.get_field("name").max_length,
}
_LEVELS = {level.value: level.value for level in ManagementLevel} | {
    level.label.lower(): level.value for level in ManagementLevel
}
_LEVEL_HINT = "use top, middle, frontline or staff"


@dataclass(frozen=True)
class RosterProblem:
    """One thing wrong with the roster, where the person fixing the file will look for it."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"Line {self.line}" if self.line is not None else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        if not where:
            return self.message
        return f"{where[0].upper()}{where[1:]}: {self.message}"


class RosterInvalid(Exception):
    """The roster cannot be imported; `problems` lists every reason found."""

    def __init__(self, problems: list[RosterProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the roster")


@dataclass
class RosterResult:
    """What an import did (or, for a dry run, would do). `reactivated` people are also counted
    in `updated`, so created + updated + unchanged is the number of rows."""

    created: int
    updated: int
    unchanged: int
    deactivated: int
    reactivated: int
    departments_created: int
    job_roles_created: int
    invited: int
    dry_run: bool

    def summary(self) -> str:
        counts = (
            f"{self.created} created, {self.updated} updated ({self.reactivated} reactivated), "
            f"{self.unchanged} unchanged, {self.deactivated} deactivated; "
            f"{_plural(self.departments_created, 'department')} and "
            f"{_plural(self.job_roles_created, 'job role')} created; "
            f"{_plural(self.invited, 'invitation')} to send."
        )
        if self.dry_run:
            return f"Dry run, nothing was changed. Importing this file would give: {counts}"
        return f"Roster imported: {counts}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# --- Reading the file


def read_roster_csv(*, data: bytes) -> list[dict[str, str]]:
    """Parse a roster CSV into rows keyed by column, each with its line number under LINE_KEY.

    Raises RosterInvalid for problems with the file as a whole (encoding, header, shape, size);
    the rows' values are checked by `import_roster`.
    """
    text = _decode(data)
    if not text.strip():
        raise RosterInvalid([RosterProblem(None, None, "The file is empty.")])
    if "\x00" in text:
        raise RosterInvalid([_not_csv(None, "it contains binary data")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header_line, header = _read_header(reader)
        rows, problems = _read_rows(reader, header)
    except csv.Error as error:
        raise RosterInvalid([_not_csv(reader.line_num, str(error))]) from None
    if problems:
        raise RosterInvalid(problems)
    if not rows:
        raise RosterInvalid(
            [RosterProblem(header_line, None, "the file has a header but no people.")]
        )
    return rows


def _decode(data: bytes) -> str:
    try:
        # utf-8-sig drops the byte-order mark Excel writes in front of "CSV UTF-8" files.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = "the file is not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'."
        raise RosterInvalid([RosterProblem(line, None, message)]) from None


def _not_csv(line: int | None, detail: str) -> RosterProblem:
    message = f"this is not a CSV file ({detail}); save it from your spreadsheet as 'CSV UTF-8'."
    return RosterProblem(line, None, message if line else message[0].upper() + message[1:])


def _delimiter(text: str) -> str:
    # Spreadsheets in many European locales save "CSV" with semicolons; accept that as written.
    first_line = text.lstrip().split("\n", 1)[0]
    if "," not in first_line:
        for candidate in (";", "\t"):
            if candidate in first_line:
                return candidate
    return ","


def _read_header(reader) -> tuple[int, list[str]]:
    for values in reader:
        if any(value.strip() for value in values):
            break
    else:
        raise RosterInvalid([RosterProblem(None, None, "The file is empty.")])
    line = reader.line_num
    header = [value.strip().lower() for value in values]
    missing = [column for column in ROSTER_COLUMNS if column not in header]
    if missing:
        raise RosterInvalid(
            [
                RosterProblem(
                    line,
                    None,
                    f"the header lacks the column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)}; it needs {', '.join(ROSTER_COLUMNS)}.",
                )
            ]
        )
    repeated = sorted({column for column in header if column and header.count(column) > 1})
    if repeated:
        raise RosterInvalid(
            [RosterProblem(line, None, f"the header repeats {', '.join(repeated)}.")]
        )
    return line, header


def _read_rows(reader, header: list[str]) -> tuple[list[dict[str, str]], list[RosterProblem]]:
    rows: list[dict[str, str]] = []
    problems: list[RosterProblem] = []
    max_rows = settings.LMS_ROSTER_MAX_ROWS
    for line, values in _records_with_start_line(reader):
        if len(values) > len(header):
            problems.append(
                RosterProblem(
                    line,
                    None,
                    f"this row has {len(values)} values but the header names {len(header)} "
                    "columns; a value with a comma in it needs quotes.",
                )
            )
            continue
        # A short row is padded: hand-made files often leave out trailing empty values.
        padded = values + [""] * (len(header) - len(values))
        row = {column: value.strip() for column, value in zip(header, padded, strict=True)}
        rows.append({column: row[column] for column in ROSTER_COLUMNS} | {LINE_KEY: str(line)})
        if len(rows) > max_rows:
            raise RosterInvalid([_too_many_rows(max_rows)])
    return rows, problems


def _records_with_start_line(reader) -> Iterator[tuple[int, list[str]]]:
    # A quoted value may span lines, so a record starts on the line after the previous one ended.
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        if any(value.strip() for value in values):
            yield start, values


def _too_many_rows(max_rows: int) -> RosterProblem:
    return RosterProblem(
        None,
        None,
        f"The roster has more than {max_rows:,} people, the most one import takes "
        "(setting LMS_ROSTER_MAX_ROWS).",
    )


# --- Importing rows


@dataclass(frozen=True)
class _Row:
    line: int
    employee_id: str
    email: str
    first_name: str
    last_name: str
    department: str
    job_role: str
    management_level: str
    manager_employee_id: str

    @property
    def level(self) -> str | None:
        return _LEVELS.get(self.management_level.lower())


class _Person(NamedTuple):
    """An existing person as far as the roster is concerned; loaded once, without instances."""

    pk: int
    employee_id: str | None
    email: str
    first_name: str
    last_name: str
    department_id: int | None
    job_role_id: int | None
    management_level: str
    manager_id: int | None
    is_active: bool


@dataclass
class _Snapshot:
    """Everything the import compares against, loaded in three queries."""

    people: list[_Person]
    departments: dict[str, int]  # lower-cased name → pk
    job_roles: dict[str, int]
    by_pk: dict[int, _Person] = field(init=False)
    by_employee_id: dict[str, _Person] = field(init=False)
    by_email: dict[str, _Person] = field(init=False)

    def __post_init__(self) -> None:
        self.by_pk = {person.pk: person for person in self.people}
        self.by_employee_id = {p.employee_id: p for p in self.people if p.employee_id}
        self.by_email = {person.email.lower(): person for person in self.people}

    @classmethod
    def load(cls) -> _Snapshot:
        return cls(
            people=[_Person(*values) for values in User.objects.values_list(*_Person._fields)],
            departments=_names_to_pks(Department),
            job_roles=_names_to_pks(JobRole),
        )


def _names_to_pks(model) -> dict[str, int]:
    # Names match whatever their case, so "quality" in the file does not create a second
    # "Quality" department.
    return {name.lower(): pk for pk, name in model.objects.values_list("pk", "name")}


def import_roster(
    *,
    rows: list[dict[str, str]],
    deactivate_missing: bool = False,
    dry_run: bool = False,
    invite_new_people: bool = True,
) -> RosterResult:
    """Bring people, departments, job roles and line managers in step with the roster `rows`.

    Rows are keyed by ROSTER_COLUMNS, with their file line under LINE_KEY (rows without it are
    numbered from line 2, as if under a header). People are matched by employee id. New people get
    an unusable password and, with `invite_new_people`, an Invitation row for the caller to send
    once this returns. `deactivate_missing` deactivates everyone with an employee id who is not
    in the rows; people without an employee id are never touched.

    Raises RosterInvalid listing every problem, having written nothing. A dry run checks and
    counts the same way, and writes nothing either.
    """
    parsed = [_parse_row(row, index) for index, row in enumerate(rows)]
    snapshot = _Snapshot.load()
    problems = _validate(rows=parsed, snapshot=snapshot, deactivate_missing=deactivate_missing)
    if problems:
        raise RosterInvalid(problems)
    plan = _plan(rows=parsed, snapshot=snapshot, deactivate_missing=deactivate_missing)
    # A dry run stops at the plan rather than writing and rolling back: it takes no locks, and the
    # counts come from the very plan a real import would apply.
    if not dry_run:
        try:
            with transaction.atomic():
                _apply(plan=plan, snapshot=snapshot, invite_new_people=invite_new_people)
        except IntegrityError:
            # Validation saw a snapshot; a unique name or address taken since then lands here.
            logger.warning("roster import rolled back on a constraint", exc_info=True)
            raise RosterInvalid(
                [
                    RosterProblem(
                        None,
                        None,
                        "People changed in the system while the roster was being imported, so "
                        "nothing was imported; please try again.",
                    )
                ]
            ) from None
    return RosterResult(
        created=len(plan.to_create),
        updated=len(plan.updated_pks),
        unchanged=len(parsed) - len(plan.to_create) - len(plan.updated_pks),
        deactivated=len(plan.to_deactivate),
        reactivated=plan.reactivated,
        departments_created=len(plan.new_departments),
        job_roles_created=len(plan.new_job_roles),
        invited=len(plan.to_create) if invite_new_people else 0,
        dry_run=dry_run,
    )


def _parse_row(row: dict[str, str], index: int) -> _Row:
    values = {column: (row.get(column) or "").strip() for column in ROSTER_COLUMNS}
    values["email"] = values["email"].lower()
    return _Row(line=int(row.get(LINE_KEY) or index + 2), **values)


# --- Validation: every check reads the parsed rows and the snapshot, and writes nothing


def _validate(
    *, rows: list[_Row], snapshot: _Snapshot, deactivate_missing: bool
) -> list[RosterProblem]:
    """Every problem with the rows, in file order."""
    if not rows:
        return [RosterProblem(None, None, "The roster has no people in it.")]
    if len(rows) > settings.LMS_ROSTER_MAX_ROWS:
        return [_too_many_rows(settings.LMS_ROSTER_MAX_ROWS)]
    problems = [problem for row in rows for problem in _value_problems(row)]
    problems += _duplicate_problems(rows, "employee_id", "each person must appear once")
    problems += _duplicate_problems(rows, "email", "each person needs their own address")
    problems += _email_taken_problems(rows, snapshot)
    problems += _manager_problems(rows, snapshot, deactivate_missing)
    problems += _cycle_problems(rows, snapshot)
    order = {column: index for index, column in enumerate(ROSTER_COLUMNS)}
    return sorted(problems, key=lambda p: (p.line or 0, order.get(p.column or "", -1)))


def _value_problems(row: _Row) -> Iterator[RosterProblem]:
    for column, needed in _REQUIRED.items():
        if not getattr(row, column):
            yield RosterProblem(row.line, column, f"this is empty; every person needs {needed}.")
    for column, max_length in _MAX_LENGTHS.items():
        value = getattr(row, column)
        if len(value) > max_length:
            yield RosterProblem(
                row.line,
                column,
                f"'{value[:30]}…' is longer than the {max_length} characters allowed.",
            )
    if row.email and not _is_email(row.email):
        yield RosterProblem(row.line, "email", f"'{row.email}' is not a valid e-mail address.")
    if row.management_level and row.level is None:
        yield RosterProblem(
            row.line,
            "management_level",
            f"'{row.management_level}' is not a management level; {_LEVEL_HINT}.",
        )


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _duplicate_problems(rows: list[_Row], column: str, why: str) -> Iterator[RosterProblem]:
    first_line: dict[str, int] = {}
    for row in rows:
        value = getattr(row, column)
        if not value:
            continue
        if value in first_line:
            yield RosterProblem(
                row.line, column, f"{value} is also on line {first_line[value]}; {why}."
            )
        else:
            first_line[value] = row.line


def _email_taken_problems(rows: list[_Row], snapshot: _Snapshot) -> Iterator[RosterProblem]:
    in_file = {row.employee_id for row in rows if row.employee_id}
    for row in rows:
        holder = snapshot.by_email.get(row.email)
        # A holder who is in the file either gets another address there (freeing this one) or
        # keeps it, which the duplicate check has already reported.
        if holder is None or holder.employee_id == row.employee_id or holder.employee_id in in_file:
            continue
        if holder.employee_id:
            owner = f"employee {holder.employee_id}, who is not in this file"
        else:
            owner = "an account outside the roster (it has no employee id)"
        yield RosterProblem(
            row.line,
            "email",
            f"{row.email} already belongs to {owner}; each person needs their own address.",
        )


def _manager_problems(
    rows: list[_Row], snapshot: _Snapshot, deactivate_missing: bool
) -> Iterator[RosterProblem]:
    in_file = {row.employee_id for row in rows if row.employee_id}
    for row in rows:
        manager_id = row.manager_employee_id
        if not manager_id:
            continue
        existing = snapshot.by_employee_id.get(manager_id)
        if manager_id == row.employee_id:
            message = f"{manager_id} cannot be their own manager."
        elif manager_id not in in_file and existing is None:
            message = f"nobody in the file or the system has the employee id {manager_id}."
        elif deactivate_missing and manager_id not in in_file and existing.is_active:
            message = (
                f"{manager_id} is not in the file, so this import would deactivate them; "
                "add them to the file or name another manager."
            )
        else:
            continue
        yield RosterProblem(row.line, "manager_employee_id", message)


def _cycle_problems(rows: list[_Row], snapshot: _Snapshot) -> list[RosterProblem]:
    """Reporting loops in the org chart the import would leave: file rows plus the people already
    in the system who are not in the file (including those without an employee id)."""
    in_file = {}
    for row in rows:
        in_file.setdefault(row.employee_id, row)
    manager_of = _org_chart_after_import(in_file, snapshot)
    problems = []
    for cycle in _cycles(manager_of, starts=[key for key in in_file if key]):
        rows_in_cycle = sorted((in_file[key] for key in cycle if key in in_file), key=_line_of)
        if not rows_in_cycle:
            continue  # a loop already in the database is not this file's doing
        first = rows_in_cycle[0]
        start = cycle.index(first.employee_id)
        ordered = cycle[start:] + cycle[:start]
        chain = " → ".join(_label(key, snapshot) for key in [*ordered, ordered[0]])
        lines = ", ".join(str(row.line) for row in rows_in_cycle)
        problems.append(
            RosterProblem(
                first.line,
                "manager_employee_id",
                f"{chain} would be a reporting loop (line{'s' if len(rows_in_cycle) > 1 else ''}"
                f" {lines}); someone in it must report to a person outside it.",
            )
        )
    return problems


def _line_of(row: _Row) -> int:
    return row.line


def _org_chart_after_import(
    in_file: dict[str, _Row], snapshot: _Snapshot
) -> dict[str | int, str | int]:
    # Nodes are employee ids, or the pk of someone outside the roster, who can sit in a chain too.
    def key_of(person: _Person) -> str | int:
        return person.employee_id or person.pk

    manager_of = {}
    for person in snapshot.people:
        if person.manager_id and person.employee_id not in in_file:
            manager = snapshot.by_pk.get(person.manager_id)
            if manager is not None:
                manager_of[key_of(person)] = key_of(manager)
    for employee_id, row in in_file.items():
        manager_id = row.manager_employee_id
        if not employee_id or not manager_id or manager_id == employee_id:
            continue
        if manager_id in in_file or manager_id in snapshot.by_employee_id:
            manager_of[employee_id] = manager_id
    return manager_of


def _cycles(
    manager_of: dict[str | int, str | int], *, starts: list[str]
) -> Iterator[list[str | int]]:
    # Everyone has at most one manager, so walking up from each start finds each loop once.
    done: set[str | int] = set()
    for start in starts:
        path: list[str | int] = []
        position: dict[str | int, int] = {}
        key: str | int | None = start
        while key is not None and key not in done and key not in position:
            position[key] = len(path)
            path.append(key)
            key = manager_of.get(key)
        if key is not None and key in position:
            yield path[position[key] :]
        done.update(path)


def _label(key: str | int, snapshot: _Snapshot) -> str:
    return snapshot.by_pk[key].email if isinstance(key, int) else key


# --- Planning: what would change, computed without writing


_NEW = object()  # a department, job role or manager that only this import will create


@dataclass
class _Plan:
    """What applying the rows would change; a dry run reports it, a real import applies it."""

    new_departments: list[str]
    new_job_roles: list[str]
    to_create: list[_Row]
    field_changes: dict[int, tuple[_Row, set[str]]]  # existing pk → (row, changed fields)
    manager_changes: list[_Row]  # rows whose person gets another line manager
    to_deactivate: list[int]
    updated_pks: set[int] = field(default_factory=set)
    reactivated: int = 0


def _plan(*, rows: list[_Row], snapshot: _Snapshot, deactivate_missing: bool) -> _Plan:
    plan = _Plan(
        new_departments=_new_names([row.department for row in rows], snapshot.departments),
        new_job_roles=_new_names([row.job_role for row in rows], snapshot.job_roles),
        to_create=[],
        field_changes={},
        manager_changes=[],
        to_deactivate=[],
    )
    for row in rows:
        person = snapshot.by_employee_id.get(row.employee_id)
        if person is None:
            plan.to_create.append(row)
            # A manager already in the system is set on creation; a new one needs their pk first.
            if _manager_pk(row, snapshot) is _NEW:
                plan.manager_changes.append(row)
            continue
        changed = _changed_fields(person, row, snapshot)
        if changed:
            plan.field_changes[person.pk] = (row, changed)
            plan.updated_pks.add(person.pk)
            if "is_active" in changed:
                plan.reactivated += 1
        if _manager_pk(row, snapshot) != person.manager_id:
            plan.manager_changes.append(row)
            plan.updated_pks.add(person.pk)
    if deactivate_missing:
        in_file = {row.employee_id for row in rows}
        plan.to_deactivate = [
            p.pk
            for p in snapshot.people
            if p.employee_id and p.is_active and p.employee_id not in in_file
        ]
    return plan


def _new_names(names: list[str], existing: dict[str, int]) -> list[str]:
    new: dict[str, str] = {}
    for name in names:
        if name and name.lower() not in existing:
            new.setdefault(name.lower(), name)  # the first spelling in the file names it
    return list(new.values())


def _changed_fields(person: _Person, row: _Row, snapshot: _Snapshot) -> set[str]:
    wanted = {
        "email": row.email,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "department_id": _pk_of_name(row.department, snapshot.departments),
        "job_role_id": _pk_of_name(row.job_role, snapshot.job_roles),
        "management_level": row.level,
        "is_active": True,
    }
    return {name for name, value in wanted.items() if getattr(person, name) != value}


def _pk_of_name(name: str, existing: dict[str, int]) -> int | object | None:
    if not name:
        return None
    return existing.get(name.lower(), _NEW)


def _manager_pk(row: _Row, snapshot: _Snapshot) -> int | object | None:
    if not row.manager_employee_id:
        return None
    manager = snapshot.by_employee_id.get(row.manager_employee_id)
    return _NEW if manager is None else manager.pk


# --- Applying the plan: bulk statements only, inside the caller's transaction


def _apply(*, plan: _Plan, snapshot: _Snapshot, invite_new_people: bool) -> None:
    departments = _create_named(Department, plan.new_departments, snapshot.departments)
    job_roles = _create_named(JobRole, plan.new_job_roles, snapshot.job_roles)
    _update_people(plan, snapshot, departments, job_roles)
    pks = {p.employee_id: p.pk for p in snapshot.people if p.employee_id}
    pks |= _create_people(plan.to_create, departments, job_roles, existing=pks)
    # Managers go in a second pass because a manager may be one of the people just created.
    _bulk_update(
        [
            User(pk=pks[row.employee_id], manager_id=pks.get(row.manager_employee_id))
            for row in plan.manager_changes
        ],
        ["manager"],
    )
    for chunk in _chunks(plan.to_deactivate):
        User.objects.filter(pk__in=chunk).update(is_active=False)
    if invite_new_people:
        Invitation.objects.bulk_create(
            [Invitation(user_id=pks[row.employee_id]) for row in plan.to_create],
            batch_size=BATCH_SIZE,
        )


def _create_named(model, names: list[str], existing: dict[str, int]) -> dict[str, int]:
    if not names:
        return existing
    model.objects.bulk_create([model(name=name) for name in names], batch_size=BATCH_SIZE)
    return _names_to_pks(model)


def _update_people(
    plan: _Plan, snapshot: _Snapshot, departments: dict[str, int], job_roles: dict[str, int]
) -> None:
    changes = plan.field_changes.values()
    fields = sorted({name.removesuffix("_id") for _, changed in changes for name in changed})
    if "email" in fields and _emails_move_between_people(plan, snapshot):
        # Addresses are unique, and a swap or a rotation would collide halfway through the
        # update; parking the moving addresses first lets the real update land cleanly.
        _bulk_update(
            [
                User(pk=pk, email=f"roster-import-{pk}@parked.invalid")
                for pk, (_, changed) in plan.field_changes.items()
                if "email" in changed
            ],
            ["email"],
        )
    _bulk_update(
        [_user(row, departments, job_roles, pk=pk) for pk, (row, _) in plan.field_changes.items()],
        fields,
    )


def _emails_move_between_people(plan: _Plan, snapshot: _Snapshot) -> bool:
    return any(
        "email" in changed and row.email in snapshot.by_email
        for row, changed in plan.field_changes.values()
    )


def _create_people(
    rows: list[_Row],
    departments: dict[str, int],
    job_roles: dict[str, int],
    existing: dict[str, int],
) -> dict[str, int]:
    """Create people from `rows`, with their manager when that manager already exists; returns
    their pks by employee id."""
    people = [
        _user(
            row,
            departments,
            job_roles,
            manager_id=existing.get(row.manager_employee_id),
            password=make_password(None),
        )
        for row in rows
    ]
    User.objects.bulk_create(people, batch_size=BATCH_SIZE)
    if people and not connection.features.can_return_rows_from_bulk_insert:
        wanted = {row.employee_id for row in rows}
        return {
            employee_id: pk
            for pk, employee_id in User.objects.values_list("pk", "employee_id")
            if employee_id in wanted
        }
    return {person.employee_id: person.pk for person in people}


def _user(row: _Row, departments: dict[str, int], job_roles: dict[str, int], **extra) -> User:
    return User(
        employee_id=row.employee_id,
        email=row.email,
        first_name=row.first_name,
        last_name=row.last_name,
        department_id=departments[row.department.lower()] if row.department else None,
        job_role_id=job_roles[row.job_role.lower()] if row.job_role else None,
        management_level=row.level,
        is_active=True,
        **extra,
    )


def _bulk_update(people: list[User], fields: list[str]) -> None:
    if people and fields:
        User.objects.bulk_update(people, fields, batch_size=BATCH_SIZE)


def _chunks(pks: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(pks), BATCH_SIZE):
        yield pks[start : start + BATCH_SIZE]
