"""`manage.py create_api_token`: the token a service account calls the API with."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PEOPLE = reverse("api-people-list")


@pytest.fixture
def service(db):
    return UserFactory(email="hr.system@example.com", employee_id=None, groups=["HR"])


def token_for(email: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", email, *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_it_prints_a_token_that_authenticates(client, service):
    key, warnings = token_for("hr.system@example.com")

    assert Token.objects.get(user=service).key == key
    assert client.get(PEOPLE, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert warnings == ""


def test_it_prints_the_same_token_when_asked_again(service):
    first, _ = token_for("hr.system@example.com")
    second, _ = token_for("HR.System@example.com")

    assert first == second
    assert Token.objects.filter(user=service).count() == 1


def test_rotating_replaces_the_token_and_the_old_one_stops_working(client, service):
    old, _ = token_for("hr.system@example.com")

    new, _ = token_for("hr.system@example.com", "--rotate")

    assert new != old
    assert client.get(PEOPLE, HTTP_AUTHORIZATION=f"Token {old}").status_code == 401
    assert client.get(PEOPLE, HTTP_AUTHORIZATION=f"Token {new}").status_code == 200


def test_rotating_an_account_without_a_token_makes_one(service):
    key, _ = token_for("hr.system@example.com", "--rotate")

    assert Token.objects.get(user=service).key == key


def test_it_warns_when_the_account_cannot_read_everyone(employee):
    key, warnings = token_for(employee.email)

    assert key
    assert "lms.view_all_people" in warnings


def test_it_refuses_an_unknown_account(db):
    with pytest.raises(CommandError, match="nobody@example.com"):
        token_for("nobody@example.com")
    assert not Token.objects.exists()


def test_it_refuses_a_deactivated_account(service):
    service.is_active = False
    service.save()

    with pytest.raises(CommandError, match="deactivated"):
        token_for("hr.system@example.com")
    assert not Token.objects.exists()
