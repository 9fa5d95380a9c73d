"""Playwright against the live server, driving Debian's chromium."""

import os
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# made by the test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def new_page(browser, viewport, settings):
    """Open a page at the test's viewport; `javascript=False` turns scripts off."""
    settings.ROOT_URLCONF = "tests.browser.urls"
    width, height = VIEWPORTS[viewport]
    contexts = []

    def open_page(javascript=True):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
            java_script_enabled=javascript,
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def shoot(viewport):
    """Save a full-page screenshot as test-artifacts/<step>-<viewport>.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, step):
        path = ARTIFACTS / f"{step}-{viewport}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
