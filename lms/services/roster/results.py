"""The roster's columns and rules, and what an import reports: its problems and its counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from lms.models import Department, JobRole, ManagementLevel, User

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
    # People whose assignments may need to follow: created, deactivated, reactivated, or moved
    # to another department, job role or management level. Empty for a dry run.
    affected_user_ids: list[int] = field(default_factory=list)

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
