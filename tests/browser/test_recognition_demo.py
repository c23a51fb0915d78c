"""The demo's recognition in a real browser: the demo manager opens their team's appraisal
summaries for the closed quarter and reads what a report was thanked for."""

import re

import pytest
from playwright.sync_api import expect

from recognition.models import AppraisalPeriod, Kudos
from tests.browser.helpers import log_in, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]


def test_the_demo_manager_reads_a_reports_frozen_summary_of_the_last_quarter(page, demo, console):
    closed = AppraisalPeriod.objects.get(closed_at__isnull=False)
    thanked = (
        Kudos.objects.filter(
            receiver__email="employee@demo.example",
            created_at__date__gte=closed.starts_on,
            created_at__date__lte=closed.ends_on,
        )
        .order_by("created_at")
        .first()
    )
    assert thanked is not None, "the demo employee was thanked in the closed quarter"

    log_in(page, "manager@demo.example")
    page.goto("/appraisals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Appraisals")
    page.get_by_role("link", name=f"My team in {closed.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(closed.name)
    assert serious_violations(page) == []
    page.get_by_role("link", name="Employee Demo").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Appraisal summary of Employee Demo")
    expect(page.get_by_text(re.compile("Frozen on", re.IGNORECASE)).first).to_be_visible()
    expect(page.get_by_text(thanked.message)).to_be_visible()
    assert serious_violations(page) == []
    assert [line for line in console if "Content Security Policy" in line] == []
