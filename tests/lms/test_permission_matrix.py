"""Every URL the project defines × every persona → the status each must get.

A new URL fails `test_every_project_url_is_in_the_matrix` until it has its row here.
"""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from tests.lms.factories_training import make_assignment, make_case_study, make_module

ANON = "anonymous"
PERSONAS = [ANON, "employee", "manager", "other_manager", "hr", "comms", "outsider"]
LOGIN = "login"  # a redirect to the login page


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def signed_in(status, **overrides):
    return {ANON: LOGIN, **dict.fromkeys(PERSONAS[1:], status), **overrides}


# url name → (how to build its arguments, expected status per persona) for a GET
MATRIX = {
    "healthz": (None, everyone(200)),
    "home": (None, signed_in(200)),
    "my_team": (None, signed_in(403, manager=302, other_manager=302)),
    "person_detail": (
        lambda p: [p["employee"].pk],
        signed_in(403, employee=200, manager=200, hr=200),
    ),
    "hr_people": (None, signed_in(403, hr=200)),
    "cms_login": (None, everyone(302)),
    "lms_roster_import": (None, signed_in(403, hr=200)),
    "my_learning": (None, signed_in(200)),
    "my_team_learning": (None, signed_in(403, manager=200, other_manager=200)),
    "notifications": (None, signed_in(200)),
    "assign_module": (None, signed_in(403, manager=200, other_manager=200, hr=200)),
    "search": (None, signed_in(200)),
    "training_catalogue": (None, signed_in(302)),
    # POST-only actions answer a GET with 405; their POST rows are in POST_MATRIX.
    "send_team_reminder": (lambda p: [p["employee"].pk], signed_in(405)),
    "module_section_done": (
        lambda p: [p["module"].pk, p["module"].section_ids()[0]],
        signed_in(405),
    ),
}
# Wagtail sends a signed-in person without CMS access back to its login with a message.
MATRIX["lms_roster_import"][1].update(employee=302, manager=302, other_manager=302, outsider=302)

POST_MATRIX = {
    "send_team_reminder": (lambda p: [p["employee"].pk], signed_in(403, manager=302)),
    "module_section_done": (
        lambda p: [p["module"].pk, p["module"].section_ids()[0]],
        signed_in(302),
    ),
}


@pytest.fixture
def people_and_things(personas):
    module = make_module()
    make_assignment(user=personas["employee"], module=module)
    return {**personas, "module": module}


def test_every_project_url_is_in_the_matrix():
    project_urls = {
        pattern.name
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLPattern) and pattern.name
    }
    project_urls.add("lms_roster_import")
    assert project_urls == set(MATRIX)


def _cases(matrix):
    for name, (args, expected) in matrix.items():
        for persona in PERSONAS:
            yield pytest.param(name, args, persona, expected[persona], id=f"{name}-{persona}")


def _request(client, method, people_and_things, url_name, args, persona):
    url = reverse(url_name, args=args(people_and_things) if args else None)
    if persona != ANON:
        client.force_login(people_and_things[persona])
    return getattr(client, method)(url)


def _assert_status(response, expected, persona):
    where = f"{persona} on {response.request['PATH_INFO']}"
    if expected == LOGIN:
        assert response.status_code == 302, where
        assert response["Location"].startswith(reverse("account_login")), where
    else:
        assert response.status_code == expected, where


@pytest.mark.parametrize(("url_name", "args", "persona", "expected"), list(_cases(MATRIX)))
def test_each_persona_gets_the_expected_status(
    client, people_and_things, url_name, args, persona, expected
):
    response = _request(client, "get", people_and_things, url_name, args, persona)
    _assert_status(response, expected, persona)


@pytest.mark.parametrize(("url_name", "args", "persona", "expected"), list(_cases(POST_MATRIX)))
def test_each_persona_gets_the_expected_status_for_actions(
    client, people_and_things, url_name, args, persona, expected
):
    response = _request(client, "post", people_and_things, url_name, args, persona)
    _assert_status(response, expected, persona)


@pytest.mark.parametrize("page", ["catalogue", "module", "case study index", "case study"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_training_pages_need_a_login_and_are_open_to_every_signed_in_person(
    client, people_and_things, page, persona
):
    module = people_and_things["module"]
    study = make_case_study()
    url = {
        "catalogue": module.get_parent().url,
        "module": module.url,
        "case study index": study.get_parent().url,
        "case study": study.url,
    }[page]
    if persona != ANON:
        client.force_login(people_and_things[persona])
    _assert_status(client.get(url), LOGIN if persona == ANON else 200, persona)
