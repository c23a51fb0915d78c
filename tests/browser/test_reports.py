"""HR's reports in a real browser with the demo organisation: from the landing page to the
competence matrix and its download, the gap analysis's assign button, a person's competence file
and an audit evidence pack; and a manager seeing only their own team."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from lms.models import Assignment, IsoClause, User
from lms.selectors.people import report_ids
from tests.browser.helpers import log_in, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]


def test_hr_filters_the_matrix_and_downloads_exactly_the_rows_on_screen(page, demo, console):
    log_in(page, "hr@demo.example")
    page.get_by_role("link", name="Reports").click()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Competence matrix").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Competence matrix")

    page.get_by_role("combobox", name="Department").select_option(label="Production")
    page.get_by_role("combobox", name="Status").select_option(label="Expired")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"status=expired"))
    names = page.locator("table.matrix tbody th[scope=row]").all_inner_texts()
    assert names
    assert any("Employee Demo" in name for name in names)
    assert serious_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").first.click()
    lines = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == len(names) + 1
    assert [line for line in console if "Content Security Policy" in line] == []


def test_hr_assigns_the_module_that_closes_a_gap(page, demo):
    log_in(page, "hr@demo.example")
    page.goto("/reports/gaps/")
    assert serious_violations(page) == []
    managing_director = User.objects.get(job_role__name="Managing Director")
    module = "Leading the management system in your team"
    assert not Assignment.objects.filter(user=managing_director, module__title=module).exists()

    page.get_by_role(
        "button", name=re.compile(f"^Assign {module} .*Executive Office, Managing Director")
    ).click()

    expect(page.get_by_text(re.compile(f"Assigned .{module}. to 1 person"))).to_be_visible()
    assert Assignment.objects.filter(
        user=managing_director, module__title=module, status=Assignment.Status.OPEN
    ).exists()


def test_hr_opens_a_persons_competence_file_and_downloads_an_evidence_pack(page, demo):
    employee = User.objects.get(email="employee@demo.example")
    log_in(page, "hr@demo.example")
    page.goto(f"/people/{employee.pk}/competences/")
    page.get_by_role("link", name=re.compile("competence file", re.I)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Employee Demo")
    assert serious_violations(page) == []

    page.goto("/reports/evidence-pack/")
    assert serious_violations(page) == []
    clause = IsoClause.objects.select_related("standard").get(
        standard__name__startswith="ISO 9001", number="7.2"
    )
    page.get_by_label("Standard").select_option(label=str(clause.standard))
    page.get_by_label("Clause").select_option(label=str(clause))
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Download")).click()
    pack = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert pack.testzip() is None
    assert {"requirement-matrix.csv", "records.csv", "manifest.json", "SHA256SUMS"} <= set(
        pack.namelist()
    )


def test_a_manager_sees_only_their_team_in_the_matrix(page, demo):
    manager = User.objects.get(email="manager@demo.example")
    team = {str(person) for person in User.objects.filter(pk__in=report_ids(manager=manager))}
    log_in(page, "manager@demo.example")
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("link", name="Audit evidence pack")).to_have_count(0)
    page.get_by_role("link", name="Competence matrix").click()

    names = set(page.locator("table.matrix tbody th[scope=row]").all_inner_texts())
    assert names
    assert {name.strip() for name in names} <= team
    assert serious_violations(page) == []
