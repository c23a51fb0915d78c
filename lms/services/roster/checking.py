"""Validation: every check reads the parsed rows and the snapshot, and writes nothing."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .reading import _too_many_rows
from .results import _LEVEL_HINT, _MAX_LENGTHS, _REQUIRED, ROSTER_COLUMNS, RosterProblem
from .rows import _Person, _Row, _Snapshot


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
