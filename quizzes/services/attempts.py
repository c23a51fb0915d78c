"""Attempts: starting one (within the attempt limit, once, however many requests race), submitting
it (once, scored on the server against its frozen paper), expiring it when time runs out, and
granting one more attempt.

A pass closes a round: the attempts and extra attempts that count against the limit are those
since the person last passed, so a refresher taken a year later starts with a full allowance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from quizzes.app_settings import grace_seconds
from quizzes.models import Answer, Attempt, ExtraAttempt, Quiz
from quizzes.services.papers import MULTIPLE_CHOICE, draw_paper
from quizzes.signals import attempt_submitted

STALE_FORM = (
    "This form is out of date: it names a question or a choice that this attempt does not have. "
    "Nothing was recorded; reload the quiz and answer again."
)
CREDIT_PLACES = Decimal("0.001")
SCORE_PLACES = Decimal("0.01")
# Concurrent starts can take the number this request meant to use more than once only if the
# other requests also finish their attempts meanwhile; a few tries cover any real race.
START_TRIES = 3
RETURN_URL_MAX = Attempt._meta.get_field("return_url").max_length


class NoAttemptsLeft(ValueError):
    pass


class StaleForm(ValueError):
    pass


@dataclass(frozen=True)
class Round:
    """The attempts that count against the limit: those since the last pass."""

    used: int
    extra: int
    last_number: int
    passed: Attempt | None


def current_round(*, quiz: Quiz, user) -> Round:
    """Three queries, whatever the number of attempts."""
    passed = passed_attempt(quiz=quiz, user=user)
    figures = Attempt.objects.filter(quiz=quiz, user=user).aggregate(
        last=Max("number"),
        used=Count("pk", filter=Q(number__gt=passed.number if passed else 0)),
    )
    extras = ExtraAttempt.objects.filter(quiz=quiz, user=user)
    if passed is not None:
        extras = extras.filter(granted_at__gt=passed.submitted_at)
    return Round(
        used=figures["used"], extra=extras.count(), last_number=figures["last"] or 0, passed=passed
    )


def attempts_used(*, quiz: Quiz, user) -> int:
    """Attempts counting against the limit: every attempt since the person last passed."""
    return current_round(quiz=quiz, user=user).used


def attempts_allowed(*, quiz: Quiz, user) -> int | None:
    """The quiz's maximum plus extra attempts granted since the last pass; None for unlimited."""
    return _allowed(quiz, current_round(quiz=quiz, user=user))


def _allowed(quiz: Quiz, round_: Round) -> int | None:
    return None if quiz.max_attempts is None else quiz.max_attempts + round_.extra


def attempts_left(*, quiz: Quiz, round_: Round) -> int | None:
    allowed = _allowed(quiz, round_)
    return None if allowed is None else max(0, allowed - round_.used)


def is_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    """Past the deadline and the grace a form needs to arrive."""
    if attempt.deadline is None:
        return False
    now = now or timezone.now()
    return now > attempt.deadline + timedelta(seconds=grace_seconds())


def open_attempt(*, quiz: Quiz, user) -> Attempt | None:
    """The person's attempt in progress, if any; one whose time has run out is expired first."""
    attempt = (
        Attempt.objects.filter(quiz=quiz, user=user, status=Attempt.Status.STARTED)
        .defer("paper")
        .first()
    )
    if attempt is not None and is_overdue(attempt):
        expire_attempt(attempt=attempt)
        return None
    return attempt


def start_attempt(*, quiz: Quiz, user, return_url: str = "") -> Attempt:
    """The person's open attempt, or a new one with a freshly drawn paper.

    Safe under concurrent requests: the attempt number is unique per person and quiz, and so is
    an open attempt, so of two racing requests one inserts and the other finds its attempt.
    Raises NoAttemptsLeft when the limit is reached."""
    for _ in range(START_TRIES):
        existing = open_attempt(quiz=quiz, user=user)
        if existing is not None:
            return existing
        round_ = current_round(quiz=quiz, user=user)
        left = attempts_left(quiz=quiz, round_=round_)
        if left == 0:
            # A racing request may have opened the last attempt between the two reads above.
            existing = open_attempt(quiz=quiz, user=user)
            if existing is not None:
                return existing
            allowed = _allowed(quiz, round_)
            raise NoAttemptsLeft(
                f"You have used all {allowed} attempt{'s' if allowed != 1 else ''} at "
                f"“{quiz.title}”. Your manager can grant you one more."
            )
        now = timezone.now()
        try:
            with transaction.atomic():
                return Attempt.objects.create(
                    quiz=quiz,
                    user=user,
                    number=round_.last_number + 1,
                    revision_id=quiz.latest_revision_id,
                    paper=draw_paper(quiz=quiz),
                    started_at=now,
                    deadline=(
                        now + timedelta(minutes=quiz.time_limit_minutes)
                        if quiz.time_limit_minutes
                        else None
                    ),
                    pass_mark_percent=quiz.pass_mark_percent,
                    # A cut address would lead nowhere: better none.
                    return_url=return_url if len(return_url) <= RETURN_URL_MAX else "",
                )
        except IntegrityError:
            # Another request took this number or opened an attempt first: look again.
            continue
    existing = open_attempt(quiz=quiz, user=user)
    if existing is not None:
        return existing
    raise NoAttemptsLeft("Too many attempts were started at once. Reload the quiz and try again.")


def submit_attempt(*, attempt: Attempt, answers: dict[str, list[str]]) -> Attempt:
    """Score `answers` (question key → chosen choice keys) against the attempt's paper and close it.

    Idempotent: an attempt already submitted or expired comes back unchanged. Past the deadline
    and its grace the attempt expires instead (score 0, answers not recorded). Raises StaleForm,
    recording nothing, when the answers name questions or choices the paper does not have."""
    with transaction.atomic():
        # The row lock makes a double click, a second tab or a replayed POST wait and then find
        # the attempt submitted.
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status != Attempt.Status.STARTED:
            return locked
        now = timezone.now()
        if is_overdue(locked, now):
            _close_as_expired(locked, now)
            return locked
        questions = locked.paper["questions"]
        selections = _validated(questions, answers)
        partial_credit = locked.paper.get("partial_credit")
        if partial_credit is None:
            partial_credit = Quiz.objects.values_list("partial_credit", flat=True).get(
                pk=locked.quiz_id
            )
        rows = []
        for position, question in enumerate(questions, start=1):
            selected = selections.get(question["key"], [])
            credit = _credit(question, selected, partial_credit)
            rows.append(
                Answer(
                    attempt=locked,
                    question_key=question["key"],
                    position=position,
                    selected=selected,
                    credit=credit,
                    is_correct=credit == 1,
                )
            )
        Answer.objects.bulk_create(rows)
        total = sum((row.credit for row in rows), Decimal(0))
        score = (total / len(rows) * 100).quantize(SCORE_PLACES, ROUND_HALF_UP) if rows else 0
        locked.status = Attempt.Status.SUBMITTED
        locked.submitted_at = now
        locked.score_percent = Decimal(score)
        locked.passed = locked.score_percent >= locked.pass_mark_percent
        locked.save(update_fields=["status", "submitted_at", "score_percent", "passed"])
        _announce_on_commit(locked)
    return locked


def _validated(questions: list[dict], answers: dict[str, list[str]]) -> dict[str, list[str]]:
    by_key = {question["key"]: question for question in questions}
    selections = {}
    for question_key, chosen in answers.items():
        question = by_key.get(question_key)
        if question is None:
            raise StaleForm(STALE_FORM)
        keys = {choice["key"] for choice in question["choices"]}
        chosen = list(dict.fromkeys(chosen))  # a repeated field counts once
        if any(key not in keys for key in chosen):
            raise StaleForm(STALE_FORM)
        if question["kind"] != MULTIPLE_CHOICE and len(chosen) > 1:
            raise StaleForm(STALE_FORM)
        # In the order the choices were shown, so the record reads like the paper.
        selections[question_key] = [c["key"] for c in question["choices"] if c["key"] in chosen]
    return selections


def _credit(question: dict, selected: list[str], partial_credit: str) -> Decimal:
    correct = {choice["key"] for choice in question["choices"] if choice["correct"]}
    picked = set(selected)
    if picked == correct:
        return Decimal(1)
    if question["kind"] != MULTIPLE_CHOICE or partial_credit != Quiz.PartialCredit.PROPORTIONAL:
        return Decimal(0)
    right = len(picked & correct)
    wrong = len(picked - correct)
    credit = Decimal(max(0, right - wrong)) / Decimal(len(correct))
    return credit.quantize(CREDIT_PLACES, ROUND_HALF_UP)


def expire_attempt(*, attempt: Attempt) -> bool:
    """Close an attempt whose time ran out: score 0, not passed. False if it was already closed."""
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status != Attempt.Status.STARTED:
            return False
        _close_as_expired(locked, timezone.now())
    return True


def _close_as_expired(attempt: Attempt, now: datetime) -> None:
    attempt.status = Attempt.Status.EXPIRED
    attempt.submitted_at = now
    attempt.score_percent = Decimal(0)
    attempt.passed = False
    attempt.save(update_fields=["status", "submitted_at", "score_percent", "passed"])
    _announce_on_commit(attempt)


def expire_overdue_attempts(*, now: datetime | None = None) -> int:
    """Expire every open attempt past its deadline and grace; the number expired."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=grace_seconds())
    overdue = Attempt.objects.filter(status=Attempt.Status.STARTED, deadline__lt=cutoff)
    expired = 0
    for attempt in overdue.only("pk"):
        expired += expire_attempt(attempt=attempt)
    return expired


def _announce_on_commit(attempt: Attempt) -> None:
    transaction.on_commit(
        partial(
            attempt_submitted.send,
            sender=Attempt,
            attempt_id=attempt.pk,
            user_id=attempt.user_id,
            quiz_id=attempt.quiz_id,
            passed=bool(attempt.passed),
            score_percent=attempt.score_percent,
            number=attempt.number,
        )
    )


def passed_attempt(*, quiz: Quiz, user, since: datetime | None = None) -> Attempt | None:
    """The person's latest passed attempt, submitted at or after `since` when given."""
    attempts = Attempt.objects.filter(
        quiz=quiz, user=user, status=Attempt.Status.SUBMITTED, passed=True
    )
    if since is not None:
        attempts = attempts.filter(submitted_at__gte=since)
    return attempts.defer("paper").order_by("-number").first()


def latest_attempt(*, quiz: Quiz, user) -> Attempt | None:
    return Attempt.objects.filter(quiz=quiz, user=user).defer("paper").order_by("-number").first()


def grant_extra_attempt(*, quiz: Quiz, user, granted_by, reason: str = "") -> ExtraAttempt:
    """One more attempt for a person who has used every attempt without passing.

    Raises ValueError, granting nothing, when attempts are unlimited, the person has passed since
    their last grant, still has attempts left, or already holds an unused extra attempt."""
    with transaction.atomic():
        # Two managers granting at once must not make two grants.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        name = user.get_full_name() or user.email
        if quiz.max_attempts is None:
            raise ValueError(f"Attempts at “{quiz.title}” are unlimited: there is none to grant.")
        round_ = current_round(quiz=quiz, user=user)
        latest = latest_attempt(quiz=quiz, user=user)
        if latest is not None and latest.passed:
            raise ValueError(f"{name} has passed “{quiz.title}”: there is no need for another.")
        left = attempts_left(quiz=quiz, round_=round_)
        if left and round_.extra:
            raise ValueError(f"{name} already has an extra attempt at “{quiz.title}” unused.")
        if left:
            raise ValueError(
                f"{name} still has {left} attempt{'s' if left != 1 else ''} left at “{quiz.title}”."
            )
        return ExtraAttempt.objects.create(
            quiz=quiz, user=user, granted_by=granted_by, reason=reason[:300]
        )
