"""Searching live modules and case studies, filtered by standard and by management level."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.models import ManagementLevel
from tests.lms.factories_training import (
    make_case_study,
    make_clause,
    make_module,
    make_standard,
    md,
    section,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    quality = make_standard(name="ISO 9001:2015")
    safety = make_standard(name="ISO 45001:2018")
    return {
        "quality": quality,
        "safety": safety,
        "audit": make_module(
            title="Internal audit basics",
            summary="How an auditor checks the process.",
            clauses=[make_clause(standard=quality, number="9.2", title="Internal audit")],
        ),
        "hazards": make_module(
            title="Hazard reporting",
            summary="Report near misses the same shift.",
            audience_levels=[ManagementLevel.STAFF],
            clauses=[make_clause(standard=safety, number="6.1.2", title="Hazards")],
            body=[section("Forklifts", md("A forklift near miss is reported too."))],
        ),
        "leading": make_module(
            title="Leading the system",
            summary="For managers who prepare their team for an audit.",
            audience_levels=[ManagementLevel.MIDDLE],
            clauses=[make_clause(standard=quality, number="5.1", title="Leadership")],
        ),
        "draft": make_module(title="Audit draft", summary="Not published.", live=False),
        "study": make_case_study(
            title="Audit findings closed on time",
            summary="Fewer overdue actions.",
            standard=quality,
        ),
        "safety_study": make_case_study(
            title="Near misses reported", summary="A forklift story.", standard=safety
        ),
    }


def search(client, user, **params):
    client.force_login(user)
    return client.get(reverse("search"), params)


def found(response):
    outcome = response.context["outcome"]
    return {m.title for m in outcome.modules} | {c.title for c in outcome.case_studies}


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("search"), {"q": "audit"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_without_a_query_or_filter_it_shows_the_form_and_an_invitation(client, employee):
    response = search(client, employee)
    assert response.status_code == 200
    assert response.context["outcome"] is None
    assert "Type a word" in response.content.decode()


def test_it_finds_live_modules_and_case_studies_by_title_summary_and_body(
    client, employee, content
):
    assert found(search(client, employee, q="audit")) == {
        "Internal audit basics",
        "Leading the system",
        "Audit findings closed on time",
    }
    assert found(search(client, employee, q="forklift")) == {
        "Hazard reporting",
        "Near misses reported",
    }


def test_it_filters_by_standard(client, employee, content):
    response = search(client, employee, q="audit", standard=content["safety"].pk)
    assert found(response) == set()
    response = search(client, employee, standard=content["safety"].pk)
    assert found(response) == {"Hazard reporting", "Near misses reported"}


def test_the_level_filter_narrows_modules_to_those_for_that_level(client, employee, content):
    response = search(client, employee, q="audit", level="staff")
    assert {m.title for m in response.context["outcome"].modules} == {"Internal audit basics"}
    response = search(client, employee, level="middle")
    assert {m.title for m in response.context["outcome"].modules} == {
        "Internal audit basics",
        "Leading the system",
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"standard": "999999"}, "Choose a standard from the list."),
        ({"standard": "not-a-number"}, "Choose a standard from the list."),
        ({"level": "janitor"}, "Choose a management level from the list."),
        ({"q": "x" * 201}, "at most 200 characters"),
    ],
)
def test_a_bad_filter_gets_a_clear_message_and_no_results(
    client, employee, content, params, message
):
    response = search(client, employee, **params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["outcome"] is None


def test_drafts_never_appear(client, employee, content):
    assert "Audit draft" not in found(search(client, employee, q="draft audit"))
    assert "Audit draft" not in search(client, employee, q="draft").content.decode()


def test_its_queries_are_fixed_whatever_the_number_of_results(
    client, employee, content, django_assert_max_num_queries
):
    params = {"q": "audit", "standard": content["quality"].pk}
    search(client, employee, **params)
    with CaptureQueriesContext(connection) as baseline:
        search(client, employee, **params)
    for more in (2, 8):
        for n in range(more):
            make_module(
                title=f"Audit module {n}",
                clauses=[make_clause(standard=content["quality"])],
            )
            make_case_study(title=f"Audit study {n}", standard=content["quality"])
        with django_assert_max_num_queries(len(baseline)):
            response = search(client, employee, **params)
        assert len(response.context["outcome"].modules) >= more
