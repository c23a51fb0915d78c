"""What a person has to learn and what a manager's team has learnt: the reads behind My learning,
My team and the reminder e-mails, each a fixed number of queries however many rows there are."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import F, QuerySet, prefetch_related_objects
from django.utils import timezone

from lms.audience import department_parents
from lms.models import (
    Assignment,
    CaseStudy,
    Completion,
    ModuleStart,
    Notification,
    SectionDone,
    TrainingModule,
    User,
)
from lms.selectors.content import case_studies_for
from lms.selectors.people import people_with_org, report_ids

RECOMMENDED_LIMIT = 6
TEAM_PAGE_SIZE = 100
NOTIFICATIONS_LIMIT = 100


class Status(models.TextChoices):
    """Where a person stands with one assignment, as the pages and e-mails say it."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    OVERDUE = "overdue", "Overdue"


def status_of(
    *, assignment_status: str, due_on: datetime.date, started: bool, today: datetime.date
) -> Status:
    if assignment_status == Assignment.Status.COMPLETED:
        return Status.COMPLETED
    if due_on < today:
        return Status.OVERDUE
    return Status.IN_PROGRESS if started else Status.NOT_STARTED


def section_ids_of(module: TrainingModule) -> list[str]:
    # The raw stream rather than the blocks: turning blocks into values would fetch the images
    # and pages they point to, a query or more per module.
    return [item["id"] for item in module.body.raw_data if item["type"] == "section"]


@dataclass
class AssignedModule:
    assignment: Assignment
    status: Status
    sections_done: int
    sections_total: int

    @property
    def module(self) -> TrainingModule:
        return self.assignment.module

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass
class MyLearning:
    assigned: list[AssignedModule]
    recommended: list[TrainingModule]
    completed: list[Completion]
    withdrawn: list[Assignment]
    case_studies: list[CaseStudy]


def my_learning(*, user: User, today: datetime.date | None = None) -> MyLearning:
    """Everything on a person's My learning page.

    `assigned` holds one row per module: the open assignment, or else the latest completed one;
    overdue first, then open ones by due date, then completed ones.
    """
    today = today or timezone.localdate()
    assignments = list(
        Assignment.objects.filter(user=user).select_related("module").order_by("due_on", "pk")
    )
    current = _current_assignments(
        a for a in assignments if a.status != Assignment.Status.WITHDRAWN
    )
    module_ids = [a.module_id for a in current]
    done = set(
        SectionDone.objects.filter(user=user, module_id__in=module_ids).values_list(
            "module_id", "section_id"
        )
    )
    started = set(
        ModuleStart.objects.filter(user=user, module_id__in=module_ids).values_list(
            "module_id", flat=True
        )
    )
    assigned = []
    for assignment in current:
        sections = section_ids_of(assignment.module)
        if assignment.status == Assignment.Status.COMPLETED:
            sections_done = len(sections)
        else:
            sections_done = sum((assignment.module_id, s) in done for s in sections)
        status = status_of(
            assignment_status=assignment.status,
            due_on=assignment.due_on,
            started=assignment.module_id in started or sections_done > 0,
            today=today,
        )
        assigned.append(AssignedModule(assignment, status, sections_done, len(sections)))
    rank = {Status.OVERDUE: 0, Status.NOT_STARTED: 1, Status.IN_PROGRESS: 1, Status.COMPLETED: 2}
    assigned.sort(key=lambda row: (rank[row.status], row.assignment.due_on, row.assignment.pk))

    completed = list(
        Completion.objects.filter(user=user)
        .select_related("module", "revision")
        .defer("module__body", "revision__content")
        .order_by("-completed_at")
    )
    withdrawn = sorted(
        (a for a in assignments if a.status == Assignment.Status.WITHDRAWN),
        key=lambda a: a.withdrawn_at or a.created_at,
        reverse=True,
    )
    tree = department_parents()
    taken = {a.module_id for a in assignments} | {c.module_id for c in completed}
    return MyLearning(
        assigned=assigned,
        recommended=recommended_modules(user=user, exclude=taken, department_tree=tree),
        completed=completed,
        withdrawn=withdrawn,
        case_studies=_with_metrics(case_studies_for(user=user)),
    )


def _with_metrics(case_studies: list[CaseStudy]) -> list[CaseStudy]:
    prefetch_related_objects(case_studies, "metrics")
    return case_studies


def _current_assignments(assignments: Iterable[Assignment]) -> list[Assignment]:
    """Per module, the open assignment if there is one, else the latest completed one."""
    by_module: dict[int, Assignment] = {}
    for assignment in assignments:
        kept = by_module.get(assignment.module_id)
        if kept is None or kept.status != Assignment.Status.OPEN:
            by_module[assignment.module_id] = assignment
    return list(by_module.values())


def recommended_modules(
    *,
    user: User,
    exclude: Iterable[int] = (),
    department_tree: dict[int, int | None] | None = None,
    limit: int = RECOMMENDED_LIMIT,
) -> list[TrainingModule]:
    """Live modules meant for `user`'s audience that they have not been given or done."""
    tree = department_parents() if department_tree is None else department_tree
    candidates = (
        TrainingModule.objects.live()
        .exclude(pk__in=list(exclude))
        .defer("body")
        .prefetch_related("audience_departments", "audience_job_roles")
        .order_by("title")
    )
    # Audiences are lists in JSON, which SQLite cannot search, so the matching happens here.
    found = [m for m in candidates if m.audience.includes(user, department_tree=tree)]
    return found[:limit]


@dataclass
class OpenItem:
    assignment: Assignment
    overdue: bool


def open_items(*, user: User, today: datetime.date | None = None) -> list[OpenItem]:
    """A person's open assignments, overdue first then by due date: one query."""
    today = today or timezone.localdate()
    assignments = (
        Assignment.objects.filter(user=user, status=Assignment.Status.OPEN)
        .select_related("module")
        .defer("module__body")
        .order_by("due_on", "pk")
    )
    items = [OpenItem(a, a.due_on < today) for a in assignments]
    items.sort(key=lambda item: not item.overdue)
    return items


@dataclass
class TeamCell:
    status: Status | None = None
    sections_done: int = 0
    sections_total: int = 0
    due_on: datetime.date | None = None
    mandatory: bool = False

    @property
    def label(self) -> str:
        return self.status.label if self.status else "Not assigned"


@dataclass
class TeamRow:
    person: User
    cells: list[TeamCell]
    overdue: int = 0
    open: int = 0


@dataclass
class TeamGrid:
    """The rows of one page of the team; the figures cover the whole team."""

    rows: list[TeamRow]
    modules: list[TrainingModule]
    page: Page
    people: int = 0
    mandatory_total: int = 0
    mandatory_completed: int = 0
    overdue_total: int = 0

    @property
    def completion_percent(self) -> int | None:
        if not self.mandatory_total:
            return None
        return round(100 * self.mandatory_completed / self.mandatory_total)


def team_members(*, manager: User, include_indirect: bool = False) -> QuerySet[User]:
    """The active people below `manager`: direct reports only, or everyone below them."""
    if include_indirect:
        people = User.objects.filter(pk__in=report_ids(manager=manager))
    else:
        people = User.objects.filter(manager=manager)
    return people_with_org(people.filter(is_active=True)).order_by(
        "last_name", "first_name", "email"
    )


def team_grid(
    *,
    manager: User,
    include_indirect: bool = False,
    page_number: int | str | None = None,
    per_page: int = TEAM_PAGE_SIZE,
    today: datetime.date | None = None,
) -> TeamGrid:
    """Each person below `manager` against each module assigned in the team, a page of people at
    a time, with the team's overdue count and mandatory completion rate.

    A cell shows the person's current assignment of the module: the open one, or else the latest
    completed one. The completion rate counts those too, so a refresher open again counts as not
    completed.
    """
    today = today or timezone.localdate()
    people_query = team_members(manager=manager, include_indirect=include_indirect)
    page = Paginator(people_query, per_page).get_page(page_number)
    people = list(page.object_list)
    page_ids = [person.pk for person in people]
    # The whole team's assignments as plain tuples: the figures need all of them, the cells only
    # those of this page.
    current: dict[tuple[int, int], tuple] = {}
    for row in (
        Assignment.objects.filter(
            user__in=people_query.values("pk"),
            status__in=[Assignment.Status.OPEN, Assignment.Status.COMPLETED],
        )
        .order_by("due_on", "pk")
        .values_list("user_id", "module_id", "status", "due_on", "mandatory")
    ):
        kept = current.get(row[:2])
        if kept is None or kept[2] != Assignment.Status.OPEN:
            current[row[:2]] = row
    module_ids = {module_id for _user_id, module_id in current}
    modules = list(TrainingModule.objects.filter(pk__in=module_ids).order_by("title", "pk"))
    sections = {m.pk: set(section_ids_of(m)) for m in modules}
    done: dict[tuple[int, int], int] = {}
    for user_id, module_id, section_id in SectionDone.objects.filter(
        user_id__in=page_ids,
        module_id__in=module_ids,
        section_id__in=set().union(*sections.values()),
    ).values_list("user_id", "module_id", "section_id"):
        if section_id in sections[module_id]:
            done[(user_id, module_id)] = done.get((user_id, module_id), 0) + 1
    started = set(
        ModuleStart.objects.filter(user_id__in=page_ids, module_id__in=module_ids).values_list(
            "user_id", "module_id"
        )
    )

    grid = TeamGrid(rows=[], modules=modules, page=page, people=page.paginator.count)
    for _user_id, _module_id, status, due_on, mandatory in current.values():
        overdue = status == Assignment.Status.OPEN and due_on < today
        grid.overdue_total += overdue
        if mandatory:
            grid.mandatory_total += 1
            grid.mandatory_completed += status == Assignment.Status.COMPLETED
    for person in people:
        row = TeamRow(person=person, cells=[])
        for module in modules:
            assignment = current.get((person.pk, module.pk))
            if assignment is None:
                row.cells.append(TeamCell())
                continue
            _user_id, _module_id, assignment_status, due_on, mandatory = assignment
            total = len(sections[module.pk])
            completed = assignment_status == Assignment.Status.COMPLETED
            sections_done = total if completed else done.get((person.pk, module.pk), 0)
            status = status_of(
                assignment_status=assignment_status,
                due_on=due_on,
                started=(person.pk, module.pk) in started or sections_done > 0,
                today=today,
            )
            row.cells.append(TeamCell(status, sections_done, total, due_on, mandatory))
            row.overdue += status == Status.OVERDUE
            row.open += not completed
        grid.rows.append(row)
    return grid


def notifications_of(*, user: User, limit: int = NOTIFICATIONS_LIMIT) -> list[Notification]:
    """A person's latest notifications, unread first."""
    return list(
        Notification.objects.filter(user=user).order_by(
            F("read_at").desc(nulls_first=True), "-created_at", "-pk"
        )[:limit]
    )


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
