"""Thin Celery wrappers: load by id, call a service. Every task is safe to run twice."""

import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from lms.services import invitations

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_pending_invitations() -> int:
    sent = invitations.send_pending_invitations()
    if sent == invitations.BATCH_SIZE:
        # More may be waiting; a fresh task keeps each run short.
        send_pending_invitations.delay()
    return sent


def enqueue(task, *args, **kwargs) -> bool:
    """Send a task to the broker now; False when the broker cannot be reached.

    Call it after the transaction that wrote the task's rows has committed. The rows stay behind
    either way, so a periodic sweep finishes the work once the broker is back.
    """
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except OperationalError as error:
        logger.warning("could not enqueue %s: %r", task.name, error)
        return False
    return True
