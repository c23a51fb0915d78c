"""Points in the CMS: HR edits the rules (nobody deletes one) and reads the ledger."""

import pytest
from django.urls import reverse

from recognition.models import PointsEntry, PointsRule
from recognition.services.ledger import adjust_points, award_by_rule
from tests.factories import UserFactory
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db


def edit_url(rule):
    return reverse("wagtailsnippets_recognition_pointsrule:edit", args=[rule.pk])


def rule_form(rule, **changes):
    data = {
        "event": rule.event,
        "points": rule.points,
        "bonus_points": rule.bonus_points,
        "weekly_cap": rule.weekly_cap or "",
        "is_active": "on" if rule.is_active else "",
        "description": rule.description,
    }
    return {**data, **changes}


def test_hr_edits_a_rule_in_the_cms_and_the_next_payment_follows_it(client, hr, employee):
    rule = PointsRule.objects.get(event="quiz_passed")
    client.force_login(hr)

    response = client.post(edit_url(rule), rule_form(rule, points="12", weekly_cap="30"))

    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.points, rule.weekly_cap) == (12, 30)
    entry = award_by_rule(
        event="quiz_passed", user_id=employee.pk, source=make_quiz(), reason="Passed"
    )
    assert entry.points == 12


def test_an_employee_cannot_reach_the_rules_or_the_ledger(client, employee):
    rule = PointsRule.objects.get(event="quiz_passed")
    client.force_login(employee)

    for url in [
        edit_url(rule),
        reverse("wagtailsnippets_recognition_pointsrule:list"),
        reverse("points_ledger:index"),
    ]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert (
            response.status_code == 403
            or "/cms/login" in response["Location"]
            or (reverse("account_login") in response["Location"])
        )
    response = client.post(edit_url(rule), rule_form(rule, points="500"))
    rule.refresh_from_db()
    assert rule.points == 10


def test_nobody_deletes_a_rule_not_even_a_superuser(client, hr):
    rule = PointsRule.objects.get(event="quiz_passed")
    admin = UserFactory(is_superuser=True, is_staff=True)
    delete_url = reverse("wagtailsnippets_recognition_pointsrule:delete", args=[rule.pk])

    for person in (hr, admin):
        client.force_login(person)
        assert client.post(delete_url).status_code in (302, 403)
        assert delete_url not in client.get(edit_url(rule)).content.decode()
    assert PointsRule.objects.filter(pk=rule.pk).exists()


def test_hr_lists_the_ledger_by_category_and_finds_a_person(client, hr):
    alice = UserFactory(first_name="Alice", last_name="Archer")
    bob = UserFactory(first_name="Bob", last_name="Baker")
    award_by_rule(event="quiz_passed", user_id=alice.pk, source=make_quiz(), reason="Quiz A")
    adjust_points(user=bob, points=7, reason="Helped the audit", by=hr)
    client.force_login(hr)
    index = reverse("points_ledger:index")

    everything = client.get(index).content.decode()
    adjustments = client.get(index, {"category": "adjustment"}).content.decode()
    found = client.get(index, {"q": "Archer"}).content.decode()

    assert "Quiz A" in everything and "Helped the audit" in everything
    assert "Helped the audit" in adjustments and "Quiz A" not in adjustments
    assert "Quiz A" in found and "Helped the audit" not in found
    entry = PointsEntry.objects.get(user=alice)
    assert client.get(reverse("points_ledger:inspect", args=[entry.pk])).status_code == 200
