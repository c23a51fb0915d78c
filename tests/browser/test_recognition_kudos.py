"""Kudos in a real browser with the demo organisation: an employee finds a teammate, thanks
them for a concrete contribution, and sees it on their own list and on the wall; their line
manager then finds it among the team's kudos, and looks at the leaderboards."""

import re

import pytest
from playwright.sync_api import expect

from lms.models import User
from recognition.models import Kudos, PointsEntry
from tests.browser.helpers import log_in, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]

MESSAGE = "Spotted the worn guard on press 3 and stopped the line until it was replaced."


def test_an_employee_thanks_a_teammate_and_their_manager_sees_it(page, demo, console):
    teammate = (
        User.objects.filter(manager__email="manager@demo.example", is_active=True)
        .exclude(email="employee@demo.example")
        .exclude(employee_id=None)
        .order_by("email")
        .first()
    )
    name = teammate.get_full_name()

    log_in(page, "employee@demo.example")
    page.goto("/recognition/kudos/send/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Send kudos")
    page.get_by_label("Find a colleague").fill(teammate.email)
    page.get_by_role("button", name="Search").click()
    assert serious_violations(page) == []
    page.get_by_role("link", name=f"Send kudos to {name}").click()

    expect(page.get_by_role("heading", name=re.compile(f"Kudos for {name}"))).to_be_visible()
    page.get_by_role("button", name="Send kudos").click()  # nothing chosen yet
    expect(page.get_by_role("alert")).to_contain_text("Choose the value")
    assert serious_violations(page) == []
    page.get_by_label("Health and safety").check()
    page.get_by_label("What did they do?").fill(MESSAGE)
    page.get_by_role("button", name="Send kudos").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My kudos")
    expect(page.get_by_text(f"Your kudos are on their way to {name}.")).to_be_visible()
    expect(page.get_by_role("cell", name=MESSAGE)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Recognition wall").click()
    expect(page.get_by_text(MESSAGE)).to_be_visible()
    assert serious_violations(page) == []
    kudos = Kudos.objects.get(receiver=teammate, message=MESSAGE)
    assert PointsEntry.objects.filter(user=teammate, source_id=kudos.pk).exists()

    page.context.clear_cookies()
    log_in(page, "manager@demo.example")
    page.goto("/recognition/kudos/team/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kudos received by your team")
    expect(page.get_by_role("cell", name=MESSAGE)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Leaderboards").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leaderboards: ")
    expect(page.get_by_role("heading", name="Your direct reports")).to_be_visible()
    assert serious_violations(page) == []
    assert [line for line in console if "Content Security Policy" in line] == []
