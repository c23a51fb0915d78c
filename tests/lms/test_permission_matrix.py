"""Every URL the project defines × every persona → the status each must get.

A new URL fails `test_every_project_url_is_in_the_matrix` until it has its row here.
"""

import pytest
from django.urls import URLPattern, get_resolver, reverse

ANON = "anonymous"
PERSONAS = [ANON, "employee", "manager", "other_manager", "hr", "comms", "outsider"]
LOGIN = "login"  # a redirect to the login page


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def signed_in(status, **overrides):
    return {ANON: LOGIN, **dict.fromkeys(PERSONAS[1:], status), **overrides}


# url name → (how to build its arguments from the personas, expected status per persona)
MATRIX = {
    "healthz": (None, everyone(200)),
    "home": (None, signed_in(200)),
    "my_team": (None, signed_in(403, manager=200, other_manager=200)),
    "person_detail": (
        lambda p: [p["employee"].pk],
        signed_in(403, employee=200, manager=200, hr=200),
    ),
    "hr_people": (None, signed_in(403, hr=200)),
    "cms_login": (None, everyone(302)),
    "lms_roster_import": (None, signed_in(403, hr=200)),
}
# Wagtail sends a signed-in person without CMS access back to its login with a message.
MATRIX["lms_roster_import"][1].update(employee=302, manager=302, other_manager=302, outsider=302)


def test_every_project_url_is_in_the_matrix():
    project_urls = {
        pattern.name
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLPattern) and pattern.name
    }
    project_urls.add("lms_roster_import")
    assert project_urls == set(MATRIX)


def _cases():
    for name, (args, expected) in MATRIX.items():
        for persona in PERSONAS:
            yield pytest.param(name, args, persona, expected[persona], id=f"{name}-{persona}")


@pytest.mark.parametrize(("url_name", "args", "persona", "expected"), list(_cases()))
def test_each_persona_gets_the_expected_status(client, personas, url_name, args, persona, expected):
    url = reverse(url_name, args=args(personas) if args else None)
    if persona != ANON:
        client.force_login(personas[persona])
    response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, f"{persona} on {url}"
