import pytest
from django.urls import reverse

from tests.integration.helpers import closed_port_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_it_reports_postgres_redis_and_the_broker_ok(client, settings):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "services": {"database": "ok", "cache": "ok", "broker": "ok"},
    }


def test_it_returns_503_naming_the_broker_when_the_broker_is_down(client, monkeypatch):
    # Celery reads CELERY_BROKER_URL from the environment before its configuration, so this
    # points only the broker elsewhere; the cache keeps its own Redis connection.
    monkeypatch.setenv("CELERY_BROKER_URL", closed_port_url())

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "services": {"database": "ok", "cache": "ok", "broker": "unavailable"},
    }
