"""Playwright against the system Chromium: one browser per run, a fresh context per test.

Nothing here downloads a browser: Chromium comes from the distribution (`apt-get install chromium`).
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
# Short enough that a missing element fails in seconds, long enough for a loaded CI machine.
TIMEOUT_MS = 5_000


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium`")
    with pytest.MonkeyPatch.context() as env:
        # Playwright's sync API keeps an event loop running in this thread until it stops;
        # Django would take every ORM call made meanwhile (seeding, flushing, by any later test)
        # for async code and refuse it.
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # With a loop running, Django also keeps this thread's connections in a fresh async
        # context. Hand it the existing ones, so tests keep the test database's connection and
        # what is kept on it (the serialized contents that serialized_rollback restores).
        existing = {alias: connections[alias] for alias in connections}
        playwright = sync_playwright().start()
        for alias, connection in existing.items():
            connections[alias] = connection
        try:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError:
            playwright.stop()
            raise
        yield browser
        browser.close()
        playwright.stop()


@pytest.fixture
def viewport():
    return DESKTOP


@pytest.fixture
def page(browser, live_server, viewport):
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console(page):
    """Every console message and uncaught error of the page, as "type: text" lines."""
    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    return messages


@pytest.fixture
def demo(transactional_db):
    """The demo organisation, seeded into the database the live server reads."""
    call_command("seed_demo", stdout=io.StringIO())
