"""How well each line manager's team completes its mandatory training on time."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lms.models import Assignment

# How many assignments fell due, and how many of them were completed by their due date.
DUE_AND_ON_TIME = {"due": Count("pk"), "on_time": Count("pk", filter=Q(completion__on_time=True))}


def mandatory_assignments_due(*, start: datetime.date, end: datetime.date) -> QuerySet[Assignment]:
    """The mandatory assignments, not withdrawn, that fell due between `start` and `end`, both
    included."""
    return (
        Assignment.objects.filter(mandatory=True, due_on__gte=start, due_on__lte=end)
        .exclude(status=Assignment.Status.WITHDRAWN)
        .order_by()
    )


@dataclass(frozen=True)
class TeamOnTime:
    manager_id: int
    people: int
    due: int
    on_time: int

    @property
    def rate(self) -> float:
        return self.on_time / self.due if self.due else 0.0

    @property
    def all_on_time(self) -> bool:
        return self.due > 0 and self.on_time == self.due


def team_on_time_rates(
    *,
    start: datetime.date,
    end: datetime.date,
    manager_ids: list[int] | None = None,
    today: datetime.date | None = None,
) -> dict[int, TeamOnTime]:
    """For each line manager, the mandatory assignments of their active direct reports that
    fell due between `start` and `end` (both included, and no later than `today`), and how many
    of them were completed by their due date. Withdrawn assignments do not count; one still
    open past its due date counts as late. One query."""
    last_day = min(end, today or timezone.localdate())
    assignments = mandatory_assignments_due(start=start, end=last_day).filter(
        user__is_active=True, user__manager__isnull=False
    )
    if manager_ids is not None:
        assignments = assignments.filter(user__manager_id__in=manager_ids)
    rows = assignments.values("user__manager_id").annotate(
        people=Count("user", distinct=True), **DUE_AND_ON_TIME
    )
    return {
        row["user__manager_id"]: TeamOnTime(
            manager_id=row["user__manager_id"],
            people=row["people"],
            due=row["due"],
            on_time=row["on_time"],
        )
        for row in rows
    }
