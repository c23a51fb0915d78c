"""Signing in, out, resetting and changing passwords, sign-up, and leavers, through allauth."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from lms.models import User
from tests.factories import PASSWORD

LOGIN_URL = reverse("account_login")
NEW_PASSWORD = "a-much-longer-passphrase-42"


def sign_in(client, email: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN_URL, {"login": email, "password": password, **extra})


def signed_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


def test_a_person_signs_in_with_their_email_and_lands_on_their_learning(client, employee):
    response = sign_in(client, "Employee@Example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(employee.pk)


def test_a_wrong_password_is_refused_with_a_visible_error(client, employee):
    response = sign_in(client, employee.email, "not-the-password")

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "email address and/or password you specified are not correct" in page


def test_the_login_page_renders_inside_the_site_layout_with_labelled_fields(client, db):
    page = client.get(LOGIN_URL).content.decode()

    assert '<a class="skip-link" href="#main">' in page
    assert "<h1>Sign in</h1>" in page
    assert '<label for="id_login">Email</label>' in page
    assert '<label for="id_password">Password</label>' in page
    assert reverse("account_reset_password") in page


def test_signing_out_ends_the_session(client, employee):
    client.force_login(employee)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert signed_in_user_id(client) is None
    assert client.get(reverse("home"))["Location"].startswith(LOGIN_URL)


def test_a_forgotten_password_is_reset_through_the_emailed_link(client, employee):
    response = client.post(reverse("account_reset_password"), {"email": employee.email})
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [employee.email]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)

    form_url = client.get(link.group(1))["Location"]
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response["Location"] == reverse("account_reset_password_from_key_done")
    employee.refresh_from_db()
    assert employee.check_password(NEW_PASSWORD)
    assert not employee.check_password(PASSWORD)


def test_a_password_reset_for_an_unknown_address_looks_the_same_and_changes_nothing(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert response["Location"] == reverse("account_reset_password_done")
    assert "/accounts/password/reset/key/" not in "".join(m.body for m in mail.outbox)


def test_a_signed_in_person_changes_their_password_and_stays_signed_in(client, employee):
    sign_in(client, employee.email)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200


def test_a_password_change_with_the_wrong_current_password_shows_the_error(client, employee):
    client.force_login(employee)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"<h1>\s*Change Password\s*</h1>", page)
    assert '<ul class="errorlist" id="id_oldpassword_error">' in page
    assert "Please type your current password." in page
    employee.refresh_from_db()
    assert employee.check_password(PASSWORD)


def test_sign_up_is_closed_by_default(client, db):
    response = client.get(reverse("account_signup"))

    assert "Sign-up is closed" in response.content.decode()
    assert "<form" not in response.content.decode().split('id="main"')[1]


def test_posting_to_a_closed_sign_up_creates_nobody(client, db):
    client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert not User.objects.filter(email="new@example.com").exists()


def test_the_login_page_only_offers_sign_up_when_it_is_open(client, db):
    assert reverse("account_signup") not in client.get(LOGIN_URL).content.decode()
    with override_settings(LMS_SELF_SIGNUP=True):
        assert reverse("account_signup") in client.get(LOGIN_URL).content.decode()


@override_settings(LMS_SELF_SIGNUP=True)
def test_with_self_sign_up_on_a_new_person_can_create_an_account(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    person = User.objects.get(email="new@example.com")
    assert person.check_password(NEW_PASSWORD)
    assert signed_in_user_id(client) == str(person.pk)


def test_a_deactivated_person_cannot_sign_in_and_is_told_their_account_is_deactivated(
    client, employee
):
    employee.is_active = False
    employee.save()

    response = sign_in(client, employee.email)

    assert response["Location"] == reverse("account_inactive")
    assert signed_in_user_id(client) is None
    page = client.get(response["Location"]).content.decode()
    assert "This account is deactivated" in page


def test_a_deactivated_person_with_a_wrong_password_learns_nothing_about_the_account(
    client, employee
):
    employee.is_active = False
    employee.save()

    response = sign_in(client, employee.email, "not-the-password")

    assert response.status_code == 200
    assert "deactivated" not in response.content.decode()


def test_a_deactivated_person_is_logged_out_on_their_next_request(client, employee):
    sign_in(client, employee.email)
    assert client.get(reverse("home")).status_code == 200

    User.objects.filter(pk=employee.pk).update(is_active=False)
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/"


@pytest.mark.parametrize("wrong_attempts, locked", [(4, False), (5, True)])
def test_repeated_failed_logins_for_one_email_lock_out_even_the_right_password(
    client, employee, wrong_attempts, locked
):
    for _ in range(wrong_attempts):
        sign_in(client, employee.email, "guess")

    response = sign_in(client, employee.email)

    if locked:
        assert response.status_code == 200
        assert "Too many failed login attempts. Try again later." in response.content.decode()
        assert signed_in_user_id(client) is None
    else:
        assert signed_in_user_id(client) == str(employee.pk)
