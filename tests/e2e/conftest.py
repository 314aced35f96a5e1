"""Browser fixtures: Playwright (sync API) driving the system Chromium against pytest-django's live_server.

Use in a test module:

    pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

    def test_something(page, live_server):
        login(page, live_server, user.email, PASSWORD)

`page` gets a fresh browser context (cookies, storage) for every test; `phone_page` the same with a
390x844 touch viewport. DJANGO_ALLOW_ASYNC_UNSAFE=true is set by tests/conftest.py (Playwright runs an
event loop in the test thread, and Django refuses ORM calls there otherwise).
"""

import os
import shutil

import pytest
from django.test import override_settings
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("KIPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 15_000


def _chromium_path():
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser") or CHROMIUM


@pytest.fixture(scope="session", autouse=True)
def _live_server_media_url():
    """MEDIA_URL is None in settings (uploads are served only through permission-checking views), but the
    live server's media handler needs a string: give it a private prefix that no page links to."""
    with override_settings(MEDIA_URL="/__e2e-media__/"):
        yield


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=_chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _new_page(browser, **context_options):
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Makassar", **context_options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser):
    context, page = _new_page(browser, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context, page = _new_page(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield page
    context.close()


def login(page, live_server, email, password):
    """Log in through the real login form and wait for the page after it (the dashboard by default)."""
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Email").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    return page
