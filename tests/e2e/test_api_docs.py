"""The API documentation (/docs, Swagger UI; /redoc, ReDoc) in a real browser with no network but
loopback: every file they need comes from the service itself."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.live_server import live_server

try:
    from playwright.sync_api import Page, Route, expect
except ImportError:  # the `browser` fixture says why (skip, or fail in CI)
    expect = None

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def offline(page: "Page") -> list[str]:
    """Blocks every request that leaves the machine, as on a plane; returns the list of those tried."""
    refused: list[str] = []

    def only_loopback(route: "Route") -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname not in LOOPBACK:
            refused.append(url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/*", only_loopback)
    return refused


@pytest.fixture(scope="module")
def server():
    with live_server() as running:
        yield running


def test_swagger_ui_renders_the_operations_without_a_network(page, server):
    refused = offline(page)
    page.goto(server.url + "/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("AICoS")
    operations = page.locator(".opblock-summary-path")
    # Matched at the end: /api/commands and /api/command are two operations.
    expect(operations.filter(has_text=re.compile(r"/api/command$"))).to_have_count(1)
    expect(operations.filter(has_text=re.compile(r"/api/state$"))).to_have_count(1)
    page.locator(".opblock-summary", has_text="/api/state").first.click()  # opens, with its "Try it out"
    expect(page.locator(".try-out__btn").first).to_be_visible()
    assert refused == [], f"the page tried to reach outside: {refused}"


def test_redoc_renders_the_operations_without_a_network(page, server):
    refused = offline(page)
    page.goto(server.url + "/redoc")
    expect(page.locator("h1").first).to_contain_text("AICoS")
    expect(page.get_by_text("/api/command").first).to_be_attached()
    # The one thing ReDoc's bundle fetches from outside is the logo of its "API docs by Redocly"
    # footer (hard-coded, no option turns it off): offline it is a missing image, nothing more.
    assert [url for url in refused if not url.endswith("/logo-mini.svg")] == [], refused
