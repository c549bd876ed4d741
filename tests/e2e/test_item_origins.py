"""Derived items on the dashboard, in a real browser against a real `aicos serve`: where each came
from (who, where, when, the quote, the link), dismiss and snooze from the row, hostile origins shown
as text. The items come from a collector written elsewhere (tests/e2e/origin_collector.py) that
sends the same items with their `origin` on every collection, as a source that reads them would."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

from tests.e2e.conftest import ARTIFACTS, ROOT, call, settled_state
from tests.live_server import live_server

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture says why (skip, or fail in CI)
    expect = None

PERMALINK = "https://acme.slack.com/archives/C0FIN/p1732800000000100"
HOSTILE = "<img src=x onerror=window.__pwned=1>"


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def ask(**changes) -> dict:
    two_days_ago = datetime.now(timezone.utc) - timedelta(days=2)
    item = {"title": "Approve the Q1 budget", "due_date": date.today().isoformat(),
            "reason": "asked by Dana Lee in #finance, due today", "counterparty": "Dana Lee",
            "origin": {"source": "slack", "ref": "C0FIN/1732800000.000100", "author": "Dana Lee",
                       "at": iso(two_days_ago), "quote": "can you approve the Q1 budget today? finance closes at 5",
                       "link": PERMALINK}}
    origin = {**item["origin"], **changes.pop("origin", {})}
    return {**item, **changes, "origin": origin}


PROMISE = {"text": "Send Priya the board deck", "counterparty": "Priya Shah",
           "origin": {"source": "slack", "ref": "D0PRIYA/1732900000.000200", "author": "Alex Rivera",
                      "at": "2026-11-29T09:15:00Z", "quote": "I'll send you the deck tonight", "link": None}}


@contextmanager
def board_with(tmp_path, items: dict):
    """A server whose one collector sends `items`, with a first full collection done."""
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items))
    env = {"AICOS_COLLECTORS": "tests.e2e.origin_collector:OriginCollector", "ORIGIN_ITEMS_FILE": str(path),
           "PYTHONPATH": str(ROOT), "AICOS_TIMEZONE": "UTC"}
    with live_server(env=env, args=("--state-backend", "memory")) as server:
        collect(server.url)
        yield server


def collect(base: str) -> dict:
    """A full collection, waited for to its end (the trigger's answer comes once it is COLLECTING);
    the state after it."""
    settled_state(base)
    status, answer = call(base, "POST", "/api/trigger_collection?type=full")
    assert status == 200, answer
    state = settled_state(base)
    assert state["system"]["status"] == "IDLE", state["system"]
    return state


def open_board(page, server):
    page.goto(server.url + "/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")


def test_an_item_with_origin_shows_who_where_when_and_its_quote(page, tmp_path):
    with board_with(tmp_path, {"priorities": [ask()], "owe": [PROMISE]}) as server:
        open_board(page, server)
        row = page.locator('#priorities li[data-id="P1"]')
        line = row.locator("details.origin > summary")
        expect(line).to_have_text("Dana Lee · C0FIN · 2 days ago")
        expect(line).to_have_attribute("title", ask()["origin"]["quote"])
        quote = row.locator("details.origin .quote")
        expect(quote).to_be_hidden()

        line.focus()  # the detail opens from the keyboard
        page.keyboard.press("Enter")
        expect(quote).to_be_visible()
        expect(quote).to_have_text(ask()["origin"]["quote"])
        expect(row.locator(".reason")).to_have_text("asked by Dana Lee in #finance, due today")
        link = row.locator("a.origin-link")
        expect(link).to_have_attribute("href", PERMALINK)
        expect(link).to_have_attribute("rel", "noopener noreferrer")

        promise = page.locator('#owe li[data-id="M1"]')
        expect(promise).to_contain_text("Send Priya the board deck")
        expect(promise.locator("details.origin > summary")).to_contain_text("Alex Rivera · DM ·")
        expect(promise.locator("a")).to_have_count(0)  # no link given, none shown
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "item-origins.png"))


def test_a_dismissed_item_stays_gone_after_a_full_collection(page, tmp_path):
    with board_with(tmp_path, {"priorities": [ask(), ask(title="Sign the lease", origin={"ref": "C0OPS/1.1"})]}) as server:
        open_board(page, server)
        expect(page.locator("#priorities li[data-id]")).to_have_count(2)

        page.locator('#priorities li[data-id="P1"] button', has_text="dismiss").click()
        expect(page.locator("#command-output")).to_contain_text("P1 (Approve the Q1 budget) dismissed")
        expect(page.locator('#priorities li[data-id="P1"]')).to_have_count(0)

        state = collect(server.url)  # the collector sends the dismissed item again
        assert [p["title"] for p in state["priorities"]] == ["Sign the lease"]
        expect(page.locator("#version")).to_have_text(f"v{state['meta']['version']}")
        expect(page.locator("#priorities li[data-id]")).to_have_count(1)
        expect(page.locator("#priorities")).not_to_contain_text("Approve the Q1 budget")


def test_snooze_from_the_row_takes_the_alert_off(page, tmp_path):
    with board_with(tmp_path, {"priorities": [ask()]}) as server:
        open_board(page, server)
        row = page.locator('#priorities li[data-id="P1"]')
        expect(row.locator(".alert-mark")).to_have_count(1)  # due today

        row.locator(".snooze > summary").click()
        row.locator("button", has_text="tomorrow").click()
        tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).date().isoformat()
        expect(page.locator("#command-output")).to_contain_text("P1 (Approve the Q1 budget) snoozed until")
        expect(page.locator("#command-output")).to_contain_text(tomorrow)
        expect(row.locator(".alert-mark")).to_have_count(0)
        expect(row).to_contain_text("Approve the Q1 budget")  # snoozed, still on the board
        assert page.locator("#command-input").input_value() == ""


def test_hostile_origin_text_shows_as_text_and_a_javascript_link_is_no_link(page, tmp_path):
    hostile = ask(origin={"author": HOSTILE, "quote": "<script>window.__pwned=1</script>",
                          "link": "javascript:window.__pwned=1"}, reason=HOSTILE)
    with board_with(tmp_path, {"priorities": [hostile]}) as server:
        open_board(page, server)
        row = page.locator('#priorities li[data-id="P1"]')
        line = row.locator("details.origin > summary")
        expect(line).to_contain_text(HOSTILE)
        line.click()
        expect(row.locator(".quote")).to_have_text("<script>window.__pwned=1</script>")
        expect(row.locator(".reason")).to_have_text(HOSTILE)
        unsafe = row.locator(".origin-link")
        expect(unsafe).to_have_text("javascript:window.__pwned=1")
        unsafe.click()
        assert row.locator("a, img, script").count() == 0
        assert page.evaluate("window.__pwned") is None


def test_on_a_phone_the_origin_and_the_buttons_stay_on_the_screen(page, tmp_path):
    long_quote = ask(origin={"quote": "pls approve " + "the-very-long-budget-line-" * 6})
    with board_with(tmp_path, {"priorities": [long_quote], "owe": [PROMISE]}) as server:
        page.set_viewport_size({"width": 400, "height": 800})
        open_board(page, server)
        row = page.locator('#priorities li[data-id="P1"]')
        row.locator("details.origin > summary").click()
        expect(row.locator(".quote")).to_be_visible()
        row.locator(".snooze > summary").click()
        expect(row.locator(".triage", has_text="1 week")).to_be_visible()
        widest = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
            '#priorities li *, #owe li *')].filter((node) => node.checkVisibility()).map((node) => node.getBoundingClientRect().right))""")
        culprits = page.evaluate("""() => [...document.querySelectorAll("#priorities li *, #owe li *")].filter((n) => n.checkVisibility() && n.getBoundingClientRect().right > 400).map((n) => n.className + ":" + n.tagName)""")
        assert widest <= 400, f"something runs off a 400 px screen (to {widest} px): {culprits}"
        for button in ("dismiss", "snooze", "tomorrow", "monday", "1 week"):
            expect(row.locator(".triage", has_text=button)).to_be_in_viewport()
