"""The ledger's promises hold when events race, on PostgreSQL: threads, each with its own
connection, fire at the same moment."""

import pytest
from django.db import connection
from django.db.models import Sum

from lms.models import Completion
from lms.signals import module_completed
from recognition.models import PointsEntry
from recognition.services.ledger import award_by_rule
from tests.factories import UserFactory
from tests.integration.helpers import race
from tests.lms.factories_training import make_completion, make_module
from tests.recognition.factories import rule

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]

THREADS = 24


def race_all(work) -> list:
    return race(work, threads=THREADS)


def test_the_same_completion_announced_by_many_threads_at_once_pays_exactly_once():
    assert connection.vendor == "postgresql"
    learner = UserFactory()
    completion = make_completion(user=learner, module=make_module(title="Spill response"))

    def announce(_n):
        module_completed.send(
            sender=Completion,
            completion_id=completion.pk,
            user_id=learner.pk,
            module_id=completion.module_id,
            on_time=True,
        )
        return True

    outcomes = race_all(announce)

    assert outcomes == [True] * THREADS
    entries = list(PointsEntry.objects.filter(user=learner).values_list("points", "reason"))
    assert entries == [(15, "Completed “Spill response” on time")]


def test_many_threads_awarding_the_same_source_write_one_entry_and_the_rest_none():
    learner = UserFactory()

    outcomes = race_all(
        lambda _n: award_by_rule(
            event="quiz_passed", user_id=learner.pk, source=("quizzes.quiz", 4242), reason="Quiz"
        )
    )

    written = [outcome for outcome in outcomes if outcome is not None]
    assert len(written) == 1 and not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert PointsEntry.objects.filter(user=learner).count() == 1


def test_capped_events_racing_never_take_the_week_past_the_cap():
    rule("effectiveness_check", points=20, weekly_cap=50)
    manager = UserFactory()

    outcomes = race_all(
        lambda n: award_by_rule(
            event="effectiveness_check",
            user_id=manager.pk,
            source=("lms.effectivenesscheck", 1000 + n),
            reason=f"Check {n}",
        )
    )

    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    entries = PointsEntry.objects.filter(user=manager)
    assert entries.count() == THREADS  # every event is on record, most at 0 points
    assert entries.aggregate(total=Sum("points"))["total"] == 50
    assert sorted(entries.values_list("points", flat=True), reverse=True)[:4] == [20, 20, 10, 0]
