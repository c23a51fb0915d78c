"""The suggestion box in a real browser with the demo organisation: a signed suggestion from an
employee, triaged by communications, followed by its author and shown under "you said, we did";
and an anonymous one that keeps nothing about who sent it."""

import re

import pytest
from playwright.sync_api import expect

from campaigns.models import Suggestion
from lms.models import User
from tests.browser.helpers import log_in, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]

IDEA = "Put the spill kit next to the paint store door, not behind the racks."


def _suggest(page, *, signed: bool) -> None:
    page.get_by_role("link", name="Suggest", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggest an improvement")
    assert serious_violations(page) == []
    page.get_by_label("Environment").check()
    page.get_by_label("Your suggestion").fill(IDEA)
    page.get_by_label("Sign it so I can follow it" if signed else "Send anonymously").check()
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your suggestion")


def test_a_signed_suggestion_is_triaged_followed_and_shown_as_done(page, demo, console):
    log_in(page, "employee@demo.example")
    _suggest(page, signed=True)
    suggestion = Suggestion.objects.get(text=IDEA)
    assert suggestion.author == User.objects.get(email="employee@demo.example")

    page.context.clear_cookies()
    log_in(page, "comms@demo.example")
    page.get_by_role("link", name="Suggestions").click()
    page.goto(f"/suggestions/triage/{suggestion.pk}/")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Start the review").click()
    owner = User.objects.get(email="manager@demo.example")
    page.get_by_label("Owner").select_option(value=str(owner.pk))
    page.get_by_label("Action").fill("Move the kit this week.")
    page.get_by_role("button", name="Accept the suggestion").click()
    page.get_by_label("Outcome").fill("The kit hangs by the door.")
    page.get_by_role("button", name="Mark it done").click()
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.DONE

    page.context.clear_cookies()
    log_in(page, "employee@demo.example")
    page.goto("/suggestions/mine/")
    expect(page.get_by_text("The kit hangs by the door.")).to_be_visible()
    page.goto("/you-said-we-did/")
    expect(page.get_by_text(IDEA)).to_be_visible()
    expect(page.get_by_text("Employee Demo")).to_have_count(0)
    assert serious_violations(page) == []
    assert [line for line in console if "Content Security Policy" in line] == []


def test_an_anonymous_suggestion_keeps_no_trace_of_its_author(page, demo):
    log_in(page, "employee@demo.example")
    _suggest(page, signed=False)

    suggestion = Suggestion.objects.get(text=IDEA)
    assert suggestion.author is None
    assert suggestion.events.count() == 0
    page.goto("/suggestions/mine/")
    expect(page.get_by_text(re.escape(IDEA))).to_have_count(0)
