"""The "you said, we did" page: accepted and done suggestions, for all, never with authors."""

from datetime import date

import pytest
from django.urls import reverse

from campaigns.models import Suggestion
from tests.factories import UserFactory

Status = Suggestion.Status
# The session and the person; the header's manager check, permissions (2) and unread count; then
# the count and the page.
YOU_SAID_WE_DID_QUERIES = 8


def _suggestion(*, status=Status.ACCEPTED, owner=None, **fields):
    answer = {}
    if status in (Status.ACCEPTED, Status.DONE):
        answer = {"owner": owner or UserFactory(), "action": "Fit the new guard."}
    if status == Status.DONE:
        answer["outcome"] = "Guard fitted on every press."
    if status == Status.DECLINED:
        answer["decline_reason"] = "Already covered by the lockout procedure."
    return Suggestion.objects.create(
        **{"category": "safety", "text": "Guard the press", "status": status, **answer, **fields}
    )


@pytest.fixture
def owner(db):
    return UserFactory()


def test_only_accepted_and_done_suggestions_are_listed(client, employee, owner):
    for status in Status.values:
        _suggestion(status=status, text=f"Idea that is {status}", owner=owner)
    client.force_login(employee)
    page = client.get(reverse("you_said_we_did")).content.decode()
    assert "Idea that is accepted" in page
    assert "Idea that is done" in page
    for hidden in ("new", "under_review", "declined"):
        assert f"Idea that is {hidden}" not in page
    assert "Fit the new guard." in page
    assert "Guard fitted on every press." in page
    assert ">Accepted</span>" in page and ">Done</span>" in page


def test_the_author_is_never_shown_even_for_a_signed_suggestion(client, employee, manager):
    signed = _suggestion(
        status=Status.DONE,
        author=manager,
        department=manager.department,
        text="A signed idea",
        owner=manager,
        submitted_on=date(2024, 2, 29),
        status_changed_on=date(2025, 6, 2),
    )
    client.force_login(employee)
    response = client.get(reverse("you_said_we_did"))
    page = response.content.decode()
    assert "A signed idea" in page
    for trace in (manager.email, manager.first_name, manager.last_name, manager.employee_id):
        assert trace not in page
    # Not even the department or the day it was sent, which could point to who sent it.
    assert manager.department.name not in page
    assert "29 February 2024" not in page
    assert "2 June 2025" in page
    # The author is never read from the database for this page.
    (shown, _html) = response.context["entries"][0]
    assert shown.pk == signed.pk
    assert "author_id" in shown.get_deferred_fields()


def test_the_list_can_be_narrowed_to_a_category(client, employee, owner):
    _suggestion(category="safety", text="About safety", owner=owner)
    _suggestion(category="environment", text="About the environment", owner=owner)
    client.force_login(employee)
    page = client.get(reverse("you_said_we_did"), {"category": "environment"}).content.decode()
    assert "About the environment" in page
    assert "About safety" not in page


def test_an_unknown_category_is_refused_with_a_message(client, employee, owner):
    _suggestion(owner=owner)
    client.force_login(employee)
    response = client.get(reverse("you_said_we_did"), {"category": "gossip"})
    assert response.status_code == 400
    assert "Choose a category from the list." in response.content.decode()
    assert response.context["entries"] == []


def test_the_list_is_paginated_by_25_and_keeps_the_filter(client, employee, owner):
    for number in range(30):
        _suggestion(category="quality", text=f"Quality idea {number}", owner=owner)
    _suggestion(category="safety", text="Safety idea", owner=owner)
    client.force_login(employee)
    first = client.get(reverse("you_said_we_did"), {"category": "quality"})
    assert len(first.context["entries"]) == 25
    assert first.context["page"].paginator.count == 30
    assert "?category=quality&amp;page=2" in first.content.decode()
    second = client.get(reverse("you_said_we_did"), {"category": "quality", "page": 2})
    assert len(second.context["entries"]) == 5
    assert "Safety idea" not in second.content.decode()


def test_markdown_in_suggestions_is_sanitised(client, employee, owner):
    _suggestion(
        text="**Bold** idea <script>alert('x')</script> [link](javascript:alert(1))", owner=owner
    )
    client.force_login(employee)
    page = client.get(reverse("you_said_we_did")).content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert" not in page
    assert "javascript:" not in page


def test_the_page_runs_the_same_queries_however_many_suggestions_there_are(
    client, employee, owner, django_assert_max_num_queries
):
    def add(count):
        for number in range(count):
            _suggestion(
                status=Status.DONE if number % 2 else Status.ACCEPTED,
                author=employee if number % 3 else None,
                department=employee.department,
                owner=owner,
                text=f"Idea {number}",
            )

    client.force_login(employee)
    add(3)
    client.get(reverse("you_said_we_did"))  # warm the per-process caches
    with django_assert_max_num_queries(YOU_SAID_WE_DID_QUERIES):
        assert client.get(reverse("you_said_we_did")).status_code == 200
    add(60)
    with django_assert_max_num_queries(YOU_SAID_WE_DID_QUERIES):
        response = client.get(reverse("you_said_we_did"), {"category": "safety", "page": 2})
    assert len(response.context["entries"]) == 25
