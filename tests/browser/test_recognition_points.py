"""Points in a real browser with the demo organisation: HR corrects an entry in an employee's
ledger, and the employee finds the correction, with what it corrects, on their points page."""

import re

import pytest
from playwright.sync_api import expect

from lms.models import User
from recognition.models import PointsEntry
from recognition.services.ledger import award_by_rule
from tests.browser.helpers import log_in, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]


def test_hr_corrects_an_entry_and_the_employee_sees_it_in_their_ledger(page, demo, console):
    employee = User.objects.get(email="employee@demo.example")
    entry = award_by_rule(
        event="suggestion_accepted",
        user_id=employee.pk,
        source=("campaigns.suggestion", 987_654),
        reason="Your suggestion of 3 March 2026 was accepted",
    )

    log_in(page, "hr@demo.example")
    page.goto(f"/recognition/people/{employee.pk}/points/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Points of {employee}")
    assert serious_violations(page) == []
    correction = page.get_by_role("region", name="Correct an entry")
    correction.get_by_role("combobox", name=re.compile("^Entry")).select_option(str(entry.pk))
    correction.get_by_label("Points").fill("-10")
    correction.get_by_label("Reason").fill("Half of it was a colleague's idea")
    correction.get_by_role("button", name="Correct the entry").click()
    expect(page.get_by_text(f"Entry no. {entry.pk} corrected by -10 points.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, "employee@demo.example")
    page.goto("/recognition/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recognition")
    assert serious_violations(page) == []
    row = page.locator("tr", has_text="Half of it was a colleague's idea")
    expect(row).to_contain_text(f"Corrects entry no. {entry.pk}")
    expect(page.locator(f"#entry-{entry.pk}")).to_contain_text(re.compile(r"now 15"))
    assert PointsEntry.objects.filter(corrects=entry, points=-10).count() == 1
    assert [line for line in console if "Content Security Policy" in line] == []
