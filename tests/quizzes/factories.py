"""Quizzes for tests, made straight with the ORM: `make_quiz()` gives a three-question quiz (one
of each kind); `make_quiz(questions=[single(...), ...], max_attempts=1)` any other. `answers(...)`
builds what a form would send for an attempt's paper."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from quizzes.blocks import multiple_choice_value, single_choice_value, true_false_value
from quizzes.models import Attempt, Quiz

single = single_choice_value
multiple = multiple_choice_value
true_false = true_false_value


def standard_questions() -> list[dict]:
    return [
        single(
            "Who may release a nonconforming product?",
            [("The person with documented authority", True), ("Whoever is on shift", False)],
            explanation="Release needs recorded authority.",
            clauses="ISO 9001 8.7",
        ),
        multiple(
            "Which of these are records of competence?",
            [
                ("A training record", True),
                ("An assessor's signed observation", True),
                ("A verbal assurance", False),
            ],
            explanation="Records show education, training or experience.",
            clauses="ISO 9001 7.2",
        ),
        true_false(
            "An auditor may audit their own work.",
            False,
            explanation="Auditors are chosen for objectivity.",
            clauses="ISO 9001 9.2, ISO 19011 5.5",
        ),
    ]


def make_quiz(*, title: str = "Quality basics", questions: list[dict] | None = None, **fields):
    fields.setdefault("shuffle_choices", False)
    return Quiz.objects.create(
        title=title,
        questions=standard_questions() if questions is None else questions,
        **fields,
    )


def question(attempt: Attempt, position: int) -> dict:
    return attempt.paper["questions"][position]


def right_keys(question_: dict) -> list[str]:
    return [choice["key"] for choice in question_["choices"] if choice["correct"]]


def wrong_keys(question_: dict) -> list[str]:
    return [choice["key"] for choice in question_["choices"] if not choice["correct"]]


def all_right(attempt: Attempt) -> dict[str, list[str]]:
    return {q["key"]: right_keys(q) for q in attempt.paper["questions"]}


def all_wrong(attempt: Attempt) -> dict[str, list[str]]:
    return {q["key"]: wrong_keys(q)[:1] for q in attempt.paper["questions"]}


def form_data(answers: dict[str, list[str]]) -> dict[str, list[str]]:
    """The POST a form sends for `answers`."""
    return {f"q-{key}": keys for key, keys in answers.items()}


def submitted_attempt(
    *, quiz: Quiz, user, number: int = 1, score: str = "87.50", passed: bool = True
) -> Attempt:
    """An attempt submitted five minutes ago with `score`, made straight with the ORM (its paper
    is empty): for tests about what an attempt is evidence of, not how it was scored."""
    return Attempt.objects.create(
        quiz=quiz,
        user=user,
        number=number,
        status=Attempt.Status.SUBMITTED,
        paper={"questions": []},
        submitted_at=timezone.now() - datetime.timedelta(minutes=5),
        score_percent=Decimal(score),
        passed=passed,
        pass_mark_percent=80,
    )
