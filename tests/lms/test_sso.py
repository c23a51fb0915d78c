"""OpenID Connect single sign-on: configured from LMS_OIDC_*, finds roster people by verified e-mail
and never creates accounts. The provider's answer is built in-process: no network."""

import importlib.util
from pathlib import Path

import pytest
from allauth.core import context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import override_settings
from django.urls import reverse

from lms.models import User
from tests.factories import PASSWORD

BASE_SETTINGS = Path(__file__).resolve().parents[2] / "lms" / "settings" / "base.py"
OIDC_ENV = {
    "LMS_OIDC_SERVER_URL": "https://login.example.org/realms/staff",
    "LMS_OIDC_CLIENT_ID": "iso-learning",
    "LMS_OIDC_CLIENT_SECRET": "s3cret",
    "LMS_OIDC_NAME": "Example Staff Login",
}


def settings_with_env(monkeypatch, env: dict[str, str]) -> dict:
    for name in OIDC_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # A fresh copy of the settings module, evaluated against this environment.
    spec = importlib.util.spec_from_file_location("lms.settings.under_test", BASE_SETTINGS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return vars(module)


@pytest.fixture
def sso_providers(monkeypatch):
    return settings_with_env(monkeypatch, OIDC_ENV)["SOCIALACCOUNT_PROVIDERS"]


@pytest.fixture
def sso(sso_providers):
    with override_settings(SOCIALACCOUNT_PROVIDERS=sso_providers):
        yield


def test_oidc_settings_produce_an_sso_provider(sso_providers):
    (app,) = sso_providers["openid_connect"]["APPS"]

    assert app["provider_id"] == "sso"
    assert app["name"] == "Example Staff Login"
    assert app["client_id"] == "iso-learning"
    assert app["secret"] == "s3cret"
    assert app["settings"]["server_url"] == "https://login.example.org/realms/staff"


def test_without_an_oidc_server_there_is_no_provider(monkeypatch):
    assert settings_with_env(monkeypatch, {})["SOCIALACCOUNT_PROVIDERS"] == {}


def test_the_content_security_policy_lets_the_sso_form_hand_over_to_the_provider(monkeypatch):
    with_sso = settings_with_env(monkeypatch, OIDC_ENV)["CONTENT_SECURITY_POLICY"]
    without = settings_with_env(monkeypatch, {})["CONTENT_SECURITY_POLICY"]

    assert with_sso["DIRECTIVES"]["form-action"] == ["'self'", "https://login.example.org"]
    assert without["DIRECTIVES"]["form-action"] == ["'self'"]


def test_the_login_page_offers_sign_in_with_the_configured_provider(client, db, sso):
    page = client.get(reverse("account_login") + "?next=/cms/").content.decode()

    assert "Sign in with Example Staff Login" in page
    sso_login = reverse("openid_connect_login", kwargs={"provider_id": "sso"})
    assert f'<form method="post" action="{sso_login}?process=login&amp;next=%2Fcms%2F">' in page


def test_without_sso_the_login_page_has_no_sso_button(client, db):
    assert "Sign in with" not in client.get(reverse("account_login")).content.decode()


def oidc_login(rf, *, email: str, email_verified: bool):
    """Run allauth's login flow on what the provider's userinfo endpoint would have answered."""
    request = rf.get("/accounts/oidc/sso/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    with context.request_context(request):
        provider = get_adapter().get_provider(request, "sso")
        claims = {"sub": f"sub-{email}", "email": email, "email_verified": email_verified}
        sociallogin = provider.sociallogin_from_response(request, {"userinfo": claims})
        response = complete_social_login(request, sociallogin)
    return request, response


def test_a_verified_sso_email_signs_in_the_person_on_the_roster(rf, sso, employee):
    request, response = oidc_login(rf, email="Employee@Example.com", email_verified=True)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert request.session[SESSION_KEY] == str(employee.pk)
    assert SocialAccount.objects.filter(user=employee, provider="sso").exists()


def test_an_unverified_sso_email_does_not_sign_in_the_person_with_that_address(rf, sso, employee):
    users_before = User.objects.count()

    request, response = oidc_login(rf, email=employee.email, email_verified=False)

    assert SESSION_KEY not in request.session
    assert "Sign-up is closed" in response.content.decode()
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()
    employee.refresh_from_db()
    assert employee.check_password(PASSWORD)


def test_an_sso_login_for_an_email_not_on_the_roster_creates_no_account(rf, sso, employee):
    users_before = User.objects.count()

    request, response = oidc_login(rf, email="stranger@example.com", email_verified=True)

    assert SESSION_KEY not in request.session
    assert "Sign-up is closed" in response.content.decode()
    assert User.objects.count() == users_before
    assert not User.objects.filter(email="stranger@example.com").exists()


def test_a_deactivated_person_cannot_sign_in_through_sso(rf, sso, employee):
    employee.is_active = False
    employee.save()

    request, response = oidc_login(rf, email=employee.email, email_verified=True)

    assert response["Location"] == reverse("account_inactive")
    assert SESSION_KEY not in request.session
