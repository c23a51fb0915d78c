from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from quizzes import tasks
from quizzes.models import Attempt
from quizzes.services.attempts import start_attempt
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db


def test_the_beat_expires_overdue_attempts_every_five_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["expire-overdue-quiz-attempts"]
    assert entry["task"] == tasks.expire_overdue_attempts.name
    assert entry["schedule"].minute == set(range(0, 60, 5))


def test_the_task_expires_overdue_attempts_once(employee):
    attempt = start_attempt(quiz=make_quiz(time_limit_minutes=5), user=employee)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(hours=1))
    assert tasks.expire_overdue_attempts.delay().get() == 1
    assert tasks.expire_overdue_attempts.delay().get() == 0
    attempt.refresh_from_db()
    assert attempt.status == "expired"
