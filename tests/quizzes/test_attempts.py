from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from quizzes.models import Answer, Attempt, ExtraAttempt
from quizzes.selectors import quiz_state
from quizzes.services.attempts import (
    NoAttemptsLeft,
    Round,
    StaleForm,
    attempts_allowed,
    attempts_used,
    expire_overdue_attempts,
    grant_extra_attempt,
    latest_attempt,
    open_attempt,
    passed_attempt,
    start_attempt,
    submit_attempt,
)
from quizzes.signals import attempt_submitted
from tests.quizzes.factories import all_right, all_wrong, make_quiz, question

pytestmark = pytest.mark.django_db


def _fail(quiz, user):
    attempt = start_attempt(quiz=quiz, user=user)
    return submit_attempt(attempt=attempt, answers=all_wrong(attempt))


def _pass(quiz, user):
    attempt = start_attempt(quiz=quiz, user=user)
    return submit_attempt(attempt=attempt, answers=all_right(attempt))


def _overdue(attempt, seconds_past=60):
    """Move an attempt's start and deadline into the past, as if its time ran out."""
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=now - timedelta(minutes=10, seconds=seconds_past),
        deadline=now - timedelta(seconds=seconds_past),
    )
    attempt.refresh_from_db()
    return attempt


class Signals:
    def __init__(self):
        self.sent = []

    def __call__(self, sender, **kwargs):
        self.sent.append(kwargs)


@pytest.fixture
def signals():
    receiver = Signals()
    attempt_submitted.connect(receiver)
    yield receiver
    attempt_submitted.disconnect(receiver)


def test_starting_records_the_revision_pass_mark_number_and_return_address(employee):
    quiz = make_quiz(pass_mark_percent=70, time_limit_minutes=20)
    revision = quiz.save_revision()
    attempt = start_attempt(quiz=quiz, user=employee, return_url="/modules/forklift/")
    assert attempt.number == 1
    assert attempt.revision == revision
    assert attempt.pass_mark_percent == 70
    assert attempt.return_url == "/modules/forklift/"
    assert attempt.deadline == attempt.started_at + timedelta(minutes=20)


def test_a_quiz_made_in_code_without_revisions_starts_with_none(employee):
    attempt = start_attempt(quiz=make_quiz(), user=employee)
    assert attempt.revision is None
    assert attempt.deadline is None


def test_starting_again_while_an_attempt_is_open_returns_that_attempt(employee):
    quiz = make_quiz()
    first = start_attempt(quiz=quiz, user=employee)
    assert start_attempt(quiz=quiz, user=employee) == first
    assert Attempt.objects.count() == 1


def test_the_attempt_limit_stops_a_further_start(employee):
    quiz = make_quiz(max_attempts=2)
    _fail(quiz, employee)
    _fail(quiz, employee)
    with pytest.raises(NoAttemptsLeft, match="You have used all 2 attempts"):
        start_attempt(quiz=quiz, user=employee)
    assert attempts_used(quiz=quiz, user=employee) == 2
    assert attempts_allowed(quiz=quiz, user=employee) == 2


def test_unlimited_attempts_never_run_out(employee):
    quiz = make_quiz(max_attempts=None)
    for _ in range(4):
        _fail(quiz, employee)
    assert attempts_allowed(quiz=quiz, user=employee) is None
    assert start_attempt(quiz=quiz, user=employee).number == 5


def test_an_extra_attempt_allows_exactly_one_more(employee, manager):
    quiz = make_quiz(max_attempts=1)
    _fail(quiz, employee)
    grant = grant_extra_attempt(quiz=quiz, user=employee, granted_by=manager, reason="Retrained")
    assert grant.granted_by == manager and grant.reason == "Retrained"
    assert attempts_allowed(quiz=quiz, user=employee) == 2
    assert _fail(quiz, employee).number == 2
    with pytest.raises(NoAttemptsLeft):
        start_attempt(quiz=quiz, user=employee)


def test_an_extra_attempt_is_refused_while_attempts_are_left(employee, manager):
    quiz = make_quiz(max_attempts=2)
    _fail(quiz, employee)
    with pytest.raises(ValueError, match="still has 1 attempt left"):
        grant_extra_attempt(quiz=quiz, user=employee, granted_by=manager)
    assert not ExtraAttempt.objects.exists()


def test_a_second_extra_attempt_is_refused_while_the_first_is_unused(employee, manager):
    quiz = make_quiz(max_attempts=1)
    _fail(quiz, employee)
    grant_extra_attempt(quiz=quiz, user=employee, granted_by=manager)
    with pytest.raises(ValueError, match="already has an extra attempt"):
        grant_extra_attempt(quiz=quiz, user=employee, granted_by=manager)
    assert ExtraAttempt.objects.count() == 1


def test_an_extra_attempt_is_refused_after_a_pass_and_for_unlimited_quizzes(employee, manager):
    quiz = make_quiz(max_attempts=1)
    _pass(quiz, employee)
    with pytest.raises(ValueError, match="has passed"):
        grant_extra_attempt(quiz=quiz, user=employee, granted_by=manager)
    with pytest.raises(ValueError, match="unlimited"):
        grant_extra_attempt(quiz=make_quiz(max_attempts=None), user=employee, granted_by=manager)
    assert not ExtraAttempt.objects.exists()


def test_a_pass_starts_a_fresh_round_of_attempts_for_a_refresher(employee):
    quiz = make_quiz(max_attempts=2)
    _fail(quiz, employee)
    passed = _pass(quiz, employee)
    assert attempts_used(quiz=quiz, user=employee) == 0
    _fail(quiz, employee)
    state = quiz_state(quiz=quiz, user=employee)
    assert (state.used, state.allowed, state.left) == (1, 2, 1)
    assert state.passed == passed
    assert start_attempt(quiz=quiz, user=employee).number == 4


def test_passed_and_latest_attempt(employee):
    quiz = make_quiz()
    before = timezone.now()
    passed = _pass(quiz, employee)
    failed = _fail(quiz, employee)
    assert passed_attempt(quiz=quiz, user=employee) == passed
    assert passed_attempt(quiz=quiz, user=employee, since=before) == passed
    assert passed_attempt(quiz=quiz, user=employee, since=timezone.now()) is None
    assert latest_attempt(quiz=quiz, user=employee) == failed


def test_a_second_submit_returns_the_same_result_and_records_one_set_of_answers(employee):
    quiz = make_quiz()
    attempt = start_attempt(quiz=quiz, user=employee)
    first = submit_attempt(attempt=attempt, answers=all_right(attempt))
    second = submit_attempt(attempt=attempt, answers=all_wrong(attempt))
    assert (second.pk, second.score_percent, second.passed, second.submitted_at) == (
        first.pk,
        Decimal("100.00"),
        True,
        first.submitted_at,
    )
    assert Answer.objects.filter(attempt=attempt).count() == 3


@pytest.mark.parametrize(
    "tamper",
    [
        lambda attempt: {"not-a-question": []},
        lambda attempt: {question(attempt, 0)["key"]: ["not-a-choice"]},
        # Two choices for a single-choice question
        lambda attempt: {
            question(attempt, 0)["key"]: [c["key"] for c in question(attempt, 0)["choices"]]
        },
        lambda attempt: {question(attempt, 2)["key"]: ["true", "false"]},
    ],
)
def test_a_stale_or_tampered_form_records_nothing(employee, tamper, signals):
    attempt = start_attempt(quiz=make_quiz(), user=employee)
    with pytest.raises(StaleForm, match="This form is out of date"):
        submit_attempt(attempt=attempt, answers=tamper(attempt))
    attempt.refresh_from_db()
    assert attempt.status == "started"
    assert attempt.score_percent is None
    assert not Answer.objects.exists()
    assert signals.sent == []


def test_a_submission_within_the_grace_after_the_deadline_still_counts(employee, settings):
    settings.LMS_QUIZ_GRACE_SECONDS = 120
    attempt = _overdue(start_attempt(quiz=make_quiz(time_limit_minutes=10), user=employee), 60)
    attempt = submit_attempt(attempt=attempt, answers=all_right(attempt))
    assert attempt.status == "submitted" and attempt.passed


def test_a_submission_after_the_deadline_and_grace_expires_the_attempt(employee, settings):
    settings.LMS_QUIZ_GRACE_SECONDS = 15
    attempt = _overdue(start_attempt(quiz=make_quiz(time_limit_minutes=10), user=employee), 60)
    attempt = submit_attempt(attempt=attempt, answers=all_right(attempt))
    assert attempt.status == "expired"
    assert attempt.score_percent == 0
    assert attempt.passed is False
    assert not Answer.objects.exists()


def test_an_overdue_open_attempt_is_expired_before_a_new_one_starts(employee):
    quiz = make_quiz(time_limit_minutes=10, max_attempts=3)
    overdue = _overdue(start_attempt(quiz=quiz, user=employee))
    assert open_attempt(quiz=quiz, user=employee) is None
    overdue.refresh_from_db()
    assert overdue.status == "expired"
    assert start_attempt(quiz=quiz, user=employee).number == 2


def test_the_sweep_expires_only_attempts_past_their_deadline_and_grace(employee, manager, hr):
    quiz = make_quiz(time_limit_minutes=10)
    late = _overdue(start_attempt(quiz=quiz, user=employee))
    in_time = start_attempt(quiz=quiz, user=manager)
    untimed = start_attempt(quiz=make_quiz(), user=hr)
    assert expire_overdue_attempts() == 1
    assert expire_overdue_attempts() == 0
    statuses = dict(Attempt.objects.values_list("pk", "status"))
    assert statuses == {late.pk: "expired", in_time.pk: "started", untimed.pk: "started"}
    assert Attempt.objects.get(pk=late.pk).score_percent == 0


def test_the_signal_is_sent_once_on_commit_for_a_submission(
    employee, signals, django_capture_on_commit_callbacks
):
    attempt = start_attempt(quiz=make_quiz(), user=employee)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit_attempt(attempt=attempt, answers=all_right(attempt))
        submit_attempt(attempt=attempt, answers=all_right(attempt))
    assert signals.sent == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert signals.sent == [
        {
            "signal": attempt_submitted,
            "attempt_id": attempt.pk,
            "user_id": employee.pk,
            "quiz_id": attempt.quiz_id,
            "passed": True,
            "score_percent": Decimal("100.00"),
            "number": 1,
        }
    ]


def test_the_signal_is_sent_once_for_an_expired_attempt_saying_not_passed(
    employee, signals, django_capture_on_commit_callbacks
):
    attempt = _overdue(start_attempt(quiz=make_quiz(time_limit_minutes=5), user=employee))
    with django_capture_on_commit_callbacks(execute=True):
        expire_overdue_attempts()
        submit_attempt(attempt=attempt, answers=all_right(attempt))
    assert [(s["attempt_id"], s["passed"], s["score_percent"]) for s in signals.sent] == [
        (attempt.pk, False, Decimal(0))
    ]


def test_no_signal_when_the_transaction_rolls_back(employee, signals):
    from django.db import transaction

    attempt = start_attempt(quiz=make_quiz(), user=employee)
    with pytest.raises(RuntimeError), transaction.atomic():
        submit_attempt(attempt=attempt, answers=all_right(attempt))
        raise RuntimeError("rolled back")
    assert signals.sent == []
    attempt.refresh_from_db()
    assert attempt.status == "started"


def _stale_once(monkeypatch, name, stale_value):
    """Make `name` in the service answer as it would have a moment before a concurrent request
    wrote: the first call only."""
    from quizzes.services import attempts

    real = getattr(attempts, name)
    calls = []

    def stale(**kwargs):
        calls.append(kwargs)
        return stale_value(**kwargs) if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(attempts, name, stale)
    return calls


def test_a_start_that_loses_the_race_returns_the_attempt_the_winner_opened(employee, monkeypatch):
    quiz = make_quiz(max_attempts=1)
    winner = start_attempt(quiz=quiz, user=employee)
    _stale_once(monkeypatch, "open_attempt", lambda **kwargs: None)
    _stale_once(
        monkeypatch,
        "current_round",
        lambda **kwargs: Round(used=0, extra=0, last_number=0, passed=None),
    )
    assert start_attempt(quiz=quiz, user=employee) == winner
    assert Attempt.objects.count() == 1


def test_a_start_that_loses_the_race_for_the_last_attempt_is_refused(employee, monkeypatch):
    quiz = make_quiz(max_attempts=1)
    _fail(quiz, employee)
    _stale_once(
        monkeypatch,
        "current_round",
        lambda **kwargs: Round(used=0, extra=0, last_number=0, passed=None),
    )
    with pytest.raises(NoAttemptsLeft):
        start_attempt(quiz=quiz, user=employee)
    assert Attempt.objects.count() == 1
