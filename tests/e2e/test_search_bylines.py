"""Search and derived items from a real Slack export, in a real browser against a real `aicos serve`:
the search list says who said each message and where ("Dana Lee in #finance", "Dana Lee, DM with
Dana Lee"), Slack markup reads as text (a link as its label, `&lt;` as `<`), and a snoozed priority
shows until when."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tests.e2e.conftest import ROOT, call, settled_state
from tests.live_server import live_server

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture says why (skip, or fail in CI)
    expect = None

HOSTILE = "<img src=x onerror=window.__pwned=1>"


def write_export(folder: Path) -> None:
    """Alex's workspace: an ask in #finance with a link and an entity, a DM from Dana with a link."""
    yesterday = datetime.now(timezone.utc) - timedelta(days=1)
    ts = f"{yesterday.timestamp():.6f}"
    later = f"{yesterday.timestamp() + 60:.6f}"
    day = yesterday.date().isoformat()
    users = [{"id": "U01ALEX", "name": "alex", "real_name": "Alex Rivera", "profile": {"real_name": "Alex Rivera"}},
             {"id": "U02DANA", "name": "dana", "real_name": "Dana Lee",
              "profile": {"real_name": "Dana Lee", "title": "VP Finance", "email": "dana@acme.test"}}]
    (folder / "finance").mkdir(parents=True)
    (folder / "D01DANA").mkdir()
    (folder / "users.json").write_text(json.dumps(users))
    (folder / "channels.json").write_text(json.dumps([{"id": "C01FIN", "name": "finance",
                                                       "members": ["U01ALEX", "U02DANA"]}]))
    (folder / "dms.json").write_text(json.dumps([{"id": "D01DANA", "members": ["U01ALEX", "U02DANA"]}]))
    ask = ("<@U01ALEX> can you approve the <https://sheets.acme.test/q1|Q1 budget> by friday? "
           "it covers the &lt;vendors&gt; tab")
    (folder / "finance" / f"{day}.json").write_text(json.dumps(
        [{"type": "message", "user": "U02DANA", "text": ask, "ts": ts}]))
    # Slack escapes `<` and `>` in a link's label: a hostile label is `&lt;img …&gt;`.
    escaped = HOSTILE.replace("<", "&lt;").replace(">", "&gt;")
    dm = (f"budget numbers for <https://sheets.acme.test/cities|10 cities> &amp; the rest, "
          f"see <https://sheets.acme.test/x|{escaped}>")
    (folder / "D01DANA" / f"{day}.json").write_text(json.dumps(
        [{"type": "message", "user": "U02DANA", "text": dm, "ts": later}]))


def collected(base: str) -> dict:
    settled_state(base)
    status, answer = call(base, "POST", "/api/trigger_collection?type=full")
    assert status == 200, answer
    deadline = time.monotonic() + 120  # the reader trains at first use in a fresh data folder
    while time.monotonic() < deadline:
        state = settled_state(base)
        if state["system"]["status"] in ("IDLE", "ERROR"):
            break
    assert state["system"]["status"] == "IDLE", state["system"]
    return state


def test_search_shows_who_said_it_where_and_markup_as_text_and_a_snoozed_ask_says_until(page, tmp_path):
    write_export(tmp_path / "export")
    env = {"AICOS_SLACK_EXPORT": str(tmp_path / "export"), "AICOS_ME": "U01ALEX", "AICOS_TIMEZONE": "UTC",
           "PYTHONPATH": str(ROOT)}
    with live_server(env=env, args=("--state-backend", "memory")) as server:
        state = collected(server.url)
        assert [p["title"] for p in state["priorities"]][:1] == [
            "@Alex can you approve the Q1 budget by friday? it covers the <vendors> tab"]
        page.goto(server.url + "/")
        expect(page.locator("#connection")).to_have_attribute("data-state", "connected")

        page.locator("#search-input").fill("budget")
        page.locator("#search-input").press("Enter")
        hits = page.locator("#search-results li.hit")
        expect(hits).to_have_count(2)
        dm = hits.filter(has=page.locator(".byline", has_text="Dana Lee, DM with Dana Lee"))
        channel = hits.filter(has=page.locator(".byline", has_text="Dana Lee in #finance"))
        expect(dm).to_have_count(1)
        expect(channel).to_have_count(1)
        expect(hits.locator(".tag")).to_have_count(0)  # the byline, not only "slack"
        expect(hits.locator(".date")).to_have_count(2)
        expect(dm.locator(".snippet")).to_contain_text("numbers for 10 cities & the rest")
        expect(dm.locator(".snippet")).to_contain_text("see <img src=x onerror=")  # a hostile label shows as text
        expect(channel.locator(".snippet")).to_contain_text("approve the Q1 budget by friday? it covers the <vendors>")
        expect(page.locator("#search-results")).not_to_contain_text("<https://")
        assert page.locator("#search-results img, #search-results a, #search-results vendors").count() == 0
        page.set_viewport_size({"width": 400, "height": 800})  # on a phone the byline wraps, nothing runs off
        expect(dm.locator(".byline")).to_be_in_viewport()
        widest = page.evaluate("""() => Math.max(...[...document.querySelectorAll('#search-results li *')]
            .filter((node) => node.checkVisibility()).map((node) => node.getBoundingClientRect().right))""")
        assert widest <= 400, f"the search list runs off a 400 px screen (to {widest} px)"
        page.set_viewport_size({"width": 1280, "height": 800})

        # The derived ask: its quote as Slack shows it, and once snoozed, until when.
        row = page.locator('#priorities li[data-id="P1"]')
        expect(row.locator("details.origin > summary")).to_have_text("Dana Lee · #finance · yesterday")
        expect(row.locator("details.origin > summary")).to_have_attribute(
            "title", "@Alex can you approve the Q1 budget by friday? it covers the <vendors> tab")
        row.locator(".snooze > summary").click()
        row.locator("button", has_text="tomorrow").click()
        tomorrow = datetime.now(timezone.utc).date() + timedelta(days=1)
        expect(page.locator("#command-output")).to_contain_text(f"snoozed until {tomorrow:%a} {tomorrow.isoformat()}")
        expect(row.locator(".snoozed")).to_contain_text("snoozed until")
        expect(row.locator(".snoozed")).to_have_attribute("title", f"snoozed: no alert until {tomorrow.isoformat()}")
        assert page.evaluate("window.__pwned") is None

        # Still snoozed after a full collection; dismiss still takes it away for good.
        collected(server.url)
        expect(row.locator(".snoozed")).to_contain_text("snoozed until")
        row.locator("button", has_text="dismiss").click()
        expect(page.locator('#priorities li[data-id="P1"]')).to_have_count(0)
