"""The attempt limit and the single submit hold when requests race, on PostgreSQL: threads, each
with its own connection, start or submit at the same moment."""

import threading
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Answer, Attempt
from quizzes.services.attempts import NoAttemptsLeft, start_attempt, submit_attempt
from quizzes.signals import attempt_submitted
from tests.factories import UserFactory
from tests.integration.helpers import race
from tests.quizzes.factories import all_right, all_wrong, form_data, make_quiz

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]

THREADS = 8


def race_all(work) -> list:
    """`work()` in every thread at once."""
    return race(lambda _n: work(), threads=THREADS)


@pytest.fixture
def announced():
    """Every attempt_submitted signal sent during the test, by attempt id."""
    sent = Counter()
    lock = threading.Lock()

    def receiver(sender, attempt_id, **kwargs):
        with lock:
            sent[attempt_id] += 1

    attempt_submitted.connect(receiver, dispatch_uid="test_quiz_concurrency")
    yield sent
    attempt_submitted.disconnect(dispatch_uid="test_quiz_concurrency")


def test_eight_simultaneous_starts_with_one_attempt_allowed_open_exactly_one():
    quiz = make_quiz(max_attempts=1)
    learner = UserFactory()

    outcomes = race_all(lambda: start_attempt(quiz=quiz, user=learner).pk)

    attempt = Attempt.objects.get(quiz=quiz, user=learner)
    assert outcomes == [attempt.pk] * THREADS
    assert attempt.number == 1


def test_racing_to_start_and_submit_the_last_attempt_never_exceeds_the_limit():
    quiz = make_quiz(max_attempts=3)
    learner = UserFactory()
    for _ in range(2):
        attempt = start_attempt(quiz=quiz, user=learner)
        submit_attempt(attempt=attempt, answers=all_wrong(attempt))

    def start_and_submit():
        attempt = start_attempt(quiz=quiz, user=learner)
        return submit_attempt(attempt=attempt, answers=all_wrong(attempt)).number

    outcomes = race_all(start_and_submit)

    numbers = sorted(
        Attempt.objects.filter(quiz=quiz, user=learner).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3]
    assert {outcome for outcome in outcomes if not isinstance(outcome, Exception)} == {3}
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    # A thread arriving while the third attempt is open is handed that attempt (and finds it
    # submitted); one arriving after it closed is refused. Either way, never a fourth.
    assert all(isinstance(error, NoAttemptsLeft) for error in refused), refused


def test_eight_simultaneous_submits_of_one_attempt_record_one_result(announced):
    quiz = make_quiz()
    attempt = start_attempt(quiz=quiz, user=UserFactory())
    answers = all_right(attempt)

    outcomes = race_all(lambda: submit_attempt(attempt=attempt, answers=answers))

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert Answer.objects.filter(attempt=attempt).count() == len(attempt.paper["questions"])
    assert {(o.status, o.score_percent, o.submitted_at) for o in outcomes} == {
        (attempt.status, attempt.score_percent, attempt.submitted_at)
    }
    assert attempt.passed
    assert announced == Counter({attempt.pk: 1})


def test_eight_simultaneous_form_posts_all_land_on_the_one_result(announced):
    quiz = make_quiz()
    learner = UserFactory()
    attempt = start_attempt(quiz=quiz, user=learner)
    data = form_data(all_right(attempt))
    url = reverse("quiz_submit", args=[attempt.pk])
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(learner)
        clients.append(client)
    ready = iter(clients)
    lock = threading.Lock()

    def post():
        with lock:
            client = next(ready)
        response = client.post(url, data)
        return response.status_code, response.headers.get("Location")

    outcomes = race_all(post)

    result_url = reverse("quiz_attempt", args=[attempt.pk])
    assert outcomes == [(302, result_url)] * THREADS
    assert Answer.objects.filter(attempt=attempt).count() == len(attempt.paper["questions"])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.score_percent == 100
    assert announced == Counter({attempt.pk: 1})
    response = clients[0].get(result_url)
    assert response.status_code == 200
