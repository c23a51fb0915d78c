"""Reads the quiz pages share: a person's standing at a quiz, their attempts, a result to show."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString

from quizzes.app_settings import render_markdown
from quizzes.models import Attempt, Quiz
from quizzes.services.attempts import (
    attempts_left,
    current_round,
    latest_attempt,
    open_attempt,
)
from quizzes.services.papers import public_questions


@dataclass(frozen=True)
class QuizState:
    """Where a person stands at a quiz. `left` and `allowed` are None when attempts are
    unlimited; `passed` is their latest passed attempt; `can_start` says whether starting (or
    resuming) would succeed."""

    quiz: Quiz
    used: int
    allowed: int | None
    left: int | None
    open_attempt: Attempt | None
    latest: Attempt | None
    passed: Attempt | None
    can_start: bool


def quiz_state(*, quiz: Quiz, user) -> QuizState:
    """Five queries at most, whatever the number of attempts. An open attempt whose time has run
    out is expired on the way (one more write)."""
    current = open_attempt(quiz=quiz, user=user)
    round_ = current_round(quiz=quiz, user=user)
    left = attempts_left(quiz=quiz, round_=round_)
    latest = current or latest_attempt(quiz=quiz, user=user)
    return QuizState(
        quiz=quiz,
        used=round_.used,
        allowed=None if left is None else round_.used + left,
        left=left,
        open_attempt=current,
        latest=latest,
        passed=round_.passed,
        can_start=current is not None or left is None or left > 0,
    )


def attempts_of(*, quiz: Quiz, user) -> QuerySet[Attempt]:
    """A person's attempts at a quiz, newest first, without their papers."""
    return Attempt.objects.filter(quiz=quiz, user=user).defer("paper").order_by("-number")


def attempt_for_page(pk: int) -> Attempt | None:
    return Attempt.objects.select_related("quiz", "user").filter(pk=pk).first()


@dataclass
class ResultChoice:
    key: str
    text: str
    correct: bool
    picked: bool


@dataclass
class ResultQuestion:
    key: str
    number: int
    kind: str
    text: str
    explanation: str
    clauses: list[str]
    choices: list[ResultChoice]
    answered: bool
    is_correct: bool
    credit: Decimal
    partly: bool = field(init=False)

    def __post_init__(self):
        self.partly = not self.is_correct and self.credit > 0

    @property
    def html(self) -> SafeString:
        return render_markdown(self.text)

    @property
    def explanation_html(self) -> SafeString:
        return render_markdown(self.explanation) if self.explanation else SafeString("")


def attempt_result(*, attempt: Attempt) -> list[ResultQuestion]:
    """Each question of a closed attempt as frozen in its paper, with what was picked and whether
    it was right. An expired attempt has no answers: every question counts as missed."""
    answers = {answer.question_key: answer for answer in attempt.answers.all()}
    rows = []
    for number, question in enumerate(attempt.paper["questions"], start=1):
        answer = answers.get(question["key"])
        picked = set(answer.selected) if answer else set()
        rows.append(
            ResultQuestion(
                key=question["key"],
                number=number,
                kind=question["kind"],
                text=question["text"],
                explanation=question.get("explanation", ""),
                clauses=question.get("clauses", []),
                choices=[
                    ResultChoice(
                        key=choice["key"],
                        text=choice["text"],
                        correct=choice["correct"],
                        picked=choice["key"] in picked,
                    )
                    for choice in question["choices"]
                ],
                answered=bool(picked),
                is_correct=bool(answer and answer.is_correct),
                credit=answer.credit if answer else Decimal(0),
            )
        )
    return rows


def form_questions(*, attempt: Attempt):
    return public_questions(attempt.paper)


def time_left_seconds(attempt: Attempt, now=None) -> int | None:
    """Whole seconds until the deadline (never negative); None without a time limit."""
    if attempt.deadline is None:
        return None
    now = now or timezone.now()
    return max(0, int((attempt.deadline - now).total_seconds()))
