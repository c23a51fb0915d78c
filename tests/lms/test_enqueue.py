import time

from celery import Celery

from lms import tasks


def _app_with_unreachable_broker(monkeypatch) -> Celery:
    # Celery prefers CELERY_BROKER_URL from the environment to its configuration.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    app = Celery("offline", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = "redis://127.0.0.1:6390/0"  # nothing listens there
    app.conf.task_always_eager = False
    return app


def test_enqueue_reports_an_unreachable_broker_quickly_instead_of_raising(monkeypatch):
    app = _app_with_unreachable_broker(monkeypatch)

    @app.task(name="offline.noop")
    def noop():
        return None

    started = time.monotonic()
    assert tasks.enqueue(noop) is False
    # The request that enqueued must not hang waiting for the broker.
    assert time.monotonic() - started < 10


def test_enqueue_runs_the_task_in_process_in_the_embedded_default(db):
    assert tasks.enqueue(tasks.send_pending_invitations) is True
