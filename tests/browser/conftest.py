"""Playwright harness: Django's live server driven by Debian's Chromium, headless."""

import os
from pathlib import Path

import pytest

from tests.conftest import ML_ROADMAP

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
MISSING = (
    f"Browser tests need Chromium at {CHROMIUM}. Install it with "
    "`sudo apt-get install chromium` (or set CHROMIUM_PATH)."
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI must run the browser tests. {MISSING}", pytrace=False)
        pytest.skip(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages on the live server: new_page(js=False, width=390) gives a fresh context."""
    contexts = []

    def open_page(js=True, width=1280, height=900, color_scheme="light"):
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=js,
            viewport={"width": width, "height": height},
            color_scheme=color_scheme,
        )
        # Generous: a full-page screenshot of a long page on a loaded 2-core machine can take
        # over 10 s; a real failure still fails, only later.
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console",
            lambda message: message.type == "error" and page.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def shipped_roadmap(transactional_db):
    from roadmap.content import load_files
    from roadmap.models import Roadmap

    load_files([ML_ROADMAP])
    return Roadmap.objects.get(slug="machine-learning-engineer")


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-artifacts/ for a person to look at."""

    def take(page, name):
        ARTIFACTS.mkdir(exist_ok=True)
        # A full enrolled roadmap page is over 30,000 px tall: on a busy shared machine its
        # screenshot alone takes 8-11 s, past Playwright's default 10 s.
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True, timeout=60_000)

    return take


def assert_no_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
