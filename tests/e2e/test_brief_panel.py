"""The brief panel in a real browser against a real `aicos serve` collecting a small Slack export
and calendar of its own: each cited source shows who said it and where, and Slack's markup (links,
entities) reads as text; markup that would be HTML stays text and runs nothing."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from tests.e2e.conftest import ARTIFACTS, settled_state, call
from tests.live_server import live_server

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture says why (skip, or fail in CI)
    expect = None

MARKUP = ("Q1 budget: see <https://sheets.example.com/q1|the Q1 sheet> &amp; the &lt;module&gt; notes "
          "&lt;img src=x onerror=window.__pwned=1&gt;")


def workspace(folder) -> tuple[str, str]:
    """A Slack export (Alex and Dana, #finance and their DM, messages from yesterday) and a calendar
    with a Q1 budget review tomorrow with Dana."""
    yesterday = datetime.now(timezone.utc) - timedelta(days=1)
    export = folder / "export"
    for name in ("finance", "D01DANA"):
        (export / name).mkdir(parents=True)
    users = [{"id": uid, "name": handle, "real_name": name, "profile": {"real_name": name, "email": email}}
             for uid, handle, name, email in [("U01ALEX", "alex", "Alex Rivera", "alex@example.com"),
                                               ("U02DANA", "dana", "Dana Whitfield", "dana@example.com")]]
    (export / "users.json").write_text(json.dumps(users))
    (export / "channels.json").write_text(json.dumps([{"id": "C01FIN", "name": "finance",
                                                       "members": ["U01ALEX", "U02DANA"]}]))
    (export / "dms.json").write_text(json.dumps([{"id": "D01DANA", "members": ["U01ALEX", "U02DANA"]}]))
    day = yesterday.date().isoformat()
    ts = int(yesterday.timestamp())
    (export / "finance" / f"{day}.json").write_text(json.dumps([
        {"type": "message", "user": "U02DANA", "ts": f"{ts}.000100", "text": MARKUP}]))
    (export / "D01DANA" / f"{day}.json").write_text(json.dumps([
        {"type": "message", "user": "U02DANA", "ts": f"{ts + 60}.000200", "text": "before the Q1 budget review, call me"}]))
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y%m%d")
    calendar = folder / "calendar.ics"
    calendar.write_text("\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//e2e//EN", "BEGIN:VEVENT", "UID:review@e2e",
        "SUMMARY:Q1 budget review", f"DTSTART:{tomorrow}T150000Z", f"DTEND:{tomorrow}T160000Z",
        "ORGANIZER:mailto:alex@example.com", "ATTENDEE:mailto:dana@example.com", "END:VEVENT", "END:VCALENDAR", ""]))
    return str(export), str(calendar)


def test_the_brief_panel_shows_who_said_each_source_and_where_and_markup_as_text(page, tmp_path):
    export, calendar = workspace(tmp_path)
    env = {"AICOS_SLACK_EXPORT": export, "AICOS_CALENDAR_ICS": calendar, "AICOS_ME": "U01ALEX",
           "AICOS_TIMEZONE": "UTC"}
    with live_server(env=env, args=("--state-backend", "memory")) as server:
        settled_state(server.url)
        status, _ = call(server.url, "POST", "/api/trigger_collection?type=full")
        assert status == 200
        state = settled_state(server.url)
        meeting = next(item for item in state["calendar"] if item["title"] == "Q1 budget review")
        page.goto(server.url + "/")
        expect(page.locator("#connection")).to_have_attribute("data-state", "connected")

        page.locator("#command-input").fill(f"brief {meeting['id']}")
        page.locator("#command-input").press("Enter")
        panel = page.locator("#brief")
        expect(panel.locator("h3")).to_contain_text("Q1 budget review")
        # The page's Sanitizer drops classes, so each source is read by its shape: who, where, what.
        sources = panel.locator("ol > li")
        expect(sources).to_have_count(2)
        expect(sources.locator("span:nth-of-type(1)")).to_have_text(["Dana Whitfield", "Dana Whitfield"])
        expect(sources.locator("span:nth-of-type(2)")).to_have_text(["DM with Dana Whitfield", "#finance"])
        expect(sources.nth(1).locator("span:nth-of-type(3)")).to_have_text(
            "Q1 budget: see the Q1 sheet & the <module> notes <img src=x onerror=window.__pwned=1>")
        expect(sources.nth(1)).to_contain_text("Dana Whitfield in #finance")
        expect(panel.locator("img")).to_have_count(0)
        assert page.evaluate("window.__pwned") is None
        expect(panel).to_contain_text("(summary written by built-in)")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "brief-panel.png"))
