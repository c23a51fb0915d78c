import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from lms.settings.environment import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "lms.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/lms",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def test_a_yes_no_setting_with_a_bad_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("LMS_SELF_SIGNUP", "maybe")
    with pytest.raises(ImproperlyConfigured, match="LMS_SELF_SIGNUP='maybe'"):
        env_bool("LMS_SELF_SIGNUP")


def test_a_number_setting_with_a_bad_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", 25)


def test_lists_are_comma_separated_and_ignore_blanks(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example,,")
    assert env_list("ALLOWED_HOSTS") == ["a.example", "b.example"]


def _check_production(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "lms.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without_each_required_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _check_production(env)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_starts_with_the_required_variables():
    result = _check_production(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
