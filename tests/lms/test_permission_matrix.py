"""Every URL the project defines × every persona → the status each must get.

The rows live in tests/permission_rows/, one module per area. A new URL fails
`test_every_project_url_is_in_the_matrix` until it has its row there.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permission_rows import (
    ANON,
    LOGIN,
    PERSONAS,
    api,
    appraisals,
    campaign_reach,
    campaign_reading,
    certificates,
    competences,
    evidence,
    foundation,
    quizzes,
    recognition_badges,
    recognition_kudos,
    recognition_points,
    reports,
    suggestion_triage,
    suggestions,
    training_reports,
)

AREAS = [
    foundation,
    quizzes,
    certificates,
    competences,
    reports,
    training_reports,
    evidence,
    api,
    suggestions,
    suggestion_triage,
    campaign_reading,
    campaign_reach,
    recognition_points,
    recognition_badges,
    recognition_kudos,
    appraisals,
]
MATRIX = {name: row for area in AREAS for name, row in area.MATRIX.items()}
POST_MATRIX = {name: row for area in AREAS for name, row in area.POST_MATRIX.items()}
# Each row needs only its own area's things: building every area's for every row is most of
# the matrix's time.
AREA_OF = {name: area for area in AREAS for name in (*area.MATRIX, *area.POST_MATRIX)}
PROJECT_APPS = ("lms", "quizzes", "campaigns", "recognition")
# Wagtail's admin (/cms/) has its own permission checks; project views registered there by hook
# are listed here so they get rows too.
PROJECT_ADMIN_URLS = {"lms_roster_import", "quizzes_item_statistics"}


@pytest.fixture
def people_and_things(request, personas):
    area = AREA_OF.get(request.node.callspec.params.get("url_name"), foundation)
    return {**personas, **area.things(personas)}


def _project_url_names(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            if pattern.name and pattern.callback.__module__.startswith(PROJECT_APPS):
                yield pattern.name
        elif isinstance(pattern, URLResolver):
            yield from _project_url_names(pattern.url_patterns)


def test_every_project_url_is_in_the_matrix():
    top_level = {
        pattern.name
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLPattern) and pattern.name
    }
    project_urls = top_level | set(_project_url_names(get_resolver().url_patterns))
    project_urls -= _admin_url_names() - PROJECT_ADMIN_URLS
    assert project_urls == set(MATRIX)


def _admin_url_names():
    from wagtail.admin import urls as wagtailadmin_urls

    return set(_project_url_names(wagtailadmin_urls.urlpatterns))


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
    from tests.lms.factories_training import make_case_study

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
