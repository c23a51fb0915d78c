"""A quiz failed and retaken, the competences it records, and a certificate checked publicly, in a
real browser with the demo organisation."""

import re

import pytest
from playwright.sync_api import expect

from lms.models import Completion, EffectivenessCheck, TrainingModule, User
from lms.services.progress import complete_module
from quizzes.models import Attempt
from tests.browser.helpers import answer_every_question, log_in, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]


@pytest.fixture
def employee(demo):
    return User.objects.get(email="employee@demo.example")


def _read_every_section(page):
    buttons = page.get_by_role("button", name="Mark this section as done")
    while buttons.count():
        buttons.first.click()


def test_a_failed_quiz_shows_what_to_review_and_a_pass_completes_the_module(
    page, employee, console
):
    log_in(page, "employee@demo.example")
    page.get_by_role("link", name="ISO 9001 awareness for all staff").click()
    _read_every_section(page)

    page.get_by_role("button", name=re.compile("Take the quiz|Try again")).click()
    expect(page.get_by_role("button", name="Send my answers")).to_be_visible()
    form_html = page.locator("#quiz-form").inner_html()
    attributes = re.findall(r'[\w-]+="([^"]*)"', form_html)
    assert not [value for value in attributes if re.search("correct|right|answer", value, re.I)]
    open_attempt = Attempt.objects.get(user=employee, status=Attempt.Status.STARTED)
    for question in open_attempt.paper["questions"]:
        assert not question["explanation"] or question["explanation"][:40] not in form_html
    assert serious_violations(page) == []
    answer_every_question(page, employee, right=False)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=2, name="Not passed")).to_be_visible()
    expect(page.get_by_role("heading", name="What to review")).to_be_visible()
    expect(page.get_by_text(re.compile(r"ISO 9001:?\S* \d"))).not_to_have_count(0)

    page.get_by_role("link", name=re.compile("Back to")).first.click()
    expect(page.get_by_text(re.compile(r"You have \d attempts? left\."))).to_be_visible()
    page.get_by_role("button", name="Try again").click()
    answer_every_question(page, employee, right=True)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=2, name="Passed")).to_be_visible()

    completion = Completion.objects.get(user=employee, module__slug="iso-9001-awareness")
    records = completion.records.all()
    assert records and all(record.attempt.passed for record in records)
    page.goto("/learning/competences/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert serious_violations(page) == []
    assert [line for line in console if "Content Security Policy" in line] == []


def test_a_certificate_downloads_and_its_code_verifies_without_signing_in(
    browser, live_server, page, employee
):
    module = TrainingModule.objects.live().filter(quiz__isnull=True).first()
    completion = complete_module(user=employee, module=module)
    log_in(page, "employee@demo.example")
    link = page.get_by_role("link", name=f"Download certificate for {module.title}")
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    code = Completion.objects.get(pk=completion.pk).certificate.code
    anonymous = browser.new_context(base_url=live_server.url)
    try:
        public = anonymous.new_page()
        public.goto(f"/verify/{code.lower()}/")
        expect(public.get_by_text("Valid", exact=False).first).to_be_visible()
        expect(public.get_by_text(completion.module.title)).to_be_visible()
        assert employee.email not in public.content()
    finally:
        anonymous.close()


def test_a_manager_answers_an_effectiveness_check(page, demo):
    log_in(page, "manager@demo.example")
    page.goto("/learning/team/")
    page.get_by_role("link", name="Effectiveness checks").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert serious_violations(page) == []
    answered = EffectivenessCheck.objects.filter(
        answered_by__email="manager@demo.example", outcome=EffectivenessCheck.Outcome.CONFIRMED
    )
    answered_before = answered.count()
    form = page.locator("form").filter(has_text="Record the answer").first
    form.get_by_label("Yes, they apply it at work").check()
    form.get_by_role("button", name=re.compile("Record the answer")).click()
    expect(page.get_by_role("status")).to_be_visible()
    assert answered.count() == answered_before + 1
