"""The monthly payment to line managers whose whole team was on time."""

import datetime

import pytest
from django.utils import timezone

from recognition.models import PointsEntry, TeamMilestone
from recognition.periods import MONTH, Period
from recognition.services.points import pay_team_milestones
from recognition.tasks import pay_team_on_time
from tests.factories import UserFactory
from tests.lms.factories_training import make_assignment, make_completion, make_module

pytestmark = pytest.mark.django_db

OCTOBER = datetime.date(2026, 10, 1)
NOVEMBER_1ST = datetime.date(2026, 11, 1)


def done(user, *, due_on, on_time=True):
    assignment = make_assignment(user=user, module=make_module(), due_on=due_on)
    completion = make_completion(assignment=assignment)
    completion.on_time = on_time
    completion.save(update_fields=["on_time"])
    return completion


def test_a_manager_whose_team_was_all_on_time_is_paid_once_for_the_month(employee, manager):
    colleague = UserFactory(manager=manager)
    done(employee, due_on=datetime.date(2026, 10, 10))
    done(colleague, due_on=datetime.date(2026, 10, 20))

    first = pay_team_milestones(month=OCTOBER, today=NOVEMBER_1ST)
    second = pay_team_milestones(month=OCTOBER, today=NOVEMBER_1ST)

    assert (first, second) == (1, 0)
    milestone = TeamMilestone.objects.get(manager=manager)
    assert (milestone.month, milestone.assignments_due, milestone.people) == (OCTOBER, 2, 2)
    entry = PointsEntry.objects.get(user=manager)
    assert (entry.points, entry.reason, entry.source) == (
        50,
        "Whole team on time in October 2026",
        milestone,
    )


def test_one_late_completion_in_the_team_pays_the_manager_nothing(employee, manager):
    done(employee, due_on=datetime.date(2026, 10, 10))
    done(UserFactory(manager=manager), due_on=datetime.date(2026, 10, 20), on_time=False)

    assert pay_team_milestones(month=OCTOBER, today=NOVEMBER_1ST) == 0
    assert not TeamMilestone.objects.exists()
    assert not PointsEntry.objects.exists()


def test_a_month_not_over_is_refused(employee, manager):
    with pytest.raises(ValueError, match="October 2026 is not over"):
        pay_team_milestones(month=OCTOBER, today=datetime.date(2026, 10, 31))


def test_the_task_pays_the_month_just_ended(employee, manager):
    last_month = Period.containing(MONTH, timezone.localdate()).previous().first_day
    done(employee, due_on=last_month + datetime.timedelta(days=3))

    assert pay_team_on_time.delay().get() == 1
    assert pay_team_on_time.delay(last_month.isoformat()).get() == 0
    assert TeamMilestone.objects.get(manager=manager).month == last_month
