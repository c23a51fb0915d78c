import pytest
from django.urls import reverse

from lms.services import health

pytestmark = pytest.mark.django_db


def _fail():
    raise ConnectionError("connection refused")


@pytest.fixture
def services_answer(monkeypatch):
    """Every check passes, whatever services this run has: for tests about the view itself."""
    for name in list(health.CHECKS):
        monkeypatch.setitem(health.CHECKS, name, lambda: "ok")


def test_it_reports_every_service_ok(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["services"]) == {"database", "cache", "broker"}
    assert all(state.startswith("ok") for state in body["services"].values())


def test_it_says_tasks_run_in_process_without_a_broker(client, monkeypatch):
    # Celery prefers CELERY_BROKER_URL from the environment to its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", "memory://")

    body = client.get(reverse("healthz")).json()

    assert body["services"]["broker"] == "ok (no broker: tasks run in-process)"


@pytest.mark.parametrize("service", ["database", "cache", "broker"])
def test_it_returns_503_naming_the_service_that_fails(
    client, services_answer, monkeypatch, service
):
    monkeypatch.setitem(health.CHECKS, service, _fail)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["services"] == {
        name: "unavailable" if name == service else "ok" for name in ("database", "cache", "broker")
    }


def test_it_detects_a_cache_that_loses_what_was_written(client, settings):
    # The dummy backend accepts every write and returns nothing.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["services"]["cache"] == "unavailable"


def test_it_is_reachable_without_logging_in(client, services_answer):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert "Location" not in response


def test_it_is_never_cached(client, services_answer):
    response = client.get(reverse("healthz"))

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_answers_get(client, services_answer, method):
    response = getattr(client, method)(reverse("healthz"))

    assert response.status_code == 405
    assert response["Allow"] == "GET"
