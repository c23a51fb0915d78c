"""Points paid for the facts the other apps announce: once each, by the rules HR sets."""

import datetime
import logging

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from campaigns.models import Suggestion
from campaigns.signals import campaign_acknowledged, suggestion_accepted, suggestion_done
from lms.models import CompetenceRecord, Completion, EffectivenessCheck, ProficiencyLevel
from lms.services import competence as competence_service
from lms.services.progress import complete_module
from lms.signals import module_completed
from quizzes.signals import attempt_submitted
from recognition.models import PointsEntry
from recognition.services import points as points_service
from recognition.services.ledger import award_by_rule, week_start
from tests.campaigns.factories import acknowledge, deliver_to, make_campaign
from tests.factories import UserFactory
from tests.lms.factories_training import (
    make_assignment,
    make_competence,
    make_completion,
    make_module,
)
from tests.quizzes.factories import make_quiz, submitted_attempt
from tests.recognition.factories import rule

pytestmark = pytest.mark.django_db


def entries(user) -> list[tuple[int, str, str]]:
    return list(
        PointsEntry.objects.filter(user=user)
        .order_by("pk")
        .values_list("points", "category", "reason")
    )


# --- Modules


def completed(user, *, title="Spill response", on_time=True):
    module = make_module(title=title)
    completion = make_completion(user=user, module=module, on_time=on_time)
    return completion


def announce_completion(completion: Completion) -> None:
    module_completed.send(
        sender=Completion,
        completion_id=completion.pk,
        user_id=completion.user_id,
        module_id=completion.module_id,
        on_time=completion.on_time,
    )


def test_completing_a_module_on_time_pays_the_rule_and_its_bonus(
    employee, django_capture_on_commit_callbacks
):
    assignment = make_assignment(user=employee, module=make_module(title="Spill response"))

    with django_capture_on_commit_callbacks(execute=True):
        completion = complete_module(user=employee, module=assignment.module)

    assert entries(employee) == [(15, "module_completed", "Completed “Spill response” on time")]
    entry = PointsEntry.objects.get(user=employee)
    assert entry.source == completion
    assert entry.awarded_by is None and entry.rule.event == "module_completed"


def test_a_late_completion_pays_the_rule_without_the_bonus(employee):
    announce_completion(completed(employee, on_time=False))

    assert entries(employee) == [(10, "module_completed", "Completed “Spill response”")]


def test_the_same_completion_announced_twice_pays_once(employee):
    completion = completed(employee)

    announce_completion(completion)
    announce_completion(completion)

    assert len(entries(employee)) == 1


def test_an_inactive_rule_pays_nothing(employee):
    rule("module_completed", is_active=False)

    announce_completion(completed(employee))

    assert entries(employee) == []


def test_the_rule_as_hr_set_it_decides_the_points(employee):
    rule("module_completed", points=20, bonus_points=10)

    announce_completion(completed(employee))

    assert entries(employee)[0][0] == 30


# --- Quizzes


def announce_attempt(attempt):
    attempt_submitted.send(
        sender=type(attempt),
        attempt_id=attempt.pk,
        user_id=attempt.user_id,
        quiz_id=attempt.quiz_id,
        passed=attempt.passed,
        score_percent=attempt.score_percent,
        number=attempt.number,
    )


def test_passing_a_quiz_at_the_first_attempt_pays_the_bonus(employee):
    quiz = make_quiz(title="Hazard signs")

    announce_attempt(submitted_attempt(quiz=quiz, user=employee, number=1))

    assert entries(employee) == [(15, "quiz_passed", "Passed “Hazard signs” at the first attempt")]
    assert PointsEntry.objects.get(user=employee).source == quiz


def test_passing_after_failing_pays_without_the_bonus_and_a_fail_pays_nothing(employee):
    quiz = make_quiz(title="Hazard signs")

    announce_attempt(submitted_attempt(quiz=quiz, user=employee, number=1, passed=False))
    assert entries(employee) == []
    announce_attempt(submitted_attempt(quiz=quiz, user=employee, number=2))

    assert entries(employee) == [(10, "quiz_passed", "Passed “Hazard signs”")]


def test_retaking_a_passed_quiz_pays_nothing(employee):
    quiz = make_quiz()
    announce_attempt(submitted_attempt(quiz=quiz, user=employee, number=1))

    announce_attempt(submitted_attempt(quiz=quiz, user=employee, number=2))
    announce_attempt(submitted_attempt(quiz=quiz, user=employee, number=3))

    assert [points for points, _c, _r in entries(employee)] == [15]


# --- Campaigns and suggestions


def announce_acknowledgement(acknowledgement, *, on_time):
    campaign_acknowledged.send(
        sender=type(acknowledgement),
        acknowledgement_id=acknowledgement.pk,
        campaign_id=acknowledgement.campaign_id,
        user_id=acknowledgement.user_id,
        revision_id=acknowledgement.revision_id,
        on_time=on_time,
    )


def test_acknowledging_a_campaign_on_time_pays_and_late_pays_nothing(employee, manager):
    campaign = make_campaign(title="Our quality policy", needs_acknowledgement=True)
    deliver_to(campaign, [employee, manager])

    announce_acknowledgement(acknowledge(campaign, employee), on_time=True)
    announce_acknowledgement(acknowledge(campaign, manager), on_time=False)

    assert entries(employee) == [
        (5, "campaign_acknowledged", "Acknowledged “Our quality policy” on time")
    ]
    assert entries(manager) == []


def signed_suggestion(author, status=Suggestion.Status.ACCEPTED):
    return Suggestion.objects.create(
        category=Suggestion.Category.SAFETY,
        text="Fit a guard on the bench grinder.",
        author=author,
        status=status,
        owner=UserFactory(),
        action="Order and fit the guard.",
        submitted_on=datetime.date(2026, 3, 3),
    )


def test_a_signed_suggestion_accepted_pays_its_author_once_even_when_done_later(employee):
    suggestion = signed_suggestion(employee)

    suggestion_accepted.send(
        sender=Suggestion, suggestion_id=suggestion.pk, author_id=employee.pk, status="accepted"
    )
    suggestion_done.send(
        sender=Suggestion, suggestion_id=suggestion.pk, author_id=employee.pk, status="done"
    )

    assert entries(employee) == [
        (25, "suggestion_accepted", "Your suggestion of 3 March 2026 was accepted")
    ]


def test_an_anonymous_suggestion_accepted_pays_nobody():
    suggestion = signed_suggestion(None)

    suggestion_accepted.send(
        sender=Suggestion, suggestion_id=suggestion.pk, author_id=None, status="accepted"
    )

    assert not PointsEntry.objects.exists()


# --- Effectiveness checks


def due_check(person, manager, competence=None):
    record = CompetenceRecord.objects.create(
        user=person,
        competence=competence or make_competence(),
        level=ProficiencyLevel.COMPETENT,
        achieved_at=timezone.now(),
        source=CompetenceRecord.Source.ASSESSMENT,
    )
    return EffectivenessCheck.objects.create(
        record=record, manager=manager, due_on=timezone.localdate()
    )


def test_a_line_manager_answering_a_check_earns_points_and_hr_does_not(
    employee, manager, hr, django_capture_on_commit_callbacks
):
    spills = make_competence(name="Spill handling")
    first, second = due_check(employee, manager, spills), due_check(employee, manager, spills)

    with django_capture_on_commit_callbacks(execute=True):
        competence_service.answer_effectiveness_check(
            check=first, by=manager, outcome="confirmed", note=""
        )
        competence_service.answer_effectiveness_check(
            check=second, by=hr, outcome="confirmed", note=""
        )

    assert entries(manager) == [
        (
            5,
            "effectiveness_check",
            "Answered the effectiveness check on “Spill handling” for Team Member",
        )
    ]
    assert entries(hr) == []


def test_the_weekly_cap_cuts_the_entry_says_so_and_resets_the_next_week(employee, manager):
    rule("effectiveness_check", points=20, weekly_cap=50)
    monday = week_start(timezone.now())
    checks = [due_check(employee, manager) for _ in range(4)]

    paid = [
        award_by_rule(
            event="effectiveness_check",
            user_id=manager.pk,
            source=check,
            reason=f"Check {n}",
            at=monday + datetime.timedelta(hours=n),
        )
        for n, check in enumerate(checks[:3])
    ]
    next_week = award_by_rule(
        event="effectiveness_check",
        user_id=manager.pk,
        source=checks[3],
        reason="Check 3",
        at=monday + datetime.timedelta(days=7, hours=1),
    )

    assert [entry.points for entry in paid] == [20, 20, 10]
    assert paid[2].reason == "Check 2 (weekly cap of 50 reached)"
    assert next_week.points == 20


def test_a_failing_ledger_is_logged_and_does_not_break_the_sender(employee, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("ledger down")

    monkeypatch.setattr(points_service, "award_by_rule", broken)
    completion = completed(employee)

    with caplog.at_level(logging.ERROR, logger="recognition.services.points"):
        announce_completion(completion)

    assert "pay_module_completed failed" in caplog.text
    assert entries(employee) == []


# --- The nightly sweep


def test_the_sweep_pays_what_lost_signals_missed_and_nothing_twice(employee, manager):
    completion = completed(employee, title="Lockout")
    quiz = make_quiz(title="Lockout quiz")
    submitted_attempt(quiz=quiz, user=employee, number=1)
    submitted_attempt(quiz=quiz, user=employee, number=2)
    announce_completion(completed(employee, title="Already paid"))
    signed_suggestion(employee).events.create(
        from_status="under_review", to_status="accepted", on=timezone.localdate()
    )
    old = completed(employee, title="Long ago")
    Completion.objects.filter(pk=old.pk).update(
        completed_at=timezone.now() - datetime.timedelta(days=30)
    )

    written = points_service.pay_missed_points(days=7)
    again = points_service.pay_missed_points(days=7)

    assert (written, again) == (3, 0)
    reasons = {reason for _p, _c, reason in entries(employee)}
    assert reasons == {
        "Completed “Lockout” on time",
        "Completed “Already paid” on time",
        "Passed “Lockout quiz” at the first attempt",
        "Your suggestion of 3 March 2026 was accepted",
    }
    completion_type = ContentType.objects.get_for_model(Completion)
    assert PointsEntry.objects.filter(source_type=completion_type, source_id=completion.pk).exists()


def test_the_sweep_pays_acknowledgements_on_time_and_checks_answered_by_the_line_manager(
    employee, manager, hr
):
    campaign = make_campaign(title="Our quality policy", needs_acknowledgement=True)
    deliver_to(campaign, [employee, manager])
    acknowledge(campaign, employee, on_time=True)
    acknowledge(campaign, manager, on_time=False)
    answered = timezone.now() - datetime.timedelta(days=2)
    for by in (manager, hr):
        EffectivenessCheck.objects.filter(pk=due_check(employee, manager).pk).update(
            outcome=EffectivenessCheck.Outcome.CONFIRMED, answered_by=by, answered_at=answered
        )

    assert points_service.pay_missed_points(days=7) == 2

    assert [reason for _p, _c, reason in entries(employee)] == [
        "Acknowledged “Our quality policy” on time"
    ]
    assert [category for _p, category, _r in entries(manager)] == ["effectiveness_check"]
    assert entries(hr) == []


def test_the_sweep_dates_its_entries_now_unless_asked_to_backdate_them(employee, manager):
    two_weeks_ago = timezone.now() - datetime.timedelta(days=14)
    late = completed(employee, title="Late")
    Completion.objects.filter(pk=late.pk).update(completed_at=two_weeks_ago)
    before = timezone.now()

    points_service.pay_missed_points(days=30)
    history = completed(manager, title="History")
    Completion.objects.filter(pk=history.pk).update(completed_at=two_weeks_ago)
    points_service.pay_missed_points(days=30, backdate=True)

    assert PointsEntry.objects.get(user=employee).awarded_at >= before
    assert PointsEntry.objects.get(user=manager).awarded_at == two_weeks_ago
