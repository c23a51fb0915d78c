"""My learning, my team's training and notifications in a real browser: content, no-JS forms and
accessibility."""

import re

import pytest
from playwright.sync_api import expect

from lms.models import Notification, User
from lms.services.notifications import notify
from tests.browser.helpers import answer_every_question, log_in, serious_violations

pytestmark = [
    pytest.mark.browser,
    # The migrations' groups must survive each test's flush for the demo seed to find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]


@pytest.fixture
def assigned(demo):
    """The demo employee: four assignments from the demo rules, one overdue, one under way."""
    return User.objects.get(email="employee@demo.example")


def test_an_employee_sees_their_assigned_modules_with_status_and_progress(page, assigned):
    log_in(page, "employee@demo.example")

    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")
    cards = page.locator("#assigned-heading + ul > li")
    expect(cards).to_have_count(4)
    overdue = cards.nth(0)
    expect(overdue.get_by_role("heading", level=3)).to_have_text("ISO 9001 awareness for all staff")
    expect(overdue).to_contain_text("Overdue")
    started = cards.filter(has_text="ISO 45001 hazard reporting")
    expect(started).to_contain_text("In progress")
    expect(started).to_contain_text("1 of 3 sections")
    recommended = page.get_by_role("region", name="Recommended for your role")
    expect(recommended.get_by_role("link", name="Internal audit basics")).to_be_visible()


def test_an_employee_works_through_an_overdue_module_until_it_is_completed(page, assigned):
    log_in(page, "employee@demo.example")
    page.get_by_role("link", name="ISO 9001 awareness for all staff").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ISO 9001 awareness for all staff")

    buttons = page.get_by_role("button", name="Mark this section as done")
    for _ in range(3):
        buttons.first.click()
    # The module has a quiz: reading every section is not yet completing it.
    expect(page.get_by_text("Completed on")).to_have_count(0)
    # The demo employee failed it once already.
    page.get_by_role("button", name=re.compile("Take the quiz|Try again")).click()
    answer_every_question(page, assigned, right=True)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=2, name="Passed")).to_be_visible()

    page.get_by_role("link", name=re.compile("Back to")).first.click()
    expect(page.get_by_text("Completed on")).to_be_visible()

    page.get_by_role("link", name="My learning").first.click()
    completed = page.get_by_role("region", name="Completed")
    expect(completed).to_contain_text("ISO 9001 awareness for all staff")
    assert assigned.completions.get().module.slug == "iso-9001-awareness"


def test_my_learning_has_no_serious_accessibility_violations(page, assigned):
    log_in(page, "employee@demo.example")

    violations = serious_violations(page)

    assert violations == [], "axe-core found:\n" + "\n".join(violations)


def test_the_team_page_has_no_serious_accessibility_violations(page, assigned):
    log_in(page, "manager@demo.example")
    page.goto("/learning/team/")

    expect(page.get_by_role("heading", level=1)).to_have_text("My team's training")
    expect(page.get_by_role("rowheader", name=re.compile("Employee Demo"))).to_be_visible()
    violations = serious_violations(page)

    assert violations == [], "axe-core found:\n" + "\n".join(violations)


def test_a_manager_sends_a_reminder_and_the_employee_sees_it_without_javascript(
    browser, live_server, assigned
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, "manager@demo.example")
        page.goto("/learning/team/")
        page.get_by_role("button", name="Send reminder to Employee Demo").click()
        expect(page.get_by_role("status")).to_contain_text("Reminder sent to Employee Demo.")
        page.get_by_role("button", name="Send reminder to Employee Demo").click()
        expect(page.get_by_role("status")).to_contain_text("already been reminded today")

        page.get_by_role("button", name="Log out").click()
        log_in(page, "employee@demo.example")
        unread = Notification.objects.filter(user=assigned, read_at__isnull=True).count()
        link = page.get_by_role("navigation", name="Main").get_by_role(
            "link", name=f"Notifications, {unread} unread"
        )
        expect(link).to_be_visible()
        link.click()
        expect(page.get_by_text("asks you to look at your open training")).to_be_visible()
        page.get_by_role("button", name="Mark all as read").click()
        expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    finally:
        context.close()


def test_the_notifications_page_has_no_serious_accessibility_violations(page, assigned):
    notify(user=assigned, kind="overdue", message="“Spill response” was due 3 days ago.")
    log_in(page, "employee@demo.example")
    page.goto("/learning/notifications/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    violations = serious_violations(page)

    assert violations == [], "axe-core found:\n" + "\n".join(violations)
