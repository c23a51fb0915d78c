"""Badges in a real browser with the demo organisation: an employee finds a badge they earned,
shares it, and someone not signed in opens its public page and its Open Badges assertion."""

import re

import pytest
from playwright.sync_api import expect

from lms.models import User
from recognition.models import BadgeAward, BadgeCriterion
from recognition.services.badges import evaluate_badges
from tests.browser.helpers import log_in, serious_violations
from tests.recognition.factories import BadgeFactory, KudosFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]


def test_an_employee_shares_a_badge_and_anyone_can_check_it(
    page, demo, browser, live_server, console
):
    employee = User.objects.get(email="employee@demo.example")
    colleague = User.objects.get(email="manager@demo.example")
    BadgeFactory(
        name="Appreciated by colleagues",
        slug="appreciated-by-colleagues",
        criterion=BadgeCriterion.KUDOS_RECEIVED,
        threshold=1,
        criteria_narrative="Receive kudos from a colleague.",
    )
    # The kudos trigger the evaluation that awards the badge.
    KudosFactory(receiver=employee, sender=colleague)
    award = BadgeAward.objects.get(user=employee, badge__slug="appreciated-by-colleagues")
    assert evaluate_badges(user_id=employee.pk) == []

    log_in(page, "employee@demo.example")
    page.goto("/recognition/badges/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My badges")
    expect(page.get_by_role("heading", name="Appreciated by colleagues")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Share “Appreciated by colleagues” publicly").click()

    expect(page.get_by_text(re.compile("Anyone with the link can now see"))).to_be_visible()
    award.refresh_from_db()
    assert award.is_public
    public_url = page.get_by_role(
        "link", name="public page of “Appreciated by colleagues”"
    ).get_attribute("href")
    assert public_url == f"/badges/{award.uid}/"

    stranger = browser.new_context(base_url=live_server.url)
    try:
        public = stranger.new_page()
        public.goto(public_url)
        expect(public.get_by_role("heading", level=1)).to_have_text("Appreciated by colleagues")
        expect(public.get_by_text(re.compile(r"Awarded to \w+ \w\."))).to_be_visible()
        assert serious_violations(public) == []
        with public.expect_response(re.compile(r"/badges/assertions/.*\.json$")) as answer:
            public.get_by_role("link", name=re.compile("Open Badges assertion")).click()
        assertion = answer.value.json()
        assert assertion["type"] == "Assertion"
        assert assertion["recipient"]["hashed"] is True
    finally:
        stranger.close()

    page.get_by_role("button", name="Stop sharing “Appreciated by colleagues”").click()
    assert not BadgeAward.objects.get(pk=award.pk).is_public
    assert [line for line in console if "Content Security Policy" in line] == []
