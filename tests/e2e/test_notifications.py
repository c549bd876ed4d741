"""The dashboard, open when the morning brief is posted, shows it as a browser notification (with
the person's permission) and its brief panel opens on it."""

from collections.abc import Iterator

import httpx2 as httpx
import pytest

from tests.e2e.conftest import page_failing_on_script_errors
from tests.live_server import live_server
from tests.outreach_server import at, env_for, fill_the_board_before_the_brief, slack

__all__ = ["slack"]  # the fixture

# The real Notification, wrapped so the test can see what the page asked the browser to show.
RECORD_NOTIFICATIONS = """
window.__notified = [];
const RealNotification = window.Notification;
window.Notification = new Proxy(RealNotification, {
  construct(target, args) { window.__notified.push({ title: args[0], body: args[1] && args[1].body }); return new target(...args); },
});
"""


def notified_within(page, count: int, timeout_s: float) -> list:
    """What the page showed, once it has shown `count` (polled: the page's CSP forbids eval)."""
    for _ in range(int(timeout_s * 4)):
        notified = page.evaluate("window.__notified")
        if notified is not None and len(notified) >= count:
            return notified
        page.wait_for_timeout(250)
    raise AssertionError(f"no {count} notification(s) within {timeout_s} s")


@pytest.fixture
def allowed_page(browser) -> Iterator:
    yield from page_failing_on_script_errors(browser, viewport={"width": 1400, "height": 900},
                                             permissions=["notifications"])


def test_the_morning_brief_shows_as_a_notification_and_in_the_brief_panel(allowed_page, slack, tmp_path):
    page = allowed_page
    page.add_init_script(RECORD_NOTIFICATIONS)
    fill_the_board_before_the_brief(slack, tmp_path)
    with live_server(env_for(slack, tmp_path, at("07:29:48"))) as server:
        page.goto(server.url + "/")
        notified_within(page, 0, 10)
        assert httpx.get(server.url + "/api/outbox").json() == {"enabled": True, "posts": []}
        notified = notified_within(page, 1, 40)
        assert notified == [{"title": "Your morning brief", "body": f"Daily brief for {at('07:30:00').date()}"}]
        assert "P1 Approve the plan" in page.inner_text("#brief")
        assert len(slack.posted) == 1
        page.wait_for_timeout(3000)  # later looks (every state change, every 15 s) notify nothing again
        assert len(page.evaluate("window.__notified")) == 1


def test_the_notify_button_asks_for_permission_only_where_something_is_posted(browser, slack, tmp_path):
    for context, (settings, shown) in enumerate([({}, True), ({"AICOS_BRIEF_TIME": ""}, False)]):
        pages = page_failing_on_script_errors(browser, viewport={"width": 1400, "height": 900})
        page = next(pages)
        with live_server(env_for(slack, tmp_path / str(context), at("06:00:00"), **settings)) as server:
            page.goto(server.url + "/")
            page.wait_for_timeout(1500)
            assert page.is_visible("#notify") == shown
        next(pages, None)
