"""Awareness campaigns in a real browser with the demo organisation: an employee reads a policy
that changed since they acknowledged it, sees what changed and acknowledges it again;
communications follows the reach without seeing names."""

import re

import pytest
from playwright.sync_api import expect

from campaigns.models import Acknowledgement, CampaignPage
from campaigns.services.releases import current_release
from lms.models import User
from tests.browser.helpers import log_in, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]


def test_an_employee_sees_what_changed_in_a_policy_and_acknowledges_it_again(page, demo, console):
    employee = User.objects.get(email="employee@demo.example")
    policy = CampaignPage.objects.get(slug="lockout-tagout-procedure")
    asked = current_release(policy).asks_about
    assert not Acknowledgement.objects.filter(user=employee, revision=asked).exists()

    log_in(page, "employee@demo.example")
    page.get_by_role("link", name=re.compile("^Campaigns")).click()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Lockout–tagout procedure").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lockout–tagout procedure")
    assert serious_violations(page) == []
    page.get_by_role("link", name="See what changed").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("What changed")
    expect(page.locator("ins").first).to_be_visible()
    assert serious_violations(page) == []
    page.go_back()
    page.get_by_role("button", name="I acknowledge this").click()

    expect(page.get_by_text(re.compile("You acknowledged"))).to_be_visible()
    assert Acknowledgement.objects.filter(user=employee, revision=asked).count() == 1
    assert [line for line in console if "Content Security Policy" in line] == []


def test_communications_sees_the_reach_of_a_campaign_without_names(page, demo):
    log_in(page, "comms@demo.example")
    page.get_by_role("link", name="Campaign reach").click()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Our quality policy: what it asks of you").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Our quality policy")
    assert serious_violations(page) == []
    expect(page.get_by_text("Employee Demo")).to_have_count(0)
