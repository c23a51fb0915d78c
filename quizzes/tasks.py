"""Thin Celery wrappers around the quiz engine's services; each is safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from quizzes.services import attempts


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def expire_overdue_attempts() -> int:
    # An attempt nobody submits would otherwise stay open, holding its place, until its owner
    # came back; each one expires once, however often this runs.
    return attempts.expire_overdue_attempts()
