"""The site shell in a real browser: signing in and out, navigation, accessibility, CSP, phones."""

import re

import pytest
from playwright.sync_api import expect

from lms.models import User
from tests.browser.helpers import LOGIN_PATH, log_in, serious_violations

pytestmark = [
    pytest.mark.browser,
    # The migrations' groups must survive each test's flush for the demo seed to find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]

PHONE = {"width": 375, "height": 740}


def test_an_employee_signs_in_finds_the_navigation_and_signs_out(page, demo):
    page.goto("/")
    expect(page).to_have_url(re.compile(re.escape(LOGIN_PATH)))

    log_in(page, "employee@demo.example")

    first_name = User.objects.get(email="employee@demo.example").first_name
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")
    expect(page.get_by_text(f"Welcome, {first_name}")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="My learning")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Account")).to_be_visible()

    page.get_by_role("button", name="Log out").click()

    expect(page).to_have_url(re.compile(re.escape(LOGIN_PATH)))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(re.compile(re.escape(LOGIN_PATH)))


def test_the_stylesheet_and_the_script_load(page):
    stylesheet = page.request.get("/static/css/site.css")
    assert stylesheet.status == 200, stylesheet.status
    assert "text/css" in stylesheet.headers["content-type"]

    page.goto(LOGIN_PATH)

    header_colour = page.locator(".site-header").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert header_colour == "rgb(11, 79, 108)"
    # site.js marks the document once it runs.
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))


@pytest.mark.parametrize(
    ("email", "links"),
    [("manager@demo.example", 1), ("employee@demo.example", 0)],
    ids=["manager", "employee"],
)
def test_my_team_is_in_the_navigation_of_managers_only(page, demo, email, links):
    log_in(page, email)

    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="My learning")).to_be_visible()
    expect(nav.get_by_role("link", name="My team", exact=True)).to_have_count(links)


@pytest.mark.parametrize("who", [None, "employee@demo.example"], ids=["login", "home"])
def test_the_page_has_no_serious_accessibility_violations(page, demo, who):
    if who:
        log_in(page, who)
    else:
        page.goto(LOGIN_PATH)

    violations = serious_violations(page)

    assert violations == [], "axe-core found:\n" + "\n".join(violations)


def test_the_login_and_home_pages_break_no_content_security_policy(page, console, demo):
    log_in(page, "employee@demo.example")  # the login page, then home
    page.reload()

    csp_messages = [m for m in console if "Content Security Policy" in m]
    assert csp_messages == [], "\n".join(csp_messages)
    assert [m for m in console if m.startswith(("error", "pageerror"))] == []


@pytest.mark.parametrize("viewport", [PHONE])
def test_on_a_phone_the_menu_button_opens_the_navigation(page, demo, viewport):
    log_in(page, "employee@demo.example")
    toggle = page.get_by_role("button", name="Menu")
    nav_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="My learning")

    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav_link).to_be_hidden()

    toggle.click()

    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav_link).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_on_a_desktop_the_navigation_shows_without_a_menu_button(page, demo):
    log_in(page, "employee@demo.example")

    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="My learning")).to_be_visible()
