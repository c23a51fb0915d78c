"""Who may see whom: a person sees themselves, a manager their reports, HR everyone."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from lms.models import User
from lms.services.people import MAX_CHAIN_LENGTH


def sees_everyone(viewer: User) -> bool:
    return viewer.is_active and viewer.has_perm("lms.view_all_people")


def is_manager(viewer: User) -> bool:
    return viewer.is_authenticated and viewer.reports.filter(is_active=True).exists()


def report_ids(*, manager: User) -> set[int]:
    """Everyone below `manager` in the org chart, direct or indirect: one query per level."""
    found: set[int] = set()
    frontier = {manager.pk}
    for _ in range(MAX_CHAIN_LENGTH):
        frontier = set(
            User.objects.filter(manager_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        frontier -= {manager.pk}
        if not frontier:
            break
        found |= frontier
    return found


@dataclass(frozen=True)
class PeopleScope:
    """Whose records a viewer sees in a list: everyone (`people_ids` None) or the people below
    them."""

    people_ids: frozenset[int] | None

    @property
    def is_everyone(self) -> bool:
        return self.people_ids is None

    @property
    def description(self) -> str:
        return "everyone" if self.is_everyone else "the people below you"


def people_scope(*, viewer: User, sees_all: bool) -> PeopleScope | None:
    """Everyone when `sees_all` (the viewer holds the page's permission), else the people below
    the viewer; None for someone with nobody below them."""
    if not viewer.is_authenticated:
        return None
    if sees_all:
        return PeopleScope(people_ids=None)
    below = report_ids(manager=viewer)
    return PeopleScope(people_ids=frozenset(below)) if below else None


def manages(*, manager: User, person: User) -> bool:
    """Whether `person` reports to `manager`, directly or through managers below them."""
    ancestor_id = person.manager_id
    for _ in range(MAX_CHAIN_LENGTH):
        if ancestor_id is None:
            return False
        if ancestor_id == manager.pk:
            return True
        ancestor_id = (
            User.objects.filter(pk=ancestor_id).values_list("manager_id", flat=True).first()
        )
    return False


def can_view_person(*, viewer: User, person: User) -> bool:
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk or sees_everyone(viewer):
        return True
    return manages(manager=viewer, person=person)


def people_with_org(queryset: QuerySet[User] | None = None) -> QuerySet[User]:
    queryset = User.objects.all() if queryset is None else queryset
    return queryset.select_related("department", "job_role", "manager")


def team_of(*, manager: User) -> QuerySet[User]:
    return people_with_org(User.objects.filter(pk__in=report_ids(manager=manager)))
