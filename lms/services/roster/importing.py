"""Importing rows: plan what would change, then apply it in bulk statements."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, connection, transaction

from lms.models import Department, Invitation, JobRole, User

from .checking import _validate
from .results import (
    BATCH_SIZE,
    LINE_KEY,
    ROSTER_COLUMNS,
    RosterInvalid,
    RosterProblem,
    RosterResult,
)
from .rows import _names_to_pks, _Person, _Row, _Snapshot

logger = logging.getLogger(__name__)


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
    affected_user_ids: list[int] = []
    if not dry_run:
        try:
            with transaction.atomic():
                created_pks = _apply(
                    plan=plan, snapshot=snapshot, invite_new_people=invite_new_people
                )
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
        affected_user_ids = sorted(created_pks | _moved_pks(plan))
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
        affected_user_ids=affected_user_ids,
    )


# Changes that can move a person into or out of an audience (lms.audience).
_AUDIENCE_FIELDS = {"department_id", "job_role_id", "management_level", "is_active"}


def _moved_pks(plan: _Plan) -> set[int]:
    moved = {pk for pk, (_, changed) in plan.field_changes.items() if changed & _AUDIENCE_FIELDS}
    return moved | set(plan.to_deactivate)


def _parse_row(row: dict[str, str], index: int) -> _Row:
    values = {column: (row.get(column) or "").strip() for column in ROSTER_COLUMNS}
    values["email"] = values["email"].lower()
    return _Row(line=int(row.get(LINE_KEY) or index + 2), **values)


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


def _apply(*, plan: _Plan, snapshot: _Snapshot, invite_new_people: bool) -> set[int]:
    """Write the plan; returns the pks of the people it created."""
    departments = _create_named(Department, plan.new_departments, snapshot.departments)
    job_roles = _create_named(JobRole, plan.new_job_roles, snapshot.job_roles)
    _update_people(plan, snapshot, departments, job_roles)
    pks = {p.employee_id: p.pk for p in snapshot.people if p.employee_id}
    created = _create_people(plan.to_create, departments, job_roles, existing=pks)
    pks |= created
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
    return set(created.values())


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
