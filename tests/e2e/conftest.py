"""A real browser for the dashboard's tests: Debian's chromium, driven by Playwright.

Playwright's own browser download does not work on these machines, so the tests launch the
system's chromium (`apt-get install chromium`; `.ci/run` does it). Without one they are skipped with
the reason, except in CI (`CI=true`), where a missing browser fails them.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # the `test` extra installs it; a bare environment gets the reason below
    sync_playwright = None

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
# How long an `expect` waits unless a test says otherwise, for every e2e test: a shared 2-core
# machine is slow to start a server and a browser, and a search waits for a collection to land.
# Set here only, so no module's import order decides it (page actions keep Playwright's 30 s).
TIMEOUT_MS = 20_000
if sync_playwright is not None:
    expect.set_options(timeout=TIMEOUT_MS)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("AICOS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required in CI)", pytrace=False)
    pytest.skip(reason)


# Per module, not per session: Playwright's sync API keeps an event loop running while it is open,
# and the async tests that run after these (pytest-asyncio) need none to be.
@pytest.fixture(scope="module")
def browser() -> Iterator["Browser"]:
    if sync_playwright is None:
        _unavailable("Python playwright is not installed (pip install -e '.[test]')")
    executable = chromium_path()
    if executable is None:
        _unavailable("no chromium at /usr/bin/chromium (apt-get install chromium) or AICOS_CHROMIUM")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: "Browser") -> Iterator["Page"]:
    """A fresh browser profile (empty localStorage) at the size the README's screenshot has. Any
    uncaught script error on the page fails the test."""
    yield from page_failing_on_script_errors(browser, viewport={"width": 1400, "height": 900})


def page_failing_on_script_errors(browser: "Browser", **context_options: Any) -> Iterator["Page"]:
    """A page in a fresh browser context; any uncaught script error on it fails the test."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"script errors on the page: {errors}"


def call(base: str, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    """A request from outside the browser (a script, a collector)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def settled_state(base: str, token: str | None = None, timeout: float = 30.0) -> dict[str, Any]:
    """The state once no collection runs (`--demo` collects its dataset at start)."""
    deadline = time.monotonic() + timeout
    while True:
        status, state = call(base, "GET", "/api/state", token=token)
        assert status == 200, state
        if state["system"]["status"] not in ("COLLECTING", "PROCESSING") or time.monotonic() > deadline:
            return state
        time.sleep(0.2)
