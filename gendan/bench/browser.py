"""The dashboard under a real browser: `gendan serve` as a child, every page opened in headless Chromium."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from dashboard.navigation import ALL_PAGES
from gendan.bench.measure import BenchError, RssSampler, gendan_command
from gendan.bench.results import BrowserPage, Dashboard

CHROMIUM = Path("/usr/bin/chromium")
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
DASHBOARD_DIR = Path(__file__).resolve().parents[2] / "dashboard"
FIRST_CONTENT = '[data-testid="stMainBlockContainer"] h1'
ERROR_ELEMENTS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
# Streamlit marks its root with the state of the script run: "running", then "notRunning".
SCRIPT_DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
STARTUP_TIMEOUT_S = 120
PAGE_TIMEOUT_S = 120  # a page still running after this is recorded as unfinished


def browser_available() -> str | None:
    """Why the browser stage cannot run here, or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install playwright)"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a dashboard of its own)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, timeout_s: float = STARTUP_TIMEOUT_S) -> None:
    """Return when the Streamlit server at `url` answers its health check; raise if it exits or times out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"the dashboard exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.1)
    raise BenchError(f"{url} was not healthy after {timeout_s} s")


def _visit(browser, url: str, page_name: str) -> BrowserPage:
    """Open one page in a fresh browser session: time to its title heading, then to the end of the script run."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        tab = context.new_page()
        started = time.perf_counter()
        tab.goto(url)
        try:
            tab.wait_for_selector(f"{FIRST_CONTENT}, {ERROR_ELEMENTS}", timeout=PAGE_TIMEOUT_S * 1000)
        except PlaywrightTimeout:
            raise BenchError(f"{url} showed neither its title nor an error within {PAGE_TIMEOUT_S} s") from None
        first_content = time.perf_counter() - started
        if not tab.locator(FIRST_CONTENT).count():
            raise BenchError(f"{url} shows an error instead of its title:\n{tab.locator(ERROR_ELEMENTS).first.inner_text()}")
        try:
            tab.wait_for_selector(SCRIPT_DONE, state="attached", timeout=PAGE_TIMEOUT_S * 1000)
            complete = time.perf_counter() - started
        except PlaywrightTimeout:
            complete = None
        return BrowserPage(
            page=page_name,
            url=url,
            first_content_s=first_content,
            complete_s=complete,
            errors=tab.locator(ERROR_ELEMENTS).count(),
        )
    finally:
        context.close()


def measure_dashboard(db: Path, log: Path, progress: Callable[[str], None]) -> Dashboard:
    """Serve `db`, open every page twice (right after start, then with Streamlit's caches warm) and sample the server's memory."""
    from playwright.sync_api import sync_playwright

    pages = [entry for entry in ALL_PAGES if (DASHBOARD_DIR / entry.path).exists()]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log, "w") as output:
        started = time.perf_counter()
        server = subprocess.Popen(
            gendan_command("serve", "--db", str(db), "--port", str(port)),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stopping it stops Streamlit too
        )
        try:
            with RssSampler(server.pid) as sampler:
                wait_healthy(url, server)
                startup = time.perf_counter() - started
                visits: list[list[BrowserPage]] = []
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                    try:
                        for round_name in ("first visit", "second visit"):
                            visits.append([])
                            for entry in pages:
                                name = Path(entry.path).stem
                                progress(f"{round_name}: {name}")
                                visits[-1].append(_visit(browser, f"{url}/{entry.url_path}", name))
                    finally:
                        browser.close()
            return Dashboard(
                startup_s=startup, peak_rss_bytes=sampler.peak, first_visit=visits[0], second_visit=visits[1]
            )
        finally:
            _stop(server)


def _stop(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
