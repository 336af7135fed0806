"""Browser fixtures: the system Chromium driven by Playwright against pytest-django's live server.

Chromium is Debian's (``/usr/bin/chromium``, or ``$PMO_CHROMIUM``); ``playwright install``
does not work on our machines. Without it the browser tests are skipped loudly, unless
``PMO_REQUIRE_E2E=1`` (CI), where a missing browser fails the run instead.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.utils import translation

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# ORM calls the tests make between browser steps (they never overlap with a request).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("PMO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "pw-12345"  # the password of the root conftest's ``users``
TIMEOUT_MS = 15_000  # generous: two xdist workers share two cores with the live servers


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """A live-server request thread that fails after its test (e.g. a browser context left
    open) fails the run instead of scrolling past as a warning."""
    leak = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(leak)


def _unavailable(reason: str) -> None:
    """Skip (loudly) on a developer machine, fail when the browser suite is required."""
    message = f"BROWSER TESTS NOT RUN: {reason}"
    if os.environ.get("PMO_REQUIRE_E2E") == "1":
        pytest.fail(f"{message} (PMO_REQUIRE_E2E=1 requires them)", pytrace=False)
    pytest.skip(f"{message}; install Debian's chromium or set PMO_CHROMIUM")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium per test process (each xdist worker has its own)."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _unavailable("the 'playwright' package is not installed (pip install -e '.[dev]')")
    # Assertions wait as long as actions: a save under load can take more than the default 5 s.
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


_WARMED: set[str] = set()
"""The live servers this test process warmed up (their addresses)."""


@pytest.fixture(autouse=True)
def _warm_live_server(request: pytest.FixtureRequest) -> None:
    """The first request a test process's live server answers imports the views, reads the
    templates and the translations: on a loaded machine that took longer than the 15 s a
    ``page.goto`` waits (a stress run's first ``open_as`` timed out). So it is made once per
    process here, before any browser waits for a page, with a timeout of its own."""
    if "live_server" not in request.fixturenames:
        return
    live_server = request.getfixturevalue("live_server")
    if live_server.url in _WARMED:
        return
    with translation.override("zh-hans"):  # the Chinese catalogue, kept by the process
        translation.gettext("Save")
    with urllib.request.urlopen(f"{live_server.url}/accounts/login/", timeout=120) as answer:
        html = answer.read().decode()
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        with urllib.request.urlopen(f"{live_server.url}{asset}", timeout=120) as answer:
            answer.read()
    _WARMED.add(live_server.url)


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) with one page; English unless a test switches."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(page: Any, users: dict[str, Any]) -> Callable[[str], Any]:
    """Sign ``username`` in through the login form and return the page (now at ``/``)."""

    def _sign_in(username: str) -> Any:
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: not url.split("?")[0].endswith("/accounts/login/"))
        return page

    return _sign_in


@pytest.fixture(autouse=True)
def _close_opened_contexts() -> Iterator[None]:
    """Close the browser contexts a test opened with ``helpers.open_as``: an open one keeps
    connections to the live server, whose request threads then end after the test, outside
    its database."""
    from tests.e2e.helpers import OPENED

    yield
    while OPENED:
        OPENED.pop().close()
    _wait_for_the_requests_running()


_RUNNING: dict[int, str] = {}
"""The live-server requests being answered: request thread id → path."""
_RUNNING_LOCK = threading.Lock()
IDLE_WAIT_S = 60


def _request_started(sender: Any, environ: dict[str, Any] | None = None, **kwargs: Any) -> None:
    with _RUNNING_LOCK:
        _RUNNING[threading.get_ident()] = (environ or {}).get("PATH_INFO", "?")


def _request_finished(sender: Any, **kwargs: Any) -> None:
    with _RUNNING_LOCK:
        _RUNNING.pop(threading.get_ident(), None)


request_started.connect(_request_started, weak=False, dispatch_uid="e2e-running")
request_finished.connect(_request_finished, weak=False, dispatch_uid="e2e-running")


def _wait_for_the_requests_running() -> None:
    """Wait for the live server to finish the requests it is answering before the test's
    database is flushed. Closing a browser context does not stop a request the server has
    begun (a page still loading when the test's last check passed): answered during the
    flush, it locked the tables (``couldn't be flushed``) and then ran into the next test's
    blocked database, failing two tests that did nothing wrong."""
    deadline = time.monotonic() + IDLE_WAIT_S
    quiet_since = None
    while True:
        with _RUNNING_LOCK:
            running = sorted(_RUNNING.values())
        now = time.monotonic()
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now  # a request accepted a moment ago may not have started yet
        elif now - quiet_since >= 0.2:
            return
        if now > deadline:
            pytest.fail(f"the live server still answers {running} {IDLE_WAIT_S} s after the test")
        time.sleep(0.05)


@pytest.fixture
def demo(live_server: Any) -> None:
    """The demo portfolio of 60 projects (50 strategic) and its users (password ``pmo-demo``)."""
    from pmo.demo.loader import load_demo

    load_demo(projects=60)
