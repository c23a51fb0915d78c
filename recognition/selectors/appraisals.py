"""Appraisal figures: what each person did in a period, and who may see whose.

`figures_for` counts everything in SQL for many people at once, one query per kind of figure,
so a page or a close costs the same number of queries whatever the history. Its result is plain
JSON: the very shape frozen into `AppraisalSummary.figures` when a period closes. After that,
a closed period's pages read only the frozen summaries.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from campaigns.models import Suggestion
from lms.models import CompetenceRecord, Completion, Department, ProficiencyLevel, User
from lms.selectors.people import PeopleScope, manages, people_scope
from recognition.models import (
    AppraisalPeriod,
    AppraisalSummary,
    BadgeAward,
    Category,
    Kudos,
    KudosValue,
    PointsEntry,
)
from recognition.periods import start_of
from recognition.selectors.team_on_time import team_on_time_rates

# Bumped when the shape below changes, so a reader can tell older frozen summaries apart.
FIGURES_VERSION = 1
VIEW_ALL = "recognition.view_all_appraisals"
CATEGORY_LABELS = dict(Category.choices)


# --- The shape of one person's figures (frozen as it is into AppraisalSummary.figures).
# Dates are ISO strings (local time), rates percentages with one decimal.


class Modules(TypedDict):
    on_time: int
    late: int
    # Completed without an assignment: nobody asked, so neither on time nor late.
    self_directed: int


class CompetenceGained(TypedDict):
    name: str
    level: int
    level_label: str
    achieved_on: str


class BadgeAwarded(TypedDict):
    name: str
    awarded_on: str


class KudosReceived(TypedDict):
    sender: str
    value: str
    value_label: str
    message: str
    sent_on: str


class SuggestionAccepted(TypedDict):
    suggestion_id: int
    category: str
    accepted_on: str


class TeamCompliance(TypedDict):
    # Active direct reports, and their mandatory assignments due in the period.
    size: int
    due: int
    on_time: int
    rate: float | None


class Figures(TypedDict):
    version: int
    # Every category's value → points in the period (0 when none), corrections included.
    points: dict[str, int]
    points_total: int
    modules: Modules
    competences: list[CompetenceGained]
    badges: list[BadgeAwarded]
    kudos: list[KudosReceived]
    suggestions_accepted: list[SuggestionAccepted]
    # None for someone without active reports.
    team: TeamCompliance | None


def _empty_figures() -> Figures:
    return Figures(
        version=FIGURES_VERSION,
        points={category.value: 0 for category in Category},
        points_total=0,
        modules=Modules(on_time=0, late=0, self_directed=0),
        competences=[],
        badges=[],
        kudos=[],
        suggestions_accepted=[],
        team=None,
    )


def period_bounds(period: AppraisalPeriod) -> tuple[datetime.datetime, datetime.datetime]:
    """[starts_on 00:00, the day after ends_on 00:00), local time."""
    return start_of(period.starts_on), start_of(period.ends_on + datetime.timedelta(days=1))


def _local_day(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def _name(first: str, last: str, email: str) -> str:
    return f"{first} {last}".strip() or email


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def figures_for(
    *,
    period: AppraisalPeriod,
    user_ids: Collection[int],
    today: datetime.date | None = None,
) -> dict[int, Figures]:
    """The figures of each of `user_ids` in `period`, as they stand now: at most eight
    queries whatever the number of people or the length of their history."""
    ids = list(user_ids)
    figures = {user_id: _empty_figures() for user_id in ids}
    if not ids:
        return figures
    start, end = period_bounds(period)

    for row in (
        PointsEntry.objects.filter(user_id__in=ids, awarded_at__gte=start, awarded_at__lt=end)
        .order_by()
        .values("user_id", "category")
        .annotate(total=Sum("points"))
    ):
        person = figures[row["user_id"]]
        person["points"][row["category"]] = person["points"].get(row["category"], 0) + row["total"]
        person["points_total"] += row["total"]

    for row in (
        Completion.objects.filter(user_id__in=ids, completed_at__gte=start, completed_at__lt=end)
        .order_by()
        .values("user_id")
        .annotate(
            # Not named like the field: an annotation would hide it from the filters.
            n_on_time=Count("pk", filter=Q(on_time=True)),
            n_late=Count("pk", filter=Q(on_time=False)),
            n_self_directed=Count("pk", filter=Q(on_time__isnull=True)),
        )
    ):
        figures[row["user_id"]]["modules"] = Modules(
            on_time=row["n_on_time"], late=row["n_late"], self_directed=row["n_self_directed"]
        )

    for user_id, name, level, achieved_at in (
        CompetenceRecord.objects.filter(
            user_id__in=ids,
            kind=CompetenceRecord.Kind.AWARDED,
            achieved_at__gte=start,
            achieved_at__lt=end,
        )
        .order_by("achieved_at", "pk")
        .values_list("user_id", "competence__name", "level", "achieved_at")
    ):
        figures[user_id]["competences"].append(
            CompetenceGained(
                name=name,
                level=level,
                level_label=str(ProficiencyLevel(level).label),
                achieved_on=_local_day(achieved_at),
            )
        )

    # A revoked award was taken back: it does not count towards an appraisal.
    for user_id, name, awarded_at in (
        BadgeAward.objects.filter(
            user_id__in=ids, awarded_at__gte=start, awarded_at__lt=end, revoked_at__isnull=True
        )
        .order_by("awarded_at", "pk")
        .values_list("user_id", "badge__name", "awarded_at")
    ):
        figures[user_id]["badges"].append(
            BadgeAwarded(name=name, awarded_on=_local_day(awarded_at))
        )

    # Hidden kudos count too: hiding only takes them off the wall.
    values = dict(KudosValue.choices)
    for user_id, first, last, email, value, message, created_at in (
        Kudos.objects.filter(receiver_id__in=ids, created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "pk")
        .values_list(
            "receiver_id",
            "sender__first_name",
            "sender__last_name",
            "sender__email",
            "value",
            "message",
            "created_at",
        )
    ):
        figures[user_id]["kudos"].append(
            KudosReceived(
                sender=_name(first, last, email),
                value=value,
                value_label=str(values.get(value, value)),
                message=message,
                sent_on=_local_day(created_at),
            )
        )

    # Counted in the period the suggestion was first accepted, from its triage events.
    for author_id, suggestion_id, category, accepted_on in (
        Suggestion.objects.filter(author_id__in=ids)
        .annotate(
            accepted_on=Min("events__on", filter=Q(events__to_status=Suggestion.Status.ACCEPTED))
        )
        .filter(accepted_on__gte=period.starts_on, accepted_on__lte=period.ends_on)
        .order_by("accepted_on", "pk")
        .values_list("author_id", "pk", "category", "accepted_on")
    ):
        figures[author_id]["suggestions_accepted"].append(
            SuggestionAccepted(
                suggestion_id=suggestion_id,
                category=category,
                accepted_on=accepted_on.isoformat(),
            )
        )

    team_sizes = dict(
        User.objects.filter(manager_id__in=ids, is_active=True)
        .order_by()
        .values("manager_id")
        .annotate(size=Count("pk"))
        .values_list("manager_id", "size")
    )
    if team_sizes:
        rates = team_on_time_rates(
            start=period.starts_on,
            end=period.ends_on,
            manager_ids=list(team_sizes),
            today=today,
        )
        for manager_id, size in team_sizes.items():
            team = rates.get(manager_id)
            due, on_time = (team.due, team.on_time) if team else (0, 0)
            figures[manager_id]["team"] = TeamCompliance(
                size=size, due=due, on_time=on_time, rate=_percent(on_time, due)
            )
    return figures


# --- Who is in a period, and who may see whom


def roster(*, period: AppraisalPeriod) -> QuerySet[User]:
    """The people a period covers: everyone active with an employee id, and anyone (a leaver,
    an account outside the HR roster) with a ledger entry in the period."""
    start, end = period_bounds(period)
    earned = PointsEntry.objects.filter(
        user_id=OuterRef("pk"), awarded_at__gte=start, awarded_at__lt=end
    )
    return User.objects.filter(Q(is_active=True, employee_id__isnull=False) | Q(Exists(earned)))


def appraisal_scope(*, viewer: User, team_only: bool = False) -> PeopleScope | None:
    """HR: everyone (unless `team_only`). A manager: the people below them. Anyone else: None."""
    return people_scope(viewer=viewer, sees_all=viewer.has_perm(VIEW_ALL) and not team_only)


def can_see_summary(*, viewer: User, person: User) -> bool:
    """The person themself, anyone above them in the org chart, and HR."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk or viewer.has_perm(VIEW_ALL):
        return True
    return manages(manager=viewer, person=person)


def people_in_period(
    *,
    period: AppraisalPeriod,
    scope: PeopleScope,
    department: Department | None = None,
) -> QuerySet[User]:
    """The people of `period` in `scope`, by name: for a closed period, those with a frozen
    summary; for an open one, its roster as it stands."""
    if period.is_closed:
        people = User.objects.filter(appraisal_summaries__period=period)
    else:
        people = roster(period=period)
    if scope.people_ids is not None:
        people = people.filter(pk__in=scope.people_ids)
    if department is not None:
        people = people.filter(department=department)
    return people.select_related("department").order_by("last_name", "first_name", "email", "pk")


# --- What pages show


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@dataclass(frozen=True)
class Summary:
    """One person's figures in a period, and when they were frozen (None: figures so far)."""

    person: User
    figures: Figures
    frozen_at: datetime.datetime | None = None

    @property
    def points(self) -> list[tuple[str, int]]:
        """(category label, points) for each category, in the categories' order."""
        found = self.figures["points"]
        return [(str(label), found.get(value, 0)) for value, label in Category.choices]

    @property
    def competences(self) -> list[dict]:
        return [
            {**item, "achieved_on": _date(item["achieved_on"])}
            for item in self.figures["competences"]
        ]

    @property
    def badges(self) -> list[dict]:
        return [
            {**item, "awarded_on": _date(item["awarded_on"])} for item in self.figures["badges"]
        ]

    @property
    def kudos(self) -> list[dict]:
        return [{**item, "sent_on": _date(item["sent_on"])} for item in self.figures["kudos"]]

    @property
    def suggestions_accepted(self) -> list[dict]:
        labels = dict(Suggestion.Category.choices)
        return [
            {
                **item,
                "accepted_on": _date(item["accepted_on"]),
                "category_label": labels.get(item["category"], item["category"]),
            }
            for item in self.figures["suggestions_accepted"]
        ]


def summaries_for(
    *, period: AppraisalPeriod, people: Iterable[User], today: datetime.date | None = None
) -> list[Summary]:
    """A summary for each of `people` in `period`: the frozen one when the period is closed
    (one query; someone without a frozen summary is left out), the figures so far when open."""
    people = list(people)
    ids = [person.pk for person in people]
    if period.is_closed:
        frozen = {
            summary.user_id: summary
            for summary in AppraisalSummary.objects.filter(period=period, user_id__in=ids)
        }
        return [
            Summary(person, frozen[person.pk].figures, frozen[person.pk].frozen_at)
            for person in people
            if person.pk in frozen
        ]
    figures = figures_for(period=period, user_ids=ids, today=today)
    return [Summary(person, figures[person.pk]) for person in people]


def summary_of(
    *, period: AppraisalPeriod, person: User, today: datetime.date | None = None
) -> Summary | None:
    """`person`'s summary in `period`; None when the period closed without them."""
    found = summaries_for(period=period, people=[person], today=today)
    return found[0] if found else None
