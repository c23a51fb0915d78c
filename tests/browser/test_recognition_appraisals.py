"""Appraisals in a real browser with the demo organisation: the manager opens their team's
summaries in the closed period, frozen as they were, and one person's full summary."""

import pytest
from playwright.sync_api import expect

from lms.models import User
from recognition.models import AppraisalPeriod
from tests.browser.helpers import log_in, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]


def test_a_manager_reads_their_teams_frozen_summaries(page, demo, console):
    closed = AppraisalPeriod.objects.filter(closed_at__isnull=False).latest("ends_on")
    employee = User.objects.get(email="employee@demo.example")

    log_in(page, "manager@demo.example")
    page.goto("/appraisals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Appraisals")
    assert serious_violations(page) == []
    page.get_by_role("link", name=f"My team in {closed.name}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(closed.name)
    expect(page.get_by_text("Frozen on")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name=employee.get_full_name()).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Appraisal summary of {employee.get_full_name()}"
    )
    expect(page.get_by_role("heading", name="Points by category")).to_be_visible()
    expect(page.get_by_text("Frozen on")).to_be_visible()
    assert serious_violations(page) == []
    assert [line for line in console if "Content Security Policy" in line] == []
