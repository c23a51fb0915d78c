"""Thin Celery wrappers: load by id, call a service. Every task is safe to run twice."""

import logging
from functools import partial

from celery import shared_task
from django.db import OperationalError as DatabaseOperationalError
from django.db import transaction
from kombu.exceptions import OperationalError

from lms.models import Completion, TrainingModule
from lms.services import assignments, certificates, competence, invitations, reminders, xapi

logger = logging.getLogger(__name__)

# A lost connection (SMTP, broker, database) or a locked SQLite file is worth another try;
# bad data is not.
RETRY = {
    "autoretry_for": (OSError, DatabaseOperationalError),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(**RETRY)
def send_pending_invitations() -> int:
    sent = invitations.send_pending_invitations()
    if sent == invitations.BATCH_SIZE:
        # More may be waiting; a fresh task keeps each run short.
        send_pending_invitations.delay()
    return sent


# --- Reminders, escalations and managers' nudges (lms/services/reminders.py)
@shared_task(**RETRY)
def send_daily_reminders() -> int:
    # Safe to retry: the day's digests are rows first, and only unsent ones are e-mailed.
    return reminders.send_daily_reminders()


@shared_task(**RETRY)
def send_team_reminder(reminder_id: int) -> bool:
    return reminders.email_team_reminder(reminder_id=reminder_id)


@shared_task(**RETRY)
def send_pending_team_reminders() -> int:
    return reminders.send_pending_team_reminders()


# --- Assignments: rules, the org chart, refreshers (lms/services/assignments.py)
# People per sync task: a 10,000-person roster becomes ten short tasks, each retried alone.
SYNC_BATCH = 1000


@shared_task(**RETRY)
def apply_assignment_rule(rule_id: int) -> int:
    rule = assignments.rules_with_audience().filter(pk=rule_id).first()
    if rule is None:
        return 0  # deleted since
    assignments.withdraw_outside_audience(rule=rule)
    return assignments.apply_rule(rule=rule)


@shared_task(**RETRY)
def apply_rules_for_module(module_id: int) -> int:
    module = TrainingModule.objects.filter(pk=module_id).first()
    return 0 if module is None else assignments.apply_rules_for_module(module=module)


@shared_task(**RETRY)
def sync_assignments_for_people(user_ids: list[int]) -> int:
    synced = assignments.sync_assignments_for_people(user_ids=user_ids)
    return synced.assigned + synced.withdrawn


@shared_task(**RETRY)
def create_refresher_assignments() -> int:
    return assignments.create_refresher_assignments()


@shared_task(**RETRY)
def reconcile_assignment_rules() -> int:
    synced = assignments.reconcile_all_rules()
    return synced.assigned + synced.withdrawn


def sync_assignments_later(user_ids) -> None:
    """Once the current transaction commits, sync the assignments of `user_ids` in batches.
    A batch the broker refuses is left to the nightly reconcile_assignment_rules."""
    ids = sorted(set(user_ids))
    for start in range(0, len(ids), SYNC_BATCH):
        enqueue_on_commit(sync_assignments_for_people, ids[start : start + SYNC_BATCH])


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """`enqueue` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(partial(enqueue, task, *args, **kwargs))


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


# --- Certificates of completion (lms/services/certificates.py)
@shared_task(**RETRY)
def issue_certificate(completion_id: int) -> bool:
    completion = Completion.objects.select_related("module").filter(pk=completion_id).first()
    if completion is None:
        return False
    certificates.issue_certificate(completion=completion)
    return True


@shared_task(**RETRY)
def issue_missing_certificates() -> int:
    # Catches completions whose task was lost while the broker was down.
    return certificates.issue_missing_certificates()


# --- Competences (lms/services/competence.py)
@shared_task(**RETRY)
def record_competences_for_completion(completion_id: int) -> int:
    completions = Completion.objects.select_related("module", "user__manager")
    completion = completions.filter(pk=completion_id).first()
    if completion is None:
        return 0
    return len(competence.record_from_completion(completion=completion))


@shared_task(**RETRY)
def record_missing_competences() -> int:
    # Catches completions whose task was lost while the broker was down.
    return competence.record_missing_competences()


@shared_task(**RETRY)
def request_due_effectiveness_checks() -> int:
    return competence.request_due_effectiveness_checks()


@shared_task(**RETRY)
def renew_expiring_competences() -> int:
    return competence.renew_expiring_competences()


@shared_task(**RETRY)
def notify_expired_competences() -> int:
    # Safe to retry: each expiry is a notice row first, and only unsent notices are e-mailed.
    return competence.notify_expired_competences()


# --- xAPI statements to the LRS (lms/services/xapi.py)
@shared_task(bind=True, **RETRY)
def send_pending_xapi_statements(self) -> int:
    # An LRS that is down raises LrsUnavailable (an OSError): retried with backoff, and the
    # periodic run picks the rows up after the last retry.
    try:
        return xapi.send_pending().sent
    except xapi.LrsUnavailable as error:
        if not self.request.is_eager:
            raise
        # Run inside someone's request (no broker): their page must not fail because the LRS
        # is down. The statements wait for the periodic run.
        logger.warning("xAPI statements left in the outbox: %s", error)
        return 0
