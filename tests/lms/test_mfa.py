"""Two-factor authentication: anyone may turn it on; HR and administrators must, when required."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

ACTIVATE_URL = reverse("mfa_activate_totp")
enforced = override_settings(LMS_REQUIRE_MFA_FOR_STAFF=True)


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def sign_in(client, email: str):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


@pytest.fixture
def admin(db):
    return UserFactory(email="admin@example.com", is_superuser=True, is_staff=True)


def test_every_person_can_open_the_two_factor_page(client, employee):
    client.force_login(employee)

    response = client.get(reverse("mfa_index"))

    assert response.status_code == 200
    assert "An authenticator app is not active." in response.content.decode()


@override_settings(LMS_REQUIRE_MFA_FOR_STAFF=False)
@pytest.mark.parametrize("persona", ["hr", "admin"])
def test_with_the_rule_off_nobody_is_forced_to_add_an_authenticator(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("home")).status_code == 200


@enforced
@pytest.mark.parametrize("persona", ["hr", "admin"])
@pytest.mark.parametrize("url", ["/", "/hr/people/", "/cms/"])
def test_with_the_rule_on_hr_and_administrators_are_sent_to_add_an_authenticator(
    client, request, persona, url
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE_URL


@enforced
@pytest.mark.parametrize("persona", ["employee", "manager", "comms"])
def test_with_the_rule_on_people_without_hr_rights_are_not_forced(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("home")).status_code == 200


@enforced
@pytest.mark.parametrize(
    "url", [reverse("mfa_index"), reverse("account_change_password"), "/healthz"]
)
def test_with_the_rule_on_account_pages_and_the_health_check_stay_reachable(client, hr, url):
    client.force_login(hr)

    assert client.get(url).status_code == 200


@enforced
def test_with_the_rule_on_hr_with_an_authenticator_app_passes(client, hr):
    TOTP.activate(hr, generate_totp_secret())
    client.force_login(hr)

    assert client.get(reverse("home")).status_code == 200


@enforced
def test_hr_who_activates_totp_through_allauth_can_then_use_the_site(client, hr):
    assert sign_in(client, hr.email)["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == ACTIVATE_URL
    # allauth asks for the password again before a security change, even right after login.
    reauthenticate_url = client.get(ACTIVATE_URL)["Location"]
    assert reauthenticate_url.startswith(reverse("account_reauthenticate"))
    response = client.post(reauthenticate_url, {"password": PASSWORD})
    assert response["Location"] == ACTIVATE_URL
    assert client.get(ACTIVATE_URL).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(ACTIVATE_URL, {"code": current_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=hr, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("home")).status_code == 200


def test_a_person_with_totp_is_asked_for_a_code_at_login_and_gets_in_with_it(client, employee):
    secret = generate_totp_secret()
    TOTP.activate(employee, secret)

    response = sign_in(client, employee.email)

    assert response["Location"] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(employee.pk)


def test_a_wrong_totp_code_keeps_the_person_out(client, employee):
    TOTP.activate(employee, generate_totp_secret())
    sign_in(client, employee.email)

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert SESSION_KEY not in client.session
