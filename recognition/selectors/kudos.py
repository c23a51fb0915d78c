"""Reading kudos: the colleagues one may send them to, one's own, and those of a team.

A person sees the kudos they sent and received; a manager those received by the people below
them (direct and indirect); HR (`recognition.view_kudos`) everyone's. Each page costs a fixed
number of queries whatever the history.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from lms.models import Department, User
from lms.selectors.matrix import department_and_below
from lms.selectors.people import PeopleScope, people_scope
from recognition.models import Kudos

PER_PAGE = 25
SEARCH_RESULTS = 20
SEARCH_MAX_LENGTH = 100


def roster() -> QuerySet[User]:
    """The people kudos can go to: active and on the HR roster."""
    return User.objects.filter(is_active=True, employee_id__isnull=False)


def colleagues_matching(*, query: str, sender: User) -> list[User]:
    """Up to 20 people on the roster, not `sender`, whose name or e-mail holds every word of
    `query`; nobody for an empty query."""
    words = query.split()[:5]
    if not words:
        return []
    people = roster().exclude(pk=sender.pk).select_related("department")
    for word in words:
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return list(people.order_by("last_name", "first_name", "pk")[:SEARCH_RESULTS])


def receiver_for(*, pk: int | str | None, sender: User) -> User | None:
    """The colleague chosen to receive kudos, if `pk` names one `sender` may send them to."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if pk == sender.pk:
        return None
    return roster().select_related("department").filter(pk=pk).first()


def _with_people(kudos: QuerySet[Kudos]) -> QuerySet[Kudos]:
    return kudos.select_related("sender", "receiver", "receiver__department")


@dataclass(frozen=True)
class MyKudos:
    page: Page
    received: int
    sent: int


def my_kudos(*, user: User, page_number: int | str = 1) -> MyKudos:
    """The kudos `user` received and sent, newest first, one page at a time, with how many of
    each: three queries."""
    mine = Kudos.objects.filter(Q(receiver=user) | Q(sender=user))
    counts = mine.aggregate(
        received=Count("pk", filter=Q(receiver=user)), sent=Count("pk", filter=Q(sender=user))
    )
    page = Paginator(_with_people(mine).order_by("-created_at", "-pk"), PER_PAGE).get_page(
        page_number
    )
    return MyKudos(page=page, received=counts["received"], sent=counts["sent"])


def team_scope(*, viewer: User) -> PeopleScope | None:
    """HR: everyone. A manager: the people below them. Anyone else: None."""
    return people_scope(
        viewer=viewer, sees_all=viewer.is_active and viewer.has_perm("recognition.view_kudos")
    )


def team_kudos(
    *, scope: PeopleScope, department: Department | None = None, page_number: int | str = 1
) -> Page:
    """Kudos received by the people in `scope` (in `department` or a department under it, when
    given), newest first, hidden ones included: they still count."""
    kudos = Kudos.objects.all()
    if scope.people_ids is not None:
        kudos = kudos.filter(receiver_id__in=scope.people_ids)
    if department is not None:
        kudos = kudos.filter(receiver__department_id__in=department_and_below(department))
    kudos = _with_people(kudos).select_related("hidden_by").order_by("-created_at", "-pk")
    return Paginator(kudos, PER_PAGE).get_page(page_number)
