"""A real Celery worker sends the xAPI outbox to the LRS, retries while the LRS is down, and
sends each statement once when it is back."""

import pytest

from lms.models import XapiStatement
from lms.services import xapi
from lms.tasks import send_pending_xapi_statements
from tests.integration.helpers import wait_until
from tests.lms.factories_training import make_completion, make_module

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]


def _unsent() -> int:
    return XapiStatement.objects.filter(sent_at__isnull=True).count()


def test_the_worker_retries_while_the_lrs_is_down_and_sends_each_statement_once(
    celery_worker, worker_lrs, settings, employee
):
    settings.LMS_XAPI_ENDPOINT = worker_lrs.url
    for module in (make_module(), make_module(), make_module()):
        completion = make_completion(user=employee, module=module)
        assert xapi.record_completion(completion_id=completion.pk) is not None
    worker_lrs.down = True

    send_pending_xapi_statements.apply_async(queue=celery_worker.queue)
    wait_until(lambda: len(worker_lrs.requests) >= 2, timeout=30, explain=celery_worker.tail)
    assert worker_lrs.received == []
    assert _unsent() == 3
    worker_lrs.down = False

    wait_until(lambda: _unsent() == 0, timeout=60, explain=celery_worker.tail)
    statement_ids = {str(pk) for pk in XapiStatement.objects.values_list("statement_id", flat=True)}
    assert sorted(s["id"] for s in worker_lrs.received) == sorted(statement_ids)
    assert "Retry in" in celery_worker.output()
