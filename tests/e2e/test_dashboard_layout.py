"""The dashboard at a phone's width and a desktop's, with the browser in another zone than the
person: every title readable, nothing laid over the board, every time in the person's zone."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import ARTIFACTS, call, page_failing_on_script_errors, settled_state
from tests.live_server import live_server

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture says why (skip, or fail in CI)
    expect = None

# 25 hours apart: whatever the hour, the person's today is not the browser's.
PERSON_ZONE = "Pacific/Kiritimati"  # UTC+14
BROWSER_ZONE = "Pacific/Pago_Pago"  # UTC-11
LONG_URL = "https://drive.example.com/budget/" + "q4-forecast-" * 30


def write_slack_export(root: Path, texts: list[str]) -> Path:
    (root / "finance").mkdir(parents=True)
    (root / "users.json").write_text(json.dumps([{"id": "U1", "name": "eve", "real_name": "Eve"}]))
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "finance"}]))
    now = datetime.now(timezone.utc)
    messages = [{"type": "message", "user": "U1", "text": text, "ts": f"{(now - timedelta(minutes=i)).timestamp():.6f}"}
                for i, text in enumerate(texts)]
    (root / "finance" / f"{now.date().isoformat()}.json").write_text(json.dumps(messages))
    return root


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    texts = [f"budget review number {n}: the numbers for team {n} are in the shared sheet" for n in range(12)]
    texts.append(f"budget sheet is at {LONG_URL}")
    export = write_slack_export(tmp_path_factory.mktemp("export"), texts)
    with live_server(env={"AICOS_TIMEZONE": PERSON_ZONE, "AICOS_SLACK_EXPORT": str(export)}) as running:
        assert call(running.url, "POST", "/api/trigger_collection?type=full")[0] == 200
        today = datetime.now(ZoneInfo(PERSON_ZONE)).date()
        calendar = [
            {"title": "Quarterly planning with the finance and operations leads", "date": today.isoformat(),
             "time": "09:30", "location": "Building 4, North campus, second floor, room Ada Lovelace (video link "
                                          "in the invitation)"},
            {"title": "1:1 Dana", "date": today.isoformat(), "time": "11:00", "location": "Dana's office"},
            {"title": "Board prep", "date": (today + timedelta(days=1)).isoformat(), "time": "16:00"},
        ]
        assert call(running.url, "PUT", "/api/calendar", calendar)[0] == 200
        priorities = [{"title": "Approve the revised Q4 hiring plan before the finance committee meets", "key": "hiring",
                       "due_date": today.isoformat(), "source": "slack #finance, asked by Dana Lee"}]
        assert call(running.url, "PUT", "/api/priorities", priorities)[0] == 200
        commitments = {"owe": [{"text": "Send Dana the signed offer letter for the platform lead", "counterparty":
                                "dana@example.com", "due_date": today.isoformat()}], "owed": []}
        assert call(running.url, "PUT", "/api/commitments", commitments)[0] == 200
        settled_state(running.url)
        yield running


@pytest.fixture(params=[400, 1400], ids=lambda width: f"{width}px")
def page(request, browser):
    yield from page_failing_on_script_errors(browser, viewport={"width": request.param, "height": 900},
                                             timezone_id=BROWSER_ZONE)


TEXT_BOTTOM = """node => {
    const range = document.createRange();
    range.selectNodeContents(node);
    return range.getBoundingClientRect().bottom;
}"""


def box(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def test_titles_stay_readable_and_nothing_covers_the_board(page, server):
    page.goto(server.url + "/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    expect(page.locator("#calendar li[data-id]")).to_have_count(3)
    page.locator("#search-input").fill("budget")
    page.locator("#search-input").press("Enter")
    expect(page.locator("#search-results .hit")).to_have_count(13)
    width = page.viewport_size["width"]
    ARTIFACTS.mkdir(exist_ok=True)  # taken first: the picture shows what a failure below is about
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{width}.png"), full_page=True)

    for title in page.locator("#calendar .title, #priorities .title, #owe .title").all():
        expect(title).to_be_visible()
        shown, whole = title.evaluate("node => [node.clientWidth, node.scrollWidth]")
        assert shown >= min(whole, 120), f"{title.text_content()!r} shows {shown} of {whole} px"
    for line in page.locator("#calendar li[data-id], #priorities li[data-id], #owe li[data-id]").all():
        # Who, where, when: right under the title, not a gap away.
        if line.locator(".small").count():
            text_bottom = line.locator(".title").evaluate(TEXT_BOTTOM)  # of the words, not of their box
            under = line.locator(".small").first.bounding_box()
            assert 0 <= under["y"] - text_bottom < 8, line.text_content()

    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    board = box(page, "#board")
    for hit in page.locator("#search-results .hit").all():
        hit.scroll_into_view_if_needed()
        area = hit.bounding_box()
        assert area["x"] + area["width"] <= width, "a search result runs off the screen"
    results = box(page, "#search-results")
    assert results["y"] + results["height"] <= board["y"], "the search results lie over the board"
    assert box(page, ".tools")["y"] + box(page, ".tools")["height"] <= board["y"]


def test_times_are_in_the_persons_zone_not_the_browsers(page, server):
    state = settled_state(server.url)
    page.goto(server.url + "/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    person_today = datetime.now(ZoneInfo(PERSON_ZONE)).date().isoformat()
    assert page.evaluate("new Date().toLocaleDateString('en-CA')") != person_today  # the browser's is another day

    expect(page.locator("#zone")).to_have_text(f"times in {PERSON_ZONE}")
    for item in state["calendar"]:
        when = page.locator(f'#calendar li[data-id="{item["id"]}"] .time')
        expect(when).to_have_text(item["time"] if item["date"] == person_today else f"{short_day(item['date'])} {item['time']}")
    expect(page.locator("#calendar-count")).to_have_text(
        f"{sum(item['date'] == person_today for item in state['calendar'])} today")
    expect(page.locator('#priorities li[data-id="P1"] .due')).to_have_text("today")

    synced = datetime.fromisoformat(state["system"]["last_sync"].replace("Z", "+00:00")).astimezone(ZoneInfo(PERSON_ZONE))
    day = "" if synced.date().isoformat() == person_today else f"{short_day(synced.date().isoformat())} "
    expect(page.locator("#last-sync")).to_have_text(f"last sync {day}{synced:%H:%M}")
    page.locator("#search-input").fill("budget")
    page.locator("#search-input").press("Enter")
    expect(page.locator("#search-results .hit")).to_have_count(13)
    _, found = call(server.url, "GET", "/api/search?q=budget&limit=20")
    days = [datetime.fromisoformat(hit["date"].replace("Z", "+00:00")).astimezone(ZoneInfo(PERSON_ZONE)).date().isoformat()
            for hit in found["results"]]
    expect(page.locator("#search-results .date")).to_have_text(days)


def short_day(iso_day: str) -> str:
    """As the page writes a day in en-US: "Tue, Dec 1"."""
    day = date.fromisoformat(iso_day)
    return f"{day:%a}, {day:%b} {day.day}"
