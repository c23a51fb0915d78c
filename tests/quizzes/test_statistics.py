from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt
from quizzes.services.attempts import expire_overdue_attempts, start_attempt, submit_attempt
from quizzes.services.statistics import item_statistics
from tests.factories import UserFactory
from tests.quizzes.factories import make_quiz, multiple, single, true_false

pytestmark = pytest.mark.django_db


def _quiz():
    return make_quiz(
        title="Document control",
        questions=[
            single(
                "Who approves a procedure?",
                [("The process owner", True), ("Anyone", False), ("The auditor", False)],
            ),
            multiple(
                "Which are controlled documents?",
                [("Procedure", True), ("Work instruction", True), ("Lunch menu", False)],
            ),
            true_false("Obsolete documents may stay at the point of use.", False),
        ],
    )


def _choice(attempt, position, text):
    question = attempt.paper["questions"][position]
    return next(c["key"] for c in question["choices"] if c["text"] == text)


def _answer(quiz, picks):
    """One person's submitted attempt; `picks` per question position, by choice text."""
    attempt = start_attempt(quiz=quiz, user=UserFactory())
    answers = {
        attempt.paper["questions"][position]["key"]: [
            _choice(attempt, position, text) for text in texts
        ]
        for position, texts in picks.items()
    }
    return submit_attempt(attempt=attempt, answers=answers)


def _hand_made_set(quiz):
    _answer(quiz, {0: ["The process owner"], 1: ["Procedure", "Work instruction"], 2: ["False"]})
    _answer(quiz, {0: ["Anyone"], 1: ["Procedure", "Lunch menu"], 2: ["True"]})
    _answer(quiz, {0: ["The auditor"], 1: ["Procedure"], 2: ["False"]})
    _answer(quiz, {0: ["The process owner"]})  # two left blank


def test_item_statistics_count_answers_the_share_right_and_each_wrong_choice(employee):
    quiz = _quiz()
    _hand_made_set(quiz)
    # Neither an open attempt nor an expired one counts.
    start_attempt(quiz=quiz, user=employee)
    late = start_attempt(quiz=quiz, user=UserFactory())
    Attempt.objects.filter(pk=late.pk).update(deadline=timezone.now() - timedelta(hours=1))
    expire_overdue_attempts()

    first, second, third = item_statistics(quiz=quiz)

    assert (first.number, first.text, first.answers, first.correct) == (
        1,
        "Who approves a procedure?",
        4,
        2,
    )
    assert first.share_correct == 0.5
    assert [(c.text, c.picks, c.share) for c in first.wrong_choices] == [
        ("Anyone", 1, 0.25),
        ("The auditor", 1, 0.25),
    ]
    assert (second.answers, second.correct, second.unanswered) == (4, 1, 1)
    assert [(c.text, c.picks) for c in second.wrong_choices] == [("Lunch menu", 1)]
    assert (third.answers, third.correct, third.unanswered) == (4, 2, 1)
    assert [(c.key, c.text, c.picks) for c in third.wrong_choices] == [("true", "True", 1)]


def test_a_question_removed_since_keeps_its_figures_under_its_frozen_wording():
    quiz = _quiz()
    _hand_made_set(quiz)
    kept = quiz.questions.raw_data[0]
    changed = {**kept, "value": {**kept["value"], "text": "Who approves a procedure now?"}}
    # The wrong choice "The auditor" leaves the kept question; the true/false question goes.
    changed["value"]["choices"] = [
        item for item in kept["value"]["choices"] if item["value"]["text"] != "The auditor"
    ]
    quiz.questions = [changed, quiz.questions.raw_data[1]]
    quiz.save()

    first, second, removed = item_statistics(quiz=quiz)

    assert first.text == "Who approves a procedure now?"
    assert [(c.text, c.picks) for c in first.wrong_choices] == [("Anyone", 1), ("The auditor", 1)]
    assert removed.removed and removed.number is None
    assert removed.text == "Obsolete documents may stay at the point of use."
    assert (removed.kind, removed.answers, removed.correct) == ("true_false", 4, 2)
    assert [(c.text, c.picks) for c in removed.wrong_choices] == [("True", 1)]


def test_a_question_nobody_answered_yet_shows_no_share():
    (first, *_) = item_statistics(quiz=_quiz())
    assert (first.answers, first.share_correct) == (0, None)
    assert all(c.share is None for c in first.wrong_choices)


def _queries(callable_):
    with CaptureQueriesContext(connection) as queries:
        callable_()
    return len(queries)


def test_item_statistics_take_a_fixed_number_of_queries():
    small, large = _quiz(), _quiz()
    _hand_made_set(small)
    for _ in range(5):
        _hand_made_set(large)
    small.refresh_from_db()
    large.refresh_from_db()
    assert _queries(lambda: item_statistics(quiz=small)) == 1
    assert _queries(lambda: item_statistics(quiz=large)) == 1
    # With removed questions, the frozen wording is one more query.
    for quiz in (small, large):
        quiz.questions = [quiz.questions.raw_data[0]]
        quiz.save()
    assert _queries(lambda: item_statistics(quiz=small)) == 2
    assert _queries(lambda: item_statistics(quiz=large)) == 2


def test_hr_reads_item_statistics_in_the_cms_with_fixed_queries(client, hr):
    small, large = _quiz(), _quiz()
    _hand_made_set(small)
    for _ in range(4):
        _hand_made_set(large)
    client.force_login(hr)
    counts = []
    for quiz in (small, large):
        url = reverse("quizzes_item_statistics", args=[quiz.pk])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))
        assert response.status_code == 200
    assert counts[0] == counts[1]
    html = response.content.decode()
    assert "Item statistics: Document control" in html
    assert "From 16 submitted attempts." in html
    assert "Anyone: 4 (25%)" in html


def test_the_quiz_listing_links_each_quiz_to_its_statistics_for_hr_only(client, hr, comms):
    quiz = _quiz()
    url = reverse("wagtailsnippets_quizzes_quiz:list")
    statistics_url = reverse("quizzes_item_statistics", args=[quiz.pk])
    client.force_login(hr)
    html = client.get(url).content.decode()
    assert "Document control" in html
    assert statistics_url in html
    comms.user_permissions.add(*Permission.objects.filter(codename="view_quiz"))
    client.force_login(comms)
    assert statistics_url not in client.get(url).content.decode()
