"""What the browser tests share: signing in as a demo account and asking axe-core for problems."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from lms.demo import DEMO_PASSWORD

LOGIN_PATH = "/accounts/login/"
SERIOUS = {"serious", "critical"}


def log_in(page, email: str) -> None:
    """Sign in as the demo account `email` and wait for the home page, My learning."""
    page.goto(LOGIN_PATH)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"^[^?]*/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page, one line each."""
    response = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(", ".join(node["target"]) for node in v["nodes"])
        for v in response["violations"]
        if v["impact"] in SERIOUS
    ]


def answer_every_question(page, person, *, right: bool) -> None:
    """Tick the right (or only wrong) choices of `person`'s open attempt on the page. The browser
    never learns which are right; the test reads the attempt's frozen paper on the server."""
    from quizzes.models import Attempt

    attempt = Attempt.objects.get(user=person, status=Attempt.Status.STARTED)
    for question in attempt.paper["questions"]:
        wanted = [c["key"] for c in question["choices"] if c["correct"] == right]
        if not right:
            wanted = wanted[:1]
        for key in wanted:
            page.locator(f'input[name="q-{question["key"]}"][value="{key}"]').check()
