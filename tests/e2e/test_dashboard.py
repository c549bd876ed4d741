"""The dashboard in a real browser (Chromium headless, Playwright) against real `aicos serve` processes:
what a person sees and does, and what a hostile text in the data must not do."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import signal
import threading
import time
from datetime import date, datetime, timezone
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from src.adapters.inbound.web.routes import STATIC_DIR
from tests.e2e.conftest import ARTIFACTS, ROOT, call, settled_state
from tests.live_server import free_port, live_server

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the `browser` fixture says why (skip, or fail in CI)
    expect = None

DEMO = ("--demo", "--state-backend", "sqlite")
HOSTILE = "<img src=x onerror=window.__pwned=1>"
TOKEN = "e2e-secret-token"


def row(page: "Page", section: str, code: str):
    return page.locator(f'#{section} li[data-id="{code}"]')


def shown_state(page: "Page", base: str, token: str | None = None, timeout: float = 30.0) -> dict:
    """Waits until the page shows the server's current version (a collection may still be moving
    it at start), and returns that state."""
    deadline = time.monotonic() + timeout
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    while True:
        state = settled_state(base, token)
        if page.locator("#version").text_content() == f"v{state['meta']['version']}":
            return state
        assert time.monotonic() < deadline, "the page never showed the server's version"
        time.sleep(0.2)


def send_command(page: "Page", text: str) -> None:
    page.locator("#command-input").fill(text)
    page.locator("#command-input").press("Enter")


def test_the_board_shows_the_demo_state(page):
    with live_server(args=DEMO) as server:
        page.goto(server.url + "/")
        state = shown_state(page, server.url)
        today = date.today().isoformat()

        assert state["calendar"] and state["priorities"], "the demo board is empty"
        for item in state["calendar"]:
            line = row(page, "calendar", item["id"])
            expect(line).to_contain_text(item["title"])
            expect(line.locator(".time")).to_contain_text(item["time"] or "all day")
            expect(line.locator(".alert-mark")).to_have_count(1 if item["alert"] else 0)
        for item in state["priorities"]:
            expect(row(page, "priorities", item["id"])).to_contain_text(item["title"])
            expect(row(page, "priorities", item["id"])).to_have_attribute("data-status", item["status"])
        for column in ("owe", "owed"):
            items = state["commitments"][column]
            expect(page.locator(f"#{column} li[data-id]")).to_have_count(len(items))
            for item in items:
                expect(row(page, column, item["id"])).to_contain_text(item["text"])
            due_today = sum(1 for c in items if c["status"] == "pending" and c["due_date"] == today)
            expect(page.locator(f"#{column}-count")).to_contain_text(f"{due_today} due today")
        expect(page.locator("#connection")).to_have_text("connected")
        expect(page.locator("#system-status")).to_have_text(state["system"]["status"])
        if state["system"]["last_sync"]:
            expect(page.locator("#last-sync")).to_contain_text("last sync")

        send_command(page, "brief")  # the picture shows the brief panel in use
        expect(page.locator("#brief h3")).to_contain_text("Daily brief")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "dashboard.png"))
        if os.environ.get("AICOS_UPDATE_SCREENSHOT"):  # refreshes the README's picture
            shutil.copy(ARTIFACTS / "dashboard.png", ROOT / "docs" / "dashboard.png")


def test_a_status_posted_from_outside_shows_within_a_second(page):
    with live_server(args=DEMO) as server:
        page.goto(server.url + "/")
        shown_state(page, server.url)
        expect(page.locator("#progress")).to_be_hidden()

        status, _ = call(server.url, "POST", "/api/system/status",
                         {"status": "COLLECTING", "progress": 40, "message": "reading slack"})
        posted = time.monotonic()
        assert status == 200
        expect(page.locator("#system-status")).to_have_text("COLLECTING", timeout=1000)
        expect(page.locator("#progress")).to_be_visible(timeout=1000)
        expect(page.locator("#progress")).to_have_attribute("aria-valuenow", "40", timeout=1000)
        expect(page.locator("#system-message")).to_have_text("reading slack", timeout=1000)
        assert time.monotonic() - posted < 1.0

        call(server.url, "POST", "/api/system/status", {"status": "IDLE", "progress": 100, "message": None})
        expect(page.locator("#system-status")).to_have_text("IDLE", timeout=1000)
        expect(page.locator("#progress")).to_be_hidden(timeout=1000)


def test_typing_approve_p1_marks_it_done(page):
    with live_server(args=DEMO) as server:
        page.goto(server.url + "/")
        state = shown_state(page, server.url)
        assert state["priorities"][0]["status"] != "done"

        send_command(page, "approve P1")
        expect(row(page, "priorities", "P1")).to_have_attribute("data-status", "done")
        expect(row(page, "priorities", "P1").locator(".mark")).to_have_text("✓")
        expect(page.locator("#command-output")).to_contain_text("P1")
        expect(page.locator("#command-input")).to_have_value("")
        assert call(server.url, "GET", "/api/state")[1]["priorities"][0]["status"] == "done"


def test_the_command_box_shows_errors_keeps_history_and_completes(page):
    with live_server(args=DEMO) as server:
        page.goto(server.url + "/")
        shown_state(page, server.url)
        box, output = page.locator("#command-input"), page.locator("#command-output")

        send_command(page, "partial P2")
        expect(output).to_have_attribute("data-kind", "answer")
        send_command(page, "aprove P1")
        expect(output).to_have_attribute("data-kind", "error")
        expect(output).to_contain_text("unknown_command")
        expect(output).to_contain_text("did you mean: approve")
        expect(box).to_have_value("aprove P1")  # kept, to be corrected
        send_command(page, "approve C1")
        expect(output).to_contain_text("invalid_target")

        page.reload()  # history lives in localStorage
        expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
        box.fill("")
        for expected in ("approve C1", "aprove P1", "partial P2"):
            box.press("ArrowUp")
            expect(box).to_have_value(expected)
        box.press("ArrowDown")
        expect(box).to_have_value("aprove P1")

        box.fill("appr")
        box.press("Tab")
        expect(box).to_have_value("approve ")
        expect(box).to_be_focused()
        box.fill("approve P")
        box.press("Tab")
        expect(box).to_have_value("approve P1 ")
        expect(page.locator("#command-hint")).to_contain_text("P2")
        box.press("Tab")
        expect(box).to_have_value("approve P2 ")

        box.fill("partial ")
        page.locator('#priorities button.code[data-code="P3"]').click()
        expect(box).to_have_value("partial P3")
        expect(box).to_be_focused()
        box.press("Enter")
        expect(row(page, "priorities", "P3")).to_have_attribute("data-status", "partial")


def test_a_brief_shows_up_in_the_panel(page):
    with live_server(args=DEMO) as server:
        page.goto(server.url + "/")
        state = shown_state(page, server.url)
        meeting = state["calendar"][1]

        page.locator("#command-input").fill("brief ")
        page.locator(f'#calendar button.code[data-code="{meeting["id"]}"]').click()
        page.locator("#command-input").press("Enter")
        expect(page.locator("#brief h3")).to_contain_text(meeting["title"])
        expect(page.locator("#brief-meta")).to_contain_text(f"meeting · {meeting['id']}")

        send_command(page, "brief")
        expect(page.locator("#brief h3")).to_contain_text("Daily brief")


def test_a_server_killed_and_started_again_shows_reconnecting_then_the_state(page, tmp_path):
    port = free_port()
    environment = {"AICOS_DATA_DIR": str(tmp_path)}  # the same state file for both processes
    with live_server(env=environment, args=DEMO, port=port) as server:
        page.goto(server.url + "/")
        shown_state(page, server.url)
        send_command(page, "approve P1")
        expect(row(page, "priorities", "P1")).to_have_attribute("data-status", "done")

        server.stop(signal.SIGKILL)
        expect(page.locator("#connection")).to_have_attribute("data-state", "reconnecting")
        expect(page.locator("#connection")).to_have_text("reconnecting")
        expect(page.locator("body")).to_have_class(re.compile(r"\bstale\b"))

    with live_server(env=environment, args=DEMO, port=port) as server:
        expect(page.locator("#connection")).to_have_attribute("data-state", "connected", timeout=20_000)
        expect(page.locator("body")).not_to_have_class(re.compile(r"\bstale\b"))
        expect(row(page, "priorities", "P1")).to_have_attribute("data-status", "done")
        call(server.url, "POST", "/api/system/status", {"message": "back after a restart"})
        expect(page.locator("#system-message")).to_have_text("back after a restart", timeout=1000)


def test_after_a_dropped_connection_the_page_resumes_with_the_changes_it_missed(page):
    with live_server(args=DEMO) as server:
        sockets, to_server, to_page = [], [], []

        def relay(ws) -> None:  # the page's WebSocket, passed through to the real server and watched
            upstream = ws.connect_to_server()
            ws.on_message(lambda message: (to_server.append(json.loads(message)), upstream.send(message)))
            upstream.on_message(lambda message: (to_page.append(json.loads(message)), ws.send(message)))
            sockets.append(ws)

        page.route_web_socket(re.compile(r"/ws"), relay)
        page.goto(server.url + "/")
        state = shown_state(page, server.url)

        sockets[-1].close(code=4000, reason="dropped by the test")
        for progress in (10, 20, 30):  # changes the page cannot see while it is away
            call(server.url, "POST", "/api/system/status", {"status": "COLLECTING", "progress": progress})
        expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
        expect(page.locator("#progress")).to_have_attribute("aria-valuenow", "30", timeout=2000)
        expect(page.locator("#version")).to_have_text(f"v{state['meta']['version'] + 3}")

        assert len(sockets) == 2
        assert {"type": "resume", "epoch": state["meta"]["epoch"], "version": state["meta"]["version"]} in to_server
        resumed = to_page[[frame["type"] for frame in to_page].index("hello", 1):]
        assert [frame["type"] for frame in resumed[1:4]] == ["patch"] * 3  # patches, no snapshot


def write_slack_export(root: Path, text: str) -> Path:
    """A one-channel Slack export (the layout Slack writes) holding one message of today."""
    today = date.today().isoformat()
    (root / "finance").mkdir(parents=True)
    (root / "users.json").write_text(json.dumps([{"id": "U1", "name": "eve", "real_name": "Eve"}]))
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "finance"}]))
    ts = f"{datetime.now(timezone.utc).timestamp():.6f}"
    (root / "finance" / f"{today}.json").write_text(json.dumps([{"type": "message", "user": "U1", "text": text,
                                                                   "ts": ts}]))
    return root


def test_markup_in_the_data_shows_as_text_and_runs_nothing(page, tmp_path):
    export = write_slack_export(tmp_path / "export", f"quarterly budget {HOSTILE} <script>window.__pwned=2</script>")
    with live_server(env={"AICOS_SLACK_EXPORT": str(export)}, args=DEMO) as server:
        settled_state(server.url)
        # Codes are never reused, so the new items get new ones: taken from the answers.
        _, [priority] = call(server.url, "PUT", "/api/priorities", [{"title": f"Pay {HOSTILE} invoice"}])
        _, commitments = call(server.url, "PUT", "/api/commitments",
                              {"owe": [{"text": f"Reply {HOSTILE}", "counterparty": "<b>eve</b>"}], "owed": []})
        _, [meeting] = call(server.url, "PUT", "/api/calendar",
                            [{"title": f"{HOSTILE} sync", "date": date.today().isoformat(), "time": "23:59"}])
        assert call(server.url, "POST", "/api/trigger_collection?type=full")[0] in (200, 409)
        page.goto(server.url + "/")
        shown_state(page, server.url)

        expect(row(page, "priorities", priority["id"]).locator(".title")).to_have_text(f"Pay {HOSTILE} invoice")
        owed_by_me = row(page, "owe", commitments["owe"][0]["id"])
        expect(owed_by_me).to_contain_text(f"Reply {HOSTILE}")
        expect(owed_by_me).to_contain_text("<b>eve</b>")
        expect(row(page, "calendar", meeting["id"])).to_contain_text(f"{HOSTILE} sync")

        send_command(page, f"brief {priority['id']}")  # the brief's HTML: the server escapes the data in it
        expect(page.locator("#brief")).to_contain_text(f"Pay {HOSTILE} invoice")

        page.locator("#search-input").fill("quarterly budget")
        page.locator("#search-input").press("Enter")
        snippet = page.locator("#search-results .snippet").first
        expect(snippet).to_contain_text(HOSTILE)
        expect(snippet).to_contain_text("<script>window.__pwned=2")  # the snippet may cut the end
        expect(snippet.locator("mark")).to_have_text(["quarterly", "budget"])

        assert page.locator("img").count() == 0
        assert page.locator("script:not([src])").count() == 0
        assert page.evaluate("window.__pwned") is None


class _QuietStaticFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keeps the test output readable
        pass


def test_the_page_served_from_another_origin_uses_the_api_it_is_told(page, tmp_path):
    site = tmp_path / "site"  # the layout the service serves: the page at /, its files under /static/
    site.mkdir()
    shutil.copy(STATIC_DIR / "index.html", site / "index.html")
    (site / "static").symlink_to(STATIC_DIR, target_is_directory=True)
    static = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietStaticFiles, directory=str(site)))
    threading.Thread(target=static.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{static.server_address[1]}"
    try:
        with live_server(env={"AICOS_ALLOWED_ORIGINS": origin}, args=DEMO) as server:
            page.goto(f"{origin}/?api={server.url}")
            state = shown_state(page, server.url)
            expect(row(page, "priorities", "P1")).to_contain_text(state["priorities"][0]["title"])

            expect(page.locator("#api-base")).to_have_text(f"API {server.url.removeprefix('http://')}")
            send_command(page, "approve P1")  # a cross-origin POST with its preflight
            expect(row(page, "priorities", "P1")).to_have_attribute("data-status", "done")

            # The same files from an origin the API does not allow: the page says so.
            page.goto(f"{origin.replace('127.0.0.1', 'localhost')}/?api={server.url}")
            expect(page.locator("#connection")).to_have_attribute("data-state", "offline")
            expect(page.locator("#connection-detail")).to_contain_text("AICOS_ALLOWED_ORIGINS")
    finally:
        static.shutdown()
        static.server_close()


def test_with_a_token_the_page_takes_it_once_from_its_address(page):
    with live_server(env={"AICOS_API_TOKEN": TOKEN}, args=DEMO) as server:
        assert call(server.url, "GET", "/api/state")[0] == 401  # the API still wants it

        page.goto(server.url + "/")  # the page itself needs no token, but can do nothing without one
        expect(page.locator("#connection")).to_have_attribute("data-state", "offline")
        expect(page.locator("#connection-detail")).to_contain_text("token")

        page.goto(f"{server.url}/?token={TOKEN}")
        shown_state(page, server.url, token=TOKEN)
        assert "token" not in page.url
        send_command(page, "approve P1")  # REST with Authorization: Bearer
        expect(row(page, "priorities", "P1")).to_have_attribute("data-status", "done")

        page.goto(server.url + "/")  # kept in localStorage
        expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
        expect(row(page, "priorities", "P1")).to_have_attribute("data-status", "done")


def test_without_v2_the_page_falls_back_to_v1(page):
    with live_server(args=DEMO) as server:
        # A server (or a proxy) that refuses protocol 2 the way ours refuses an unknown protocol.
        page.route_web_socket(re.compile(r"protocol=2"), lambda ws: ws.close(code=4400, reason="not supported"))
        page.goto(server.url + "/")
        expect(page.locator("#connection")).to_have_text("connected (v1)")
        shown_state(page, server.url)
        call(server.url, "POST", "/api/system/status", {"message": "over v1"})
        expect(page.locator("#system-message")).to_have_text("over v1", timeout=1000)


def test_an_older_version_never_replaces_a_newer_one(page):
    with live_server(args=DEMO) as server:  # serves the page; the test plays the WebSocket server
        state = settled_state(server.url)
        epoch = state["meta"]["epoch"]

        def at(version: int, title: str) -> dict:
            document = copy.deepcopy(state)
            document["meta"]["version"] = version
            document["priorities"][0]["title"] = title
            return document

        newest = at(51, "patched")["priorities"][0]
        added = dict(newest, id="P99", key="added", title="added by a patch")
        frames = [
            {"type": "snapshot", "epoch": epoch, "version": 50, "state": at(50, "snapshot")},
            {"type": "patch", "epoch": epoch, "from": 50, "to": 51, "ops": [
                {"op": "replace", "path": "/priorities/0", "value": newest},
                {"op": "add", "path": "/priorities/-", "value": added},
                {"op": "replace", "path": "/meta/version", "value": 51}]},
            {"type": "snapshot", "epoch": epoch, "version": 49, "state": at(49, "older snapshot")},
            {"type": "patch", "epoch": epoch, "from": 48, "to": 49, "ops": [
                {"op": "replace", "path": "/priorities/0", "value": dict(newest, title="older patch")}]},
        ]

        def play(ws) -> None:
            ws.on_message(lambda message: [ws.send(json.dumps(frame)) for frame in frames])
            ws.send(json.dumps({"type": "hello", "protocol": 2, "epoch": epoch, "version": 51, "heartbeat_s": 15}))

        page.route_web_socket(re.compile(r"/ws"), play)
        page.goto(server.url + "/")
        expect(page.locator("#version")).to_have_text("v51")
        expect(row(page, "priorities", "P1").locator(".title")).to_have_text("patched")
        expect(row(page, "priorities", "P99")).to_contain_text("added by a patch")
        page.wait_for_timeout(500)  # the older frames have arrived by now, and changed nothing
        expect(page.locator("#version")).to_have_text("v51")
        expect(row(page, "priorities", "P1").locator(".title")).to_have_text("patched")


def put_priority(base: str, title: str) -> None:
    status, answer = call(base, "PUT", "/api/priorities", [{"title": title, "key": "only"}])
    assert status == 200, answer


def test_a_link_to_another_api_lasts_for_that_visit_and_says_so(page):
    with live_server() as home, live_server(env={"AICOS_ALLOWED_ORIGINS": home.url}) as other:
        put_priority(home.url, "the person's own priority")
        put_priority(other.url, "someone else's board")

        page.goto(f"{home.url}/?api={other.url}")  # the link a stranger sent
        expect(row(page, "priorities", "P1")).to_contain_text("someone else's board")
        banner = page.locator("#api-base")
        expect(banner).to_have_text(f"API {other.url.removeprefix('http://')}")
        expect(banner).to_have_attribute("data-from-link", "true")
        expect(banner).to_be_visible()
        assert "api=" in page.url  # still in the address: a reload stays there, and it shows

        page.goto(home.url + "/")  # the next plain visit is the person's own service again
        expect(row(page, "priorities", "P1")).to_contain_text("the person's own priority")
        expect(banner).to_have_text(f"API {home.url.removeprefix('http://')}")
        expect(banner).not_to_have_attribute("data-from-link", "true")
        send_command(page, "approve P1")  # what the person types goes to their own service
        expect(row(page, "priorities", "P1")).to_have_attribute("data-status", "done")
        assert call(home.url, "GET", "/api/state")[1]["priorities"][0]["status"] == "done"
        assert call(other.url, "GET", "/api/state")[1]["priorities"][0]["status"] == "pending"

        # A browser where an earlier version of the page remembered the link for good.
        page.evaluate("other => localStorage.setItem('aicos.api', other)", other.url)
        page.reload()
        expect(row(page, "priorities", "P1")).to_contain_text("the person's own priority")
        expect(banner).to_have_text(f"API {home.url.removeprefix('http://')}")
        assert page.evaluate("localStorage.getItem('aicos.api')") is None


def test_links_in_a_brief_go_only_to_expected_places(page):
    links = {
        "phishing": "https://phish.example/login",
        "script": "javascript:window.__pwned=3",
        "data": "data:text/html,<script>alert(1)</script>",
        "protocol-relative": "//phish.example/x",
        "slack": "https://acme.slack.com/archives/C1/p1700000000000100",
        "own": "/api/state",
    }
    with live_server() as server:  # serves the page; the test plays the WebSocket with a crafted brief
        state = settled_state(server.url)
        html = "".join(f'<p><a href="{href}">{name} link</a></p>' for name, href in links.items())
        state["active_brief"] = {"target": None, "kind": "daily", "title": "Daily brief", "text_content": "",
                                 "html_content": f"<h3>Daily brief</h3>{html}", "sources": [],
                                 "generated_at": state["meta"]["updated_at"]}
        epoch, version = state["meta"]["epoch"], state["meta"]["version"]

        def play(ws) -> None:
            ws.on_message(lambda message: ws.send(json.dumps(
                {"type": "snapshot", "epoch": epoch, "version": version, "state": state})))
            ws.send(json.dumps({"type": "hello", "protocol": 2, "epoch": epoch, "version": version,
                                "heartbeat_s": 15}))

        page.route_web_socket(re.compile(r"/ws"), play)
        page.goto(server.url + "/")
        brief = page.locator("#brief")
        expect(brief.locator("h3")).to_have_text("Daily brief")
        for name in links:  # every text stays readable
            expect(brief).to_contain_text(f"{name} link")
        kept = brief.locator("a")
        expect(kept).to_have_count(2)
        assert sorted(kept.evaluate_all("links => links.map(a => a.href)")) == sorted(
            [links["slack"], server.url + links["own"]])
        expect(kept.first).to_have_attribute("rel", "noopener noreferrer")
