import pytest
from django.urls import reverse

from quizzes.services.papers import bank
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db


def test_hr_finds_quizzes_in_the_cms_menu_and_listing(client, hr):
    make_quiz(title="Document control", pass_mark_percent=70, max_attempts=None)
    client.force_login(hr)
    assert "Quizzes" in client.get(reverse("wagtailadmin_home")).content.decode()
    html = client.get(reverse("wagtailsnippets_quizzes_quiz:list")).content.decode()
    assert "Document control" in html
    assert "Pass mark (%)" in html
    assert "Unlimited" in html


def test_the_listing_searches_by_title(client, hr):
    make_quiz(title="Document control")
    make_quiz(title="Forklift safety")
    client.force_login(hr)
    html = client.get(
        reverse("wagtailsnippets_quizzes_quiz:list"), {"q": "forklift"}
    ).content.decode()
    assert "Forklift safety" in html
    assert "Document control" not in html


def test_hr_can_inspect_a_quiz(client, hr):
    quiz = make_quiz(title="Document control")
    client.force_login(hr)
    response = client.get(reverse("wagtailsnippets_quizzes_quiz:inspect", args=[quiz.pk]))
    assert response.status_code == 200
    assert "Document control" in response.content.decode()


def test_saving_a_quiz_keeps_a_revision(hr):
    quiz = make_quiz()
    revision = quiz.save_revision(user=hr)
    quiz.refresh_from_db()
    assert quiz.latest_revision == revision
    assert bank(revision.as_object()) == bank(quiz)
