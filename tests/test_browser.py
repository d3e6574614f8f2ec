"""A real browser over the README's run command: every page, both languages, screenshots.

Starts `bash scripts/demo.sh --port P` exactly as the README says (with GENDAN_DB
pointing into tmp), drives Debian's Chromium with Playwright, and saves one
screenshot per page and language under tests/artifacts/screenshots/ (plus the
chase page at phone width). Times to first content go to
tests/artifacts/page-times.json.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from dashboard.i18n import COMMON
from dashboard.navigation import ALL_PAGES
from gendan.bench.browser import CHROMIUM, CHROMIUM_ARGS, ERROR_ELEMENTS, FIRST_CONTENT, free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(folder / "server.log", "w")
    process = subprocess.Popen(
        ["bash", "scripts/demo.sh", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "GENDAN_DB": str(folder / "gendan.duckdb")},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_healthy(url, process, timeout_s=600)  # a first run installs and builds the demo
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def page_times():
    times: dict[str, dict[str, float]] = {
        name: {}
        for name in (
            "open, sign in, first content",
            "of which: opened to sign-in form",
            "of which: sign-in form to first content",
            "signed in, sidebar click to first content",
        )
    }
    yield times
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "page-times.json").write_text(json.dumps(times, indent=2, sort_keys=True))


def _open(browser, url: str, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    return context, context.new_page()


def _sign_in(page, user: str = "admin", password: str = "admin-demo") -> None:
    """The demo creates one account per role; every new browser session starts at the sign-in form."""
    page.wait_for_selector('input[type="password"]', timeout=60_000)
    page.locator('input[type="text"]').first.fill(user)
    page.locator('input[type="password"]').fill(password)
    page.keyboard.press("Enter")
    page.wait_for_selector('input[type="password"]', state="detached", timeout=60_000)


def _settle(page) -> None:
    """Wait until Streamlit has finished the script run and every placeholder is drawn."""
    page.wait_for_function(
        """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'
                 && !document.querySelector('[data-testid="stSkeleton"]')""",
        timeout=60_000,
    )
    page.wait_for_timeout(300)


def test_a_page_url_shows_the_sign_in_form_first(server, browser):
    """Even as the very first request after start, a page URL must not run the page unsigned."""
    context, page = _open(browser, server, 1440, 1000)
    try:
        page.goto(f"{server}/receivables?lang=en")
        page.wait_for_selector('input[type="password"]', timeout=60_000)
        assert page.locator('[data-testid="stMetric"]').count() == 0
        _sign_in(page, "viewer", "viewer-demo")
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        assert "/receivables" in page.url
    finally:
        context.close()


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("entry", ALL_PAGES, ids=lambda entry: entry.name)
def test_page_renders_without_error(server, browser, page_times, entry, language):
    context, page = _open(browser, server, 1440, 1000)
    try:
        page.goto(f"{server}/{entry.url_path}?lang={language}")
        started = time.monotonic()
        page.wait_for_selector('input[type="password"]', timeout=60_000)
        form_shown = time.monotonic()
        _sign_in(page)
        page.wait_for_selector(FIRST_CONTENT, timeout=60_000)
        shown = time.monotonic()
        name = f"{entry.name}/{language}"
        page_times["open, sign in, first content"][name] = round(shown - started, 2)
        page_times["of which: opened to sign-in form"][name] = round(form_shown - started, 2)
        page_times["of which: sign-in form to first content"][name] = round(shown - form_shown, 2)
        _settle(page)
        assert page.locator(ERROR_ELEMENTS).count() == 0, page.locator(ERROR_ELEMENTS).first.inner_text()
        shots = ARTIFACTS / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=shots / f"{entry.name}-{language}.png", full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_page_from_the_sidebar(server, browser, page_times, language):
    """A signed-in user moving between pages: a click on the sidebar to the new page's title, each page in turn."""
    context, page = _open(browser, server, 1440, 1000)
    try:
        page.goto(f"{server}/?lang={language}")
        _sign_in(page)
        _settle(page)
        for entry in [*ALL_PAGES[1:], ALL_PAGES[0]]:
            title = COMMON[entry.title_key][0 if language == "en" else 1]
            started = time.monotonic()
            page.locator(f'[data-testid="stSidebarNav"] a[href$="/{entry.url_path}"]').first.click()
            page.locator(FIRST_CONTENT, has_text=title).wait_for(timeout=60_000)
            page_times["signed in, sidebar click to first content"][f"{entry.name}/{language}"] = round(
                time.monotonic() - started, 2
            )
            _settle(page)
            assert page.locator(ERROR_ELEMENTS).count() == 0, page.locator(ERROR_ELEMENTS).first.inner_text()
    finally:
        context.close()


def test_chase_page_on_a_phone(server, browser):
    context, page = _open(browser, server, 390, 844)
    try:
        page.goto(f"{server}/chase?lang=zh")
        _sign_in(page, "editor", "editor-demo")
        page.wait_for_selector(FIRST_CONTENT, timeout=60_000)
        _settle(page)
        assert page.locator(ERROR_ELEMENTS).count() == 0
        # Nothing may force the phone to scroll sideways.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / "screenshots" / "chase-phone-zh.png", full_page=True)
    finally:
        context.close()

