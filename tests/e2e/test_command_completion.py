"""The command box completes from the service's own list of commands (GET /api/commands)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.test_dashboard import DEMO, shown_state
from tests.live_server import live_server


def test_tab_completes_every_registered_verb_and_the_codes_it_takes(page):
    with live_server(args=DEMO) as server:
        page.goto(server.url + "/")
        state = shown_state(page, server.url)
        box, hint = page.locator("#command-input"), page.locator("#command-hint")

        box.fill("sno")
        box.press("Tab")
        expect(box).to_have_value("snooze ")

        box.fill("dismiss ")
        box.press("Tab")  # priorities and commitments both, not the calendar
        codes = [p["id"] for p in state["priorities"]] + [m["id"] for m in state["commitments"]["owe"]]
        for code in codes[:3]:
            expect(hint).to_contain_text(code)
        expect(hint).not_to_contain_text("C1")
