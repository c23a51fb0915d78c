"""Is each service the platform depends on answering?"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection

from lms.celery import app as celery_app

logger = logging.getLogger(__name__)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    token = uuid.uuid4().hex
    cache.set("healthz", token, 10)
    if cache.get("healthz") != token:
        raise RuntimeError("the cache did not return what was written")
    return "ok"


def check_broker() -> str:
    if celery_app.conf.broker_url.startswith("memory://"):
        return "ok (no broker: tasks run in-process)"
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def service_states() -> dict[str, str]:
    states = {}
    for name, check in CHECKS.items():
        try:
            states[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure means the service is down
            logger.warning("health check %s failed: %r", name, error)
            states[name] = "unavailable"
    return states
