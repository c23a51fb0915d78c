import re

import pytest

from lms.celery import app as celery_app
from lms.models import Invitation
from lms.services.people import invite_people_without_password
from lms.tasks import send_pending_invitations
from tests.factories import UserFactory
from tests.integration.helpers import wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]

TASK_TIMEOUT = 30


def _invitation_for(email: str) -> Invitation:
    person = UserFactory(email=email, password=None)
    assert not person.has_usable_password()
    assert invite_people_without_password(users=[person]) == 1
    return Invitation.objects.get(user=person)


def _sent_at(invitation: Invitation):
    return Invitation.objects.values_list("sent_at", flat=True).get(pk=invitation.pk)


def _run_in_worker(worker, task) -> str:
    """Send `task` through the broker to `worker`; wait for the worker to log its return value."""
    result = task.apply_async(queue=worker.queue)
    finished = re.compile(rf"\[{re.escape(result.id)}\] succeeded in [\d.]+s: (\S+)")
    wait_until(lambda: finished.search(worker.output()), timeout=TASK_TIMEOUT, explain=worker.tail)
    return finished.search(worker.output()).group(1)


def test_this_process_sends_tasks_to_the_broker_instead_of_running_them():
    assert celery_app.conf.task_always_eager is False
    assert not celery_app.conf.broker_url.startswith("memory://")


def test_a_worker_process_sends_a_pending_invitation_and_marks_it_sent(celery_worker, mailoutbox):
    invitation = _invitation_for("new.starter@example.com")

    send_pending_invitations.apply_async(queue=celery_worker.queue)

    wait_until(
        lambda: _sent_at(invitation) is not None, timeout=TASK_TIMEOUT, explain=celery_worker.tail
    )
    # The worker's own mailbox got the message; nothing ran in this process.
    assert mailoutbox == []


def test_a_second_run_in_the_worker_sends_nothing_again(celery_worker):
    invitation = _invitation_for("new.starter@example.com")
    assert _run_in_worker(celery_worker, send_pending_invitations) == "1"
    first_sent_at = _sent_at(invitation)
    assert first_sent_at is not None

    assert _run_in_worker(celery_worker, send_pending_invitations) == "0"

    assert _sent_at(invitation) == first_sent_at
