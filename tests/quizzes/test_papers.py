import random
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes.models import Quiz
from quizzes.services.attempts import start_attempt, submit_attempt
from quizzes.services.papers import draw_paper, preview_paper, public_questions
from tests.quizzes.factories import all_right, make_quiz, multiple, single, true_false

pytestmark = pytest.mark.django_db


def _bank_of(size):
    return [
        single(f"Question {n}", [(f"Right {n}", True), (f"Wrong {n}", False)])
        for n in range(1, size + 1)
    ]


def test_without_a_draw_every_question_comes_in_bank_order():
    quiz = make_quiz(questions=_bank_of(5))
    paper = draw_paper(quiz=quiz)
    assert [q["text"] for q in paper["questions"]] == [f"Question {n}" for n in range(1, 6)]


def test_a_draw_takes_that_many_different_questions_from_the_bank():
    quiz = make_quiz(questions=_bank_of(10), questions_to_draw=4)
    papers = [draw_paper(quiz=quiz, rng=random.Random(seed)) for seed in range(20)]
    for paper in papers:
        keys = [q["key"] for q in paper["questions"]]
        assert len(keys) == 4 == len(set(keys))
    drawn = {tuple(q["key"] for q in paper["questions"]) for paper in papers}
    assert len(drawn) > 1  # not the same four every time


def test_choices_are_shuffled_per_attempt_when_the_quiz_says_so():
    choices = [(f"Choice {n}", n == 1) for n in range(1, 9)]
    quiz = make_quiz(questions=[multiple("Pick", choices)], shuffle_choices=True)
    orders = {
        tuple(
            c["text"]
            for c in draw_paper(quiz=quiz, rng=random.Random(seed))["questions"][0]["choices"]
        )
        for seed in range(10)
    }
    assert len(orders) > 1


def test_choices_keep_bank_order_when_shuffling_is_off():
    choices = [(f"Choice {n}", n == 1) for n in range(1, 9)]
    quiz = make_quiz(questions=[multiple("Pick", choices)], shuffle_choices=False)
    paper = draw_paper(quiz=quiz, rng=random.Random(3))
    assert [c["text"] for c in paper["questions"][0]["choices"]] == [t for t, _ in choices]


def test_true_false_questions_offer_true_then_false_with_fixed_keys():
    quiz = make_quiz(questions=[true_false("Records may be edited in place.", False)])
    (question,) = draw_paper(quiz=quiz)["questions"]
    assert question["kind"] == "true_false"
    assert question["choices"] == [
        {"key": "true", "text": "True", "correct": False},
        {"key": "false", "text": "False", "correct": True},
    ]


def test_the_paper_freezes_wording_explanation_clauses_and_the_scoring_rule():
    quiz = make_quiz(partial_credit=Quiz.PartialCredit.PROPORTIONAL)
    paper = draw_paper(quiz=quiz)
    first = paper["questions"][0]
    assert first["text"] == "Who may release a nonconforming product?"
    assert first["explanation"] == "Release needs recorded authority."
    assert first["clauses"] == ["ISO 9001 8.7"]
    assert paper["questions"][2]["clauses"] == ["ISO 9001 9.2", "ISO 19011 5.5"]
    assert paper["partial_credit"] == "proportional"


def test_question_and_choice_keys_are_the_bank_ids_and_stay_the_same_when_reloaded():
    quiz = make_quiz()
    reloaded = Quiz.objects.get(pk=quiz.pk)
    assert draw_paper(quiz=quiz) == draw_paper(quiz=reloaded)
    assert [q["key"] for q in draw_paper(quiz=reloaded)["questions"]] == [
        block.id for block in reloaded.questions
    ]


def test_public_questions_and_the_preview_carry_no_correctness():
    quiz = make_quiz()
    for questions in (public_questions(draw_paper(quiz=quiz)), preview_paper(quiz)):
        assert [q.number for q in questions] == [1, 2, 3]
        for question in questions:
            for choice in question.choices:
                assert set(vars(choice)) == {"key", "text"}
            assert not hasattr(question, "explanation")


def _without_csrf(response) -> str:
    # The CSRF token is masked afresh on every response.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_an_edit_or_removal_after_an_attempt_leaves_its_paper_score_and_result_unchanged(
    client, employee
):
    quiz = make_quiz()
    attempt = start_attempt(quiz=quiz, user=employee)
    attempt = submit_attempt(attempt=attempt, answers=all_right(attempt))
    client.force_login(employee)
    page_before = _without_csrf(client.get(reverse("quiz_attempt", args=[attempt.pk])))
    paper_before = attempt.paper

    quiz.questions = [
        single(
            "A reworded question",
            [("The person with documented authority", False), ("Whoever is on shift", True)],
        ),
        quiz.questions.raw_data[1],
    ]
    quiz.pass_mark_percent = 100
    quiz.save()

    attempt.refresh_from_db()
    assert attempt.paper == paper_before
    assert attempt.score_percent == Decimal("100.00")
    assert attempt.passed is True
    page_after = _without_csrf(client.get(reverse("quiz_attempt", args=[attempt.pk])))
    assert page_after == page_before
    assert "A reworded question" not in page_after
    assert "An auditor may audit their own work." in page_after
