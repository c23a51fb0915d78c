"""The real services: PostgreSQL, Redis and a Celery worker in its own process.

Without them the integration tests are skipped, saying what is missing and how to start it; with
REQUIRE_SERVICES=1 (CI) a missing service fails the run instead.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection

from lms.celery import app as celery_app

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WORKER_READY_TIMEOUT = 30

START_POSTGRES = (
    'pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start, '
    "then set DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms"
)
START_REDIS = (
    "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '', "
    "then set CELERY_BROKER_URL=redis://127.0.0.1:6379/0"
)


def _postgres_problem() -> str | None:
    if connection.vendor != "postgresql":
        return f"PostgreSQL is not the database in use ({connection.vendor} is)"
    params = connection.settings_dict
    try:
        # The maintenance database: the configured one need not exist, only the server must answer.
        psycopg.connect(
            dbname="postgres",
            host=params["HOST"] or None,
            port=params["PORT"] or None,
            user=params["USER"] or None,
            password=params["PASSWORD"] or None,
            connect_timeout=2,
        ).close()
    except psycopg.Error as error:
        return f"PostgreSQL does not answer at {params['HOST']}:{params['PORT']} ({error})"
    return None


def _redis_problem() -> str | None:
    if not settings.REDIS_URL:
        return "Redis is not configured (neither REDIS_URL nor a redis:// CELERY_BROKER_URL)"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis does not answer PING at {settings.REDIS_URL} ({error})"
    return None


def _broker_problem() -> str | None:
    url = celery_app.conf.broker_url
    if url.startswith("memory://"):
        return "no Celery broker: CELERY_BROKER_URL is unset, so tasks run in-process"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # noqa: BLE001 - kombu raises transport-specific errors
        return f"the Celery broker does not answer at {url} ({error!r})"
    return None


@pytest.fixture(scope="session", autouse=True)
def real_services():
    """Every integration test needs all three services; find out once per run."""
    problems = [
        f"{problem}: start it with {how}"
        for problem, how in [
            (_postgres_problem(), START_POSTGRES),
            (_redis_problem(), START_REDIS),
            (_broker_problem(), START_REDIS),
        ]
        if problem
    ]
    if not problems:
        return
    message = "Integration services missing:\n  " + "\n  ".join(problems)
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(
            message + "\n(REQUIRE_SERVICES=1: a missing service fails the run)", pytrace=False
        )
    pytest.skip(message)


@pytest.fixture(autouse=True)
def tasks_through_the_broker(real_services):
    """The test settings run tasks in-process; integration tests send them through the broker."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = eager


def _database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def _tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(errors="replace") if path.exists() else "(no output)"
    return "\n".join(text.splitlines()[-lines:])


class Worker:
    """A `celery worker` process consuming one queue of its own, writing to the test database."""

    def __init__(self, *, queue: str, log: Path, process: subprocess.Popen):
        self.queue = queue
        self.log = log
        self.process = process
        # Celery expands %h with socket.gethostname().
        self.nodename = f"{queue}@{socket.gethostname()}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def tail(self) -> str:
        return f"--- worker output ({self.log}) ---\n{_tail(self.log)}"

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + WORKER_READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the Celery worker exited ({self.process.returncode})\n{self.tail()}")
            replies = celery_app.control.ping(destination=[self.nodename], timeout=0.5)
            if any(self.nodename in reply for reply in replies):
                return
        pytest.fail(f"no ping reply from the worker in {WORKER_READY_TIMEOUT}s\n{self.tail()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # warm shutdown: finish the current task
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


@pytest.fixture(scope="session")
def worker_lrs():
    """The LRS the worker sends xAPI statements to: its address is in the worker's settings."""
    from tests.fake_lrs import FakeLrs

    lrs = FakeLrs()
    yield lrs
    lrs.close()


@pytest.fixture(scope="session")
def celery_worker(real_services, django_db_setup, tmp_path_factory, worker_lrs):
    """A real worker on a unique queue, so no other worker on the broker takes our tasks."""
    queue = f"lms-integration-{uuid.uuid4().hex[:12]}"
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        # pytest-django's test database, which exists only now that django_db_setup has run.
        "DATABASE_URL": _database_url(connection.settings_dict["NAME"]),
        "CELERY_BROKER_URL": celery_app.conf.broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "LMS_XAPI_ENDPOINT": worker_lrs.url,
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "lms",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "--without-heartbeat",
        "--without-mingle",
        "--without-gossip",
        "--loglevel=INFO",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    worker = Worker(queue=queue, log=log, process=process)
    try:
        worker.wait_until_ready()
        yield worker
    finally:
        # Before django_db_setup's teardown: a connected worker would stop the test database
        # from being dropped.
        worker.stop()
        _forget_queue(queue)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test that used the worker shows the end of the worker's output."""
    report = yield
    worker = getattr(item, "funcargs", {}).get("celery_worker")
    if report.failed and isinstance(worker, Worker):
        report.sections.append(("celery worker output", worker.tail()))
    return report


def _forget_queue(queue: str) -> None:
    """Remove what the worker's queue left in Redis (kombu's key names), so runs leave no trace."""
    url = celery_app.conf.broker_url
    if url.startswith("redis"):
        client = redis.Redis.from_url(url)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    else:
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
