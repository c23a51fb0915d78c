"""The parsed rows and a snapshot of the people they are compared against."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from lms.models import Department, JobRole, User

from .results import _LEVELS


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
