"""Each badge criterion awards at its edge and not just short of it."""

import datetime

import pytest
from django.utils import timezone

from campaigns.models import Suggestion
from lms.models import (
    Assignment,
    CompetenceRecord,
    CompetenceRequirement,
    ProficiencyLevel,
)
from recognition.models import BadgeAward, BadgeCriterion, PointsEntry
from recognition.services.badges import evaluate_badges
from tests.factories import UserFactory
from tests.lms.factories_training import make_assignment, make_competence, make_completion
from tests.recognition.factories import BadgeFactory, KudosFactory

pytestmark = pytest.mark.django_db

# Mid-November: the last complete quarter is July to September 2026.
TODAY = datetime.date(2026, 11, 18)
IN_Q3 = datetime.date(2026, 8, 14)


def awarded(person, badge) -> bool:
    return BadgeAward.objects.filter(user=person, badge=badge).exists()


# --- All mandatory training on time in the last quarter


@pytest.fixture
def on_time_badge(db):
    return BadgeFactory(criterion=BadgeCriterion.MANDATORY_ON_TIME_QUARTER, threshold=1)


def _done(person, *, due_on, late=False, mandatory=True):
    assignment = make_assignment(user=person, due_on=due_on, mandatory=mandatory)
    completed = datetime.datetime.combine(due_on, datetime.time(12))
    if late:
        completed += datetime.timedelta(days=1)
    make_completion(assignment=assignment, completed_at=timezone.make_aware(completed))
    return assignment


def test_every_mandatory_assignment_of_the_quarter_on_time_earns_the_badge(employee, on_time_badge):
    _done(employee, due_on=datetime.date(2026, 7, 1))
    _done(employee, due_on=datetime.date(2026, 9, 30))

    [award] = evaluate_badges(user_id=employee.pk, today=TODAY)

    assert award.badge == on_time_badge
    assert "all 2 mandatory training assignments due in Q3 2026" in award.evidence_narrative
    assert award.evidence_path == "/learning/"


def test_one_late_assignment_of_the_quarter_earns_nothing(employee, on_time_badge):
    _done(employee, due_on=datetime.date(2026, 7, 1))
    _done(employee, due_on=IN_Q3, late=True)

    assert evaluate_badges(user_id=employee.pk, today=TODAY) == []


def test_an_assignment_still_open_past_its_date_in_the_quarter_earns_nothing(
    employee, on_time_badge
):
    _done(employee, due_on=datetime.date(2026, 7, 1))
    make_assignment(user=employee, due_on=IN_Q3)

    assert evaluate_badges(user_id=employee.pk, today=TODAY) == []


def test_a_quarter_without_mandatory_training_due_earns_nothing(employee, on_time_badge):
    _done(employee, due_on=IN_Q3, mandatory=False)
    _done(employee, due_on=datetime.date(2026, 10, 1))  # the current quarter

    assert evaluate_badges(user_id=employee.pk, today=TODAY) == []


def test_a_withdrawn_assignment_does_not_count_against_the_quarter(employee, on_time_badge):
    _done(employee, due_on=IN_Q3)
    make_assignment(user=employee, due_on=IN_Q3, status=Assignment.Status.WITHDRAWN)

    assert len(evaluate_badges(user_id=employee.pk, today=TODAY)) == 1


# --- Suggestions accepted


def _suggestion(author, status, *, owner=None):
    fields = {}
    if status in (Suggestion.Status.ACCEPTED, Suggestion.Status.DONE):
        fields = {"owner": owner or author, "action": "Relabel the bins."}
    if status == Suggestion.Status.DECLINED:
        fields = {"decline_reason": "Done already."}
    return Suggestion.objects.create(
        category=Suggestion.Category.QUALITY,
        text="Label the bins.",
        author=author,
        status=status,
        **fields,
    )


def test_the_threshold_of_accepted_or_done_suggestions_earns_the_badge(employee):
    badge = BadgeFactory(criterion=BadgeCriterion.SUGGESTIONS_ACCEPTED, threshold=2)
    _suggestion(employee, Suggestion.Status.ACCEPTED)
    _suggestion(employee, Suggestion.Status.DECLINED)
    _suggestion(employee, Suggestion.Status.NEW)
    _suggestion(None, Suggestion.Status.ACCEPTED, owner=employee)  # anonymous: nobody's

    assert evaluate_badges(user_id=employee.pk) == []

    _suggestion(employee, Suggestion.Status.DONE)
    [award] = evaluate_badges(user_id=employee.pk)
    assert award.badge == badge
    assert award.evidence_narrative == "2 signed suggestions accepted or carried out."
    assert award.evidence_path == "/suggestions/mine/"


# --- Every competence of the role


def _record(person, competence, *, level=ProficiencyLevel.COMPETENT, **fields):
    return CompetenceRecord.objects.create(
        user=person,
        competence=competence,
        level=level,
        source=CompetenceRecord.Source.ASSESSMENT,
        recorded_at=timezone.now() - datetime.timedelta(days=2),
        **fields,
    )


@pytest.fixture
def role_requirements(employee):
    first, second = make_competence(), make_competence()
    for competence in (first, second):
        CompetenceRequirement.objects.create(
            competence=competence, job_role=employee.job_role, min_level=ProficiencyLevel.COMPETENT
        )
    return first, second


def test_every_competence_of_the_role_held_at_its_level_earns_the_badge(
    employee, role_requirements
):
    badge = BadgeFactory(criterion=BadgeCriterion.ROLE_COMPETENCES_HELD)
    first, second = role_requirements
    _record(employee, first)
    _record(employee, second, level=ProficiencyLevel.UNDER_SUPERVISION)

    assert evaluate_badges(user_id=employee.pk) == []

    _record(employee, second, level=ProficiencyLevel.CAN_TRAIN_OTHERS)
    [award] = evaluate_badges(user_id=employee.pk)
    assert award.badge == badge
    assert award.evidence_path == "/learning/competences/"


def test_an_expired_competence_of_the_role_earns_nothing(employee, role_requirements):
    BadgeFactory(criterion=BadgeCriterion.ROLE_COMPETENCES_HELD)
    first, second = role_requirements
    _record(employee, first)
    _record(employee, second, expires_at=timezone.now() - datetime.timedelta(minutes=1))

    assert evaluate_badges(user_id=employee.pk) == []


def test_a_role_that_requires_nothing_earns_nothing(employee):
    BadgeFactory(criterion=BadgeCriterion.ROLE_COMPETENCES_HELD)

    assert evaluate_badges(user_id=employee.pk) == []


# --- Whole team compliant


@pytest.fixture
def team_badge(db):
    return BadgeFactory(criterion=BadgeCriterion.TEAM_COMPLIANT)


def test_a_team_with_nothing_overdue_and_every_competence_held_earns_its_manager_the_badge(
    manager, employee, team_badge
):
    make_assignment(user=employee, due_on=timezone.localdate())  # due today: not overdue

    [award] = evaluate_badges(user_id=manager.pk)

    assert award.badge == team_badge
    assert "All 1 direct reports" in award.evidence_narrative


def test_one_overdue_mandatory_assignment_in_the_team_earns_nothing(manager, employee, team_badge):
    make_assignment(user=employee, due_on=timezone.localdate() - datetime.timedelta(days=1))

    assert evaluate_badges(user_id=manager.pk) == []


def test_an_overdue_assignment_that_is_only_advised_does_not_count(manager, employee, team_badge):
    make_assignment(
        user=employee, due_on=timezone.localdate() - datetime.timedelta(days=1), mandatory=False
    )

    assert len(evaluate_badges(user_id=manager.pk)) == 1


def test_a_report_lacking_a_required_competence_earns_nothing(manager, employee, team_badge):
    CompetenceRequirement.objects.create(
        competence=make_competence(), job_role=employee.job_role, min_level=1
    )

    assert evaluate_badges(user_id=manager.pk) == []


def test_someone_without_reports_earns_no_team_badge(employee, team_badge):
    assert evaluate_badges(user_id=employee.pk) == []


def test_a_report_who_left_does_not_count_against_the_team(manager, employee, team_badge):
    gone = UserFactory(manager=manager, is_active=False)
    make_assignment(user=gone, due_on=timezone.localdate() - datetime.timedelta(days=3))

    assert len(evaluate_badges(user_id=manager.pk)) == 1


# --- Kudos received and points in the quarter


def test_the_threshold_of_kudos_received_earns_the_badge(employee, outsider):
    badge = BadgeFactory(criterion=BadgeCriterion.KUDOS_RECEIVED, threshold=2)
    KudosFactory(receiver=employee, sender=outsider)
    KudosFactory(receiver=outsider, sender=employee)  # sent, not received

    assert evaluate_badges(user_id=employee.pk) == []

    KudosFactory(receiver=employee, sender=outsider)
    [award] = evaluate_badges(user_id=employee.pk)
    assert award.badge == badge
    assert award.evidence_narrative == "Received 2 kudos from colleagues."


def _points(person, points, *, at, by):
    return PointsEntry.objects.create(
        user=person,
        points=points,
        category="adjustment",
        reason="Test",
        awarded_by=by,
        awarded_at=at,
    )


def test_the_threshold_of_points_in_the_current_quarter_earns_the_badge(employee, hr):
    badge = BadgeFactory(criterion=BadgeCriterion.POINTS_IN_QUARTER, threshold=50)
    start_of_quarter = timezone.make_aware(datetime.datetime(2026, 10, 1))
    _points(employee, 100, at=start_of_quarter - datetime.timedelta(seconds=1), by=hr)
    _points(employee, 49, at=start_of_quarter, by=hr)

    assert evaluate_badges(user_id=employee.pk, today=TODAY) == []

    _points(employee, 1, at=start_of_quarter + datetime.timedelta(days=30), by=hr)
    [award] = evaluate_badges(user_id=employee.pk, today=TODAY)
    assert award.badge == badge
    assert award.evidence_narrative == "Earned 50 points in Q4 2026."


def test_a_correction_counts_against_the_points_of_the_quarter(employee, hr):
    BadgeFactory(criterion=BadgeCriterion.POINTS_IN_QUARTER, threshold=50)
    at = timezone.make_aware(datetime.datetime(2026, 11, 2))
    _points(employee, 60, at=at, by=hr)
    _points(employee, -20, at=at, by=hr)

    assert evaluate_badges(user_id=employee.pk, today=TODAY) == []
