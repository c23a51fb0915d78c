"""Competence records are append-only evidence, written once per completion by themselves."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from lms import tasks
from lms.models import (
    AppendOnly,
    CompetenceRecord,
    EffectivenessCheck,
    Notification,
    ProficiencyLevel,
)
from lms.services import competence as service
from lms.services.progress import complete_module
from quizzes.models import Attempt
from tests.lms.factories_training import (
    make_assignment,
    make_competence,
    make_completion,
    make_module,
)
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db
Source = CompetenceRecord.Source


def at(year, month, day, hour=10, minute=30):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def passed_attempt(*, user, quiz, submitted_at, number=1, passed=True, status=None):
    return Attempt.objects.create(
        quiz=quiz,
        user=user,
        number=number,
        status=status or Attempt.Status.SUBMITTED,
        paper={"questions": []},
        started_at=submitted_at - datetime.timedelta(minutes=10),
        submitted_at=submitted_at,
        score_percent=Decimal("90.00") if passed else Decimal("40.00"),
        passed=passed,
        pass_mark_percent=80,
    )


# --- Append-only


def test_an_existing_record_cannot_be_saved_again(employee):
    record = CompetenceRecord.objects.create(
        user=employee,
        competence=make_competence(),
        level=ProficiencyLevel.COMPETENT,
        source=Source.ASSESSMENT,
    )
    record.level = ProficiencyLevel.CAN_TRAIN_OTHERS
    with pytest.raises(AppendOnly):
        record.save()
    record.refresh_from_db()
    assert record.level == ProficiencyLevel.COMPETENT


def test_a_record_cannot_be_deleted(employee):
    record = CompetenceRecord.objects.create(
        user=employee,
        competence=make_competence(),
        level=ProficiencyLevel.COMPETENT,
        source=Source.ASSESSMENT,
    )
    with pytest.raises(AppendOnly):
        record.delete()
    assert CompetenceRecord.objects.filter(pk=record.pk).exists()


def test_revoking_writes_a_new_record_and_leaves_the_old_one_as_it_was(employee, hr):
    record = CompetenceRecord.objects.create(
        user=employee,
        competence=make_competence(),
        level=ProficiencyLevel.COMPETENT,
        source=Source.ASSESSMENT,
    )
    revocation = service.revoke_record(record=record, by=hr, reason="Observed unsafe practice.")

    assert revocation.pk != record.pk
    assert revocation.kind == CompetenceRecord.Kind.REVOKED
    assert revocation.level == ProficiencyLevel.NOT_YET_COMPETENT
    assert revocation.supersedes == record
    assert revocation.recorded_by == hr
    assert revocation.reason == "Observed unsafe practice."
    record.refresh_from_db()
    assert record.kind == CompetenceRecord.Kind.AWARDED
    assert record.level == ProficiencyLevel.COMPETENT


# --- From completions


def test_a_completion_records_each_competence_of_its_module_once(employee):
    first, second = make_competence(name="Document control"), make_competence(name="Auditing")
    module = make_module(competences=[first, second], competence_level=ProficiencyLevel.COMPETENT)
    completion = make_completion(user=employee, module=module)

    records = service.record_from_completion(completion=completion)
    again = service.record_from_completion(completion=completion)

    assert CompetenceRecord.objects.filter(completion=completion).count() == 2
    assert {r.pk for r in again} == {r.pk for r in records}
    record = CompetenceRecord.objects.get(competence=first)
    assert record.source == Source.MODULE_COMPLETION
    assert record.revision_id == completion.revision_id is not None
    assert record.level == ProficiencyLevel.COMPETENT
    assert record.achieved_at == completion.completed_at
    assert record.attempt is None
    assert record.recorded_by is None
    notes = Notification.objects.filter(user=employee, kind="competence_recorded")
    assert notes.count() == 1
    assert "Auditing" in notes.get().message and "Document control" in notes.get().message


def test_a_module_without_competences_records_nothing(employee):
    completion = make_completion(user=employee, module=make_module())
    assert service.record_from_completion(completion=completion) == []
    assert not CompetenceRecord.objects.exists()


def test_the_level_recorded_is_the_modules_competence_level(employee):
    module = make_module(
        competences=[make_competence()], competence_level=ProficiencyLevel.UNDER_SUPERVISION
    )
    [record] = service.record_from_completion(
        completion=make_completion(user=employee, module=module)
    )
    assert record.level == ProficiencyLevel.UNDER_SUPERVISION


def test_a_module_with_a_quiz_records_the_latest_attempt_passed_before_completing(employee):
    quiz = make_quiz()
    module = make_module(competences=[make_competence()], quiz=quiz)
    completed_at = timezone.now()
    passed_attempt(user=employee, quiz=quiz, submitted_at=completed_at - datetime.timedelta(2))
    latest = passed_attempt(
        user=employee, quiz=quiz, submitted_at=completed_at - datetime.timedelta(1), number=2
    )
    passed_attempt(
        user=employee,
        quiz=quiz,
        submitted_at=completed_at - datetime.timedelta(hours=1),
        number=3,
        passed=False,
    )
    # Submitted after completion: not what the completion rests on.
    passed_attempt(
        user=employee, quiz=quiz, submitted_at=completed_at + datetime.timedelta(1), number=4
    )
    completion = make_completion(user=employee, module=module, completed_at=completed_at)

    [record] = service.record_from_completion(completion=completion)

    assert record.source == Source.QUIZ_ATTEMPT
    assert record.attempt == latest
    assert record.completion == completion


def test_a_quiz_module_without_a_passed_attempt_records_the_completion(employee, manager):
    quiz = make_quiz()
    module = make_module(competences=[make_competence()], quiz=quiz)
    passed_attempt(user=manager, quiz=quiz, submitted_at=timezone.now())  # someone else's
    [record] = service.record_from_completion(
        completion=make_completion(user=employee, module=module)
    )
    assert record.source == Source.MODULE_COMPLETION
    assert record.attempt is None


def test_an_attempt_already_evidenced_is_not_used_twice(employee):
    quiz = make_quiz()
    competence = make_competence()
    module = make_module(competences=[competence], quiz=quiz)
    passed_attempt(user=employee, quiz=quiz, submitted_at=timezone.now() - datetime.timedelta(1))
    first = make_completion(user=employee, module=module, assignment=None)
    service.record_from_completion(completion=first)
    second = make_completion(assignment=make_assignment(user=employee, module=module))
    [record] = service.record_from_completion(completion=second)

    assert record.source == Source.MODULE_COMPLETION
    assert CompetenceRecord.objects.filter(user=employee).count() == 2


# --- Expiry


@pytest.mark.parametrize(
    ("achieved", "months", "expires"),
    [
        (at(2024, 3, 12), 12, at(2025, 3, 12)),
        (at(2024, 1, 31), 1, at(2024, 2, 29)),
        (at(2023, 1, 31), 1, at(2023, 2, 28)),
        (at(2024, 11, 30, 23, 15), 3, at(2025, 2, 28, 23, 15)),
    ],
)
def test_a_record_expires_its_competences_validity_later_at_the_same_time(
    achieved, months, expires
):
    competence = make_competence(validity_months=months)
    assert service.expiry_of(competence=competence, achieved_at=achieved) == expires


def test_a_competence_without_validity_never_expires(employee):
    module = make_module(competences=[make_competence(validity_months=None)])
    [record] = service.record_from_completion(
        completion=make_completion(user=employee, module=module)
    )
    assert record.expires_at is None


def test_a_completion_record_expires_validity_months_after_completion(employee):
    module = make_module(competences=[make_competence(validity_months=24)])
    completion = make_completion(user=employee, module=module, completed_at=at(2024, 5, 6))
    [record] = service.record_from_completion(completion=completion)
    assert record.expires_at == at(2026, 5, 6)


# --- Effectiveness checks written with the record


def test_a_competence_asking_for_a_check_gets_one_for_the_line_manager(employee, manager):
    module = make_module(competences=[make_competence(effectiveness_check_days=90)])
    completion = make_completion(user=employee, module=module, completed_at=at(2024, 1, 10))
    [record] = service.record_from_completion(completion=completion)

    check = EffectivenessCheck.objects.get(record=record)
    assert check.manager == manager
    assert check.due_on == datetime.date(2024, 4, 9)
    assert check.outcome == EffectivenessCheck.Outcome.PENDING
    assert check.requested_at is None


def test_a_competence_without_a_check_gets_none(employee):
    module = make_module(competences=[make_competence(effectiveness_check_days=None)])
    service.record_from_completion(completion=make_completion(user=employee, module=module))
    assert not EffectivenessCheck.objects.exists()


# --- Recorded by themselves


def test_completing_a_module_records_its_competences_once_it_commits(
    employee, django_capture_on_commit_callbacks
):
    competence = make_competence()
    module = make_module(competences=[competence])
    with django_capture_on_commit_callbacks(execute=True):
        completion = complete_module(user=employee, module=module)
    assert CompetenceRecord.objects.get(user=employee).completion == completion


def test_the_task_for_a_completion_is_safe_to_run_twice(employee):
    module = make_module(competences=[make_competence()])
    completion = make_completion(user=employee, module=module)
    assert tasks.record_competences_for_completion(completion.pk) == 1
    assert tasks.record_competences_for_completion(completion.pk) == 1
    assert CompetenceRecord.objects.count() == 1
    assert tasks.record_competences_for_completion(10**9) == 0


def test_the_sweep_records_completions_whose_task_was_lost(employee, manager):
    module = make_module(competences=[make_competence(), make_competence()])
    lost = make_completion(user=employee, module=module)
    done = make_completion(user=manager, module=module)
    service.record_from_completion(completion=done)
    old = make_completion(
        user=employee,
        module=make_module(competences=[make_competence()]),
        completed_at=timezone.now() - datetime.timedelta(days=service.SWEEP_DAYS + 1),
    )

    assert service.record_missing_competences() == 2
    assert service.record_missing_competences() == 0
    assert CompetenceRecord.objects.filter(completion=lost).count() == 2
    assert not CompetenceRecord.objects.filter(completion=old).exists()
