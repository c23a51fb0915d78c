"""Recognition's background work: thin tasks that take ids and call a service."""

import datetime

from celery import shared_task
from django.utils import timezone

from lms.tasks import RETRY
from recognition.periods import MONTH, Period
from recognition.services import points


@shared_task(**RETRY)
def pay_team_on_time(month: str | None = None) -> int:
    """The month just ended (or `month`, an ISO date in it): managers whose whole team was on
    time. Safe to re-run: the milestone and its entry are written once."""
    if month:
        day = datetime.date.fromisoformat(month)
    else:
        day = Period.containing(MONTH, timezone.localdate()).previous().first_day
    return points.pay_team_milestones(month=day)


@shared_task(**RETRY)
def pay_missed_points() -> int:
    # Safe to retry: only facts with no entry yet are paid.
    return points.pay_missed_points()


@shared_task(**RETRY)
def evaluate_badges_for_person(user_id: int, with_manager: bool = False) -> int:
    """Award `user_id` (and their line manager, when asked) the badges they have just earned.
    Safe to re-run: a badge held is not awarded again."""
    from recognition.services.badges import evaluate_badges, evaluate_badges_with_manager

    if with_manager:
        return len(evaluate_badges_with_manager(user_id=user_id))
    return len(evaluate_badges(user_id=user_id))


@shared_task(**RETRY)
def evaluate_badges_for_everyone() -> int:
    # Nightly: the criteria that change with time alone, and events whose task was lost.
    from recognition.services.badges import evaluate_everyone

    return len(evaluate_everyone())
