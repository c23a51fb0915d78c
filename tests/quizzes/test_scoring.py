from decimal import Decimal

import pytest

from quizzes.models import Answer, Quiz
from quizzes.services.attempts import start_attempt, submit_attempt
from tests.quizzes.factories import (
    all_right,
    make_quiz,
    multiple,
    question,
    right_keys,
    single,
    true_false,
    wrong_keys,
)

pytestmark = pytest.mark.django_db

FIVE_CHOICES = [("A", True), ("B", True), ("C", True), ("D", False), ("E", False)]


def _attempt(user, **quiz_fields):
    quiz = make_quiz(**quiz_fields)
    return start_attempt(quiz=quiz, user=user)


def _multiple_attempt(user, rule):
    return _attempt(
        user, questions=[multiple("Pick every right one", FIVE_CHOICES)], partial_credit=rule
    )


def _pick(attempt, *texts):
    (q,) = attempt.paper["questions"]
    return {q["key"]: [c["key"] for c in q["choices"] if c["text"] in texts]}


def test_every_answer_right_scores_100_and_passes(employee):
    attempt = _attempt(employee)
    attempt = submit_attempt(attempt=attempt, answers=all_right(attempt))
    assert attempt.status == "submitted"
    assert attempt.score_percent == Decimal("100.00")
    assert attempt.passed is True
    assert [a.credit for a in Answer.objects.filter(attempt=attempt)] == [1, 1, 1]


def test_single_choice_and_true_false_score_one_or_nothing(employee):
    attempt = _attempt(employee)
    single_q, _, true_false_q = attempt.paper["questions"]
    attempt = submit_attempt(
        attempt=attempt,
        answers={single_q["key"]: right_keys(single_q), true_false_q["key"]: ["true"]},
    )
    answers = {a.question_key: a for a in attempt.answers.all()}
    assert answers[single_q["key"]].credit == 1 and answers[single_q["key"]].is_correct
    assert answers[true_false_q["key"]].credit == 0 and not answers[true_false_q["key"]].is_correct
    # One of three right; the multiple-choice question was left blank.
    assert attempt.score_percent == Decimal("33.33")
    assert attempt.passed is False


def test_an_unanswered_question_is_an_empty_selection_with_no_credit(employee):
    attempt = _attempt(employee)
    attempt = submit_attempt(attempt=attempt, answers={})
    assert attempt.score_percent == Decimal("0.00")
    assert [(a.selected, a.credit, a.position) for a in attempt.answers.all()] == [
        ([], 0, 1),
        ([], 0, 2),
        ([], 0, 3),
    ]


@pytest.mark.parametrize(
    ("picked", "credit"),
    [
        (("A", "B", "C"), "1"),
        (("A", "B"), "0"),
        (("A", "B", "C", "D"), "0"),
        ((), "0"),
    ],
)
def test_all_or_nothing_gives_credit_only_for_exactly_the_right_choices(employee, picked, credit):
    attempt = _multiple_attempt(employee, Quiz.PartialCredit.ALL_OR_NOTHING)
    attempt = submit_attempt(attempt=attempt, answers=_pick(attempt, *picked))
    assert attempt.answers.get().credit == Decimal(credit)


@pytest.mark.parametrize(
    ("picked", "credit", "score"),
    [
        (("A", "B", "C"), "1.000", "100.00"),
        (("A", "B"), "0.667", "66.70"),
        (("A",), "0.333", "33.30"),
        (("A", "B", "D"), "0.333", "33.30"),
        (("A", "D", "E"), "0.000", "0.00"),  # never below zero
        (("A", "B", "C", "D", "E"), "0.333", "33.30"),
    ],
)
def test_proportional_credit_is_right_picks_minus_wrong_picks_over_the_right_ones(
    employee, picked, credit, score
):
    attempt = _multiple_attempt(employee, Quiz.PartialCredit.PROPORTIONAL)
    attempt = submit_attempt(attempt=attempt, answers=_pick(attempt, *picked))
    answer = attempt.answers.get()
    assert answer.credit == Decimal(credit)
    assert answer.is_correct is (credit == "1.000")
    # The score is the stored credits' sum, so an auditor can recompute it from the answers.
    assert attempt.score_percent == Decimal(score)


def test_proportional_credit_does_not_apply_to_single_choice_questions(employee):
    attempt = _attempt(
        employee,
        questions=[single("One", [("A", True), ("B", False)])],
        partial_credit=Quiz.PartialCredit.PROPORTIONAL,
    )
    q = question(attempt, 0)
    attempt = submit_attempt(attempt=attempt, answers={q["key"]: wrong_keys(q)})
    assert attempt.score_percent == 0


def test_the_pass_mark_is_the_one_copied_when_the_attempt_started(employee):
    attempt = _attempt(
        employee,
        questions=[
            single("One", [("A", True), ("B", False)]),
            single("Two", [("A", True), ("B", False)]),
            true_false("Three", True),
            true_false("Four", True),
        ],
        pass_mark_percent=75,
    )
    assert attempt.pass_mark_percent == 75
    Quiz.objects.filter(pk=attempt.quiz_id).update(pass_mark_percent=100)
    answers = all_right(attempt)
    answers[question(attempt, 3)["key"]] = ["false"]
    attempt = submit_attempt(attempt=attempt, answers=answers)
    assert attempt.score_percent == Decimal("75.00")
    assert attempt.passed is True


def test_the_scoring_rule_is_the_one_frozen_when_the_attempt_started(employee):
    attempt = _multiple_attempt(employee, Quiz.PartialCredit.PROPORTIONAL)
    Quiz.objects.filter(pk=attempt.quiz_id).update(partial_credit=Quiz.PartialCredit.ALL_OR_NOTHING)
    attempt = submit_attempt(attempt=attempt, answers=_pick(attempt, "A", "B"))
    assert attempt.answers.get().credit == Decimal("0.667")


def test_answers_are_recorded_in_the_order_of_the_choices_shown(employee):
    attempt = _multiple_attempt(employee, Quiz.PartialCredit.PROPORTIONAL)
    q = question(attempt, 0)
    keys = [c["key"] for c in q["choices"]]
    attempt = submit_attempt(attempt=attempt, answers={q["key"]: [keys[2], keys[0], keys[2]]})
    assert attempt.answers.get().selected == [keys[0], keys[2]]
