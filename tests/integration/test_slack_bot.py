"""The Slack bot through create_app(): Slack's own signed slash-command requests on
`POST /slack/events`, answers caught by a real HTTP server standing in for Slack's response_url,
and `aicos slack` (Socket Mode)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode

import pytest
from starlette.websockets import WebSocketDisconnect

from src.adapters.inbound.slack.socket_mode import socket_mode_handler
from src.domain.board import PriorityDraft
from tests.fakes import FakeSearchIndex
from tests.integration.conftest import isolated_settings

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TUNNEL_HOST = "aicos-demo.tunnel.example"  # Slack comes through a public name, never localhost


class ResponseUrl:
    """A real HTTP server on 127.0.0.1 playing Slack's response_url: it keeps every message posted."""

    def __init__(self) -> None:
        received: queue.Queue = queue.Queue()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.put((self.path, json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:
                pass

        self.received = received
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, hook: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/commands/T0001/{hook}"

    def next(self, timeout: float = 5.0) -> tuple[str, dict]:
        return self.received.get(timeout=timeout)

    def nothing_within(self, seconds: float) -> bool:
        try:
            self.received.get(timeout=seconds)
        except queue.Empty:
            return True
        return False

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def response_url():
    server = ResponseUrl()
    yield server
    server.close()


def slash_command(text: str, response_url: str, trigger_id: str | None = None) -> bytes:
    """A slash-command body as Slack sends it: form-encoded, these fields, this order."""
    return urlencode({
        "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "team_id": "T0001",
        "team_domain": "example",
        "channel_id": "C2147483705",
        "channel_name": "test",
        "user_id": "U2147483697",
        "user_name": "dana",
        "command": "/cos",
        "text": text,
        "api_app_id": "A123456",
        "response_url": response_url,
        "trigger_id": trigger_id or f"13345224609.738474920.{uuid.uuid4().hex}",
    }).encode()


def signed(body: bytes, secret: str = SECRET, timestamp: int | None = None, **extra: str) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{timestamp}:".encode() + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded", **extra}


def slack_settings(**values):
    values.setdefault("slack_signing_secret", SECRET)
    return isolated_settings(**values)


def board(client, headers: dict | None = None) -> None:
    """P1 and P2 pending (P2's title says what a hostile source could put there), C1 a meeting."""
    priorities = [{"title": "Approve Q1 hiring plan"}, {"title": "Review <!channel> contract & <http://x|terms>"}]
    calendar = [{"title": "Team standup", "date": "2026-11-25", "time": "09:00", "attendees": ["dana@example.com"]}]
    assert client.put("/api/priorities", json=priorities, headers=headers).status_code == 200
    assert client.put("/api/calendar", json=calendar, headers=headers).status_code == 200


def send(client, text: str, response_url: ResponseUrl, **headers: str):
    body = slash_command(text, response_url.url("hook"))
    return client.post("/slack/events", content=body, headers={**signed(body), **headers})


def section_texts(message: dict) -> str:
    texts = []
    for block in message.get("blocks", []):
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [element.get("text", "") for element in block.get("elements", [])]
    return "\n".join(texts)


def priority(client, code: str) -> dict:
    return next(p for p in client.get("/api/state").json()["priorities"] if p["id"] == code)


def priority_with(client, headers: dict) -> dict:
    return client.get("/api/state", headers=headers).json()["priorities"][0]


def version(client) -> int:
    return client.get("/api/state").json()["meta"]["version"]


def test_a_signed_slash_command_runs_and_the_answer_comes_back_on_response_url(serve, response_url):
    with serve(slack_settings()) as (client, _):
        board(client)
        assert priority(client, "P1")["status"] == "pending"
        reply = send(client, "approve P1", response_url)
        assert reply.status_code == 200 and reply.content == b""  # acknowledged at once, nothing shown yet
        path, message = response_url.next()
        assert path == "/commands/T0001/hook"
        assert priority(client, "P1")["status"] == "done"
        assert message["response_type"] == "ephemeral"
        assert "*P1* (Approve Q1 hiring plan) is now done" in section_texts(message)
        assert ":white_check_mark:" in section_texts(message) and "`/cos approve P1`" in section_texts(message)
        assert message["text"] == "P1 (Approve Q1 hiring plan) is now done"  # what notifications show


def test_an_answer_says_where_its_item_came_from(serve, response_url):
    ask = {"title": "Approve the Q1 budget", "reason": "asked by Dana Lee in #finance",
           "origin": {"source": "slack", "ref": "C0FIN/1732800000.000100", "author": "Dana <Lee>",
                      "at": "2026-11-28T13:20:00Z", "quote": "can you approve the budget?",
                      "link": "https://acme.slack.com/archives/C0FIN/p1732800000000100"}}
    with serve(slack_settings()) as (client, container):
        client.portal.call(lambda: container.collector_hooks().replace_priorities([ask]))
        send(client, "snooze P1 2d", response_url)
        _, message = response_url.next()
        texts = section_texts(message)
        assert "Dana &lt;Lee&gt; · <#C0FIN> · <!date^" in texts
        assert "<https://acme.slack.com/archives/C0FIN/p1732800000000100|open in Slack>" in texts
        assert "“can you approve the budget?”" in texts


def test_a_chain_answers_each_command_and_shows_the_brief_it_built(serve, response_url):
    with serve(slack_settings()) as (client, _):
        board(client)
        send(client, "partial P2 | brief C1", response_url)
        _, message = response_url.next()
        text = section_texts(message)
        # Data is escaped: no channel ping, no link.
        assert "*P2* (Review &lt;!channel&gt; contract &amp; &lt;http://x|terms&gt;) is now partial" in text
        assert "brief for *C1* ready: Team standup" in text
        header = next(block for block in message["blocks"] if block["type"] == "header")
        assert header["text"]["text"] == "Meeting brief: Team standup"
        assert "• *C1* 2026-11-25 09:00 Team standup" in text  # the brief's lines, codes in bold
        assert priority(client, "P2")["status"] == "partial"


def test_search_hits_come_with_their_dates_and_matches_in_bold(serve, response_url):
    index = FakeSearchIndex([{"id": "slack:1", "source": "slack", "date": "2026-11-20",
                              "content": "Budget <mark>review</mark> moved to Friday &amp; room 4"}])
    with serve(slack_settings(), search_index=index) as (client, _):
        send(client, "search review", response_url)
        _, message = response_url.next()
        text = section_texts(message)
        assert "1 result for *review*" in text
        assert "• 2026-11-20 · slack — Budget *review* moved to Friday &amp; room 4" in text


@pytest.mark.parametrize("typed, title, hint", [
    ("aprove P1", "*Unknown command.*", "Did you mean `/cos approve P1`"),
    ("approve C3", "*Wrong target.*", "`/cos help` lists every command"),
])
def test_a_refused_command_is_a_clear_ephemeral_message_and_changes_nothing(serve, response_url, typed, title, hint):
    with serve(slack_settings()) as (client, _):
        board(client)
        before = version(client)
        assert send(client, typed, response_url).status_code == 200
        _, message = response_url.next()
        assert message["response_type"] == "ephemeral"
        assert title in section_texts(message) and hint in section_texts(message)
        assert version(client) == before


def test_with_an_allow_list_a_colleague_gets_nothing_but_a_clear_no(serve, response_url):
    with serve(slack_settings(slack_allowed_users=["U0OWNER", "U2147483698"])) as (client, _):
        board(client)
        before = version(client)
        send(client, "approve P1", response_url)  # sent by U2147483697, not on the list
        _, message = response_url.next()
        assert "*Not allowed.*" in section_texts(message) and "`U2147483697`" in section_texts(message)
        assert version(client) == before and priority(client, "P1")["status"] == "pending"
    with serve(slack_settings(slack_allowed_users=["U2147483697"])) as (client, _):
        board(client)
        send(client, "approve P1", response_url)
        response_url.next()
        assert priority(client, "P1")["status"] == "done"


def test_cos_alone_answers_with_the_list_of_commands(serve, response_url):
    with serve(slack_settings()) as (client, _):
        send(client, "", response_url)
        _, message = response_url.next()
        assert "• `approve Pn` priority n becomes done" in section_texts(message)


def test_a_collection_is_acknowledged_at_once_and_its_end_reported_later(serve, response_url):
    with serve(slack_settings()) as (client, _):
        started = time.monotonic()
        reply = send(client, "quick", response_url)
        assert reply.status_code == 200 and time.monotonic() - started < 3
        _, first = response_url.next()
        assert "quick collection started" in section_texts(first)
        _, second = response_url.next()
        assert "*Collection finished*" in section_texts(second)
        assert client.get("/api/system/status").json()["status"] == "IDLE"


def _refusals(response_url: ResponseUrl) -> dict[str, tuple[bytes, dict[str, str]]]:
    body = slash_command("approve P1", response_url.url("hook"))
    good = signed(body)
    return {
        "wrong secret": (body, signed(body, secret="not-the-secret")),
        "no signature": (body, {"Content-Type": "application/x-www-form-urlencoded",
                                "X-Slack-Request-Timestamp": good["X-Slack-Request-Timestamp"]}),
        "no headers at all": (body, {"Content-Type": "application/x-www-form-urlencoded"}),
        "six minutes old": (body, signed(body, timestamp=int(time.time()) - 360)),
        "six minutes ahead": (body, signed(body, timestamp=int(time.time()) + 360)),
        "body changed after signing": (body.replace(b"P1", b"P2"), good),
        "timestamp not a number": (body, {**good, "X-Slack-Request-Timestamp": "soon"}),
        "not UTF-8": (b"\xff\xfe" + body, signed(b"\xff\xfe" + body, secret="x")),
        "JSON that is not JSON": (b"{not json", {**signed(b"{not json", secret="x"),
                                                  "Content-Type": "application/json"}),
    }


def test_a_bad_missing_or_stale_signature_is_refused_with_401_and_runs_nothing(serve, response_url):
    with serve(slack_settings()) as (client, _):
        board(client)
        before = version(client)
        for case, (body, headers) in _refusals(response_url).items():
            reply = client.post("/slack/events", content=body, headers=headers)
            assert reply.status_code == 401, case
            assert reply.json()["error"]["code"] == "unauthorized", case
        assert response_url.nothing_within(0.5)
        assert version(client) == before and priority(client, "P1")["status"] == "pending"


def test_a_redelivery_does_not_run_the_command_twice(serve, response_url):
    with serve(slack_settings()) as (client, _):
        before = version(client)
        body = slash_command("refresh", response_url.url("hook"))  # refresh makes a new version every time
        headers = signed(body)
        assert client.post("/slack/events", content=body, headers=headers).status_code == 200
        response_url.next()
        # The same delivery again (same trigger_id), and as Slack marks a retry, freshly signed.
        assert client.post("/slack/events", content=body, headers=headers).status_code == 200
        retry = signed(body, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
        assert client.post("/slack/events", content=body, headers=retry).status_code == 200
        other = slash_command("refresh", response_url.url("hook"))
        retried_elsewhere = signed(other, **{"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_timeout"})
        assert client.post("/slack/events", content=other, headers=retried_elsewhere).status_code == 200
        assert response_url.nothing_within(0.5)
        assert version(client) == before + 1


def test_without_a_signing_secret_there_is_no_slack_route(serve, response_url):
    with serve(isolated_settings()) as (client, _):
        body = slash_command("approve P1", response_url.url("hook"))
        reply = client.post("/slack/events", content=body, headers=signed(body))
        assert reply.status_code == 404
        assert reply.json()["error"]["code"] == "not_found"
        assert "/slack/events" not in client.get("/openapi.json").text


def test_the_route_stays_out_of_the_api_documentation(serve):
    with serve(slack_settings()) as (client, _):
        assert "/slack/events" not in client.get("/openapi.json").text
        assert client.get("/slack/events").status_code == 405


def test_slack_reaches_the_bot_through_a_tunnel_without_our_token(serve, response_url):
    with serve(slack_settings(api_token="local-secret-token")) as (client, _):
        board(client, {"Authorization": "Bearer local-secret-token"})
        reply = send(client, "approve P1", response_url, Host=TUNNEL_HOST)
        assert reply.status_code == 200
        response_url.next()
        assert client.get("/api/state", headers={"Authorization": "Bearer local-secret-token"}).json()[
            "priorities"][0]["status"] == "done"


def test_the_exemption_from_token_and_host_checks_is_exactly_post_slack_events(serve, response_url):
    token = {"Authorization": "Bearer local-secret-token"}
    with serve(slack_settings(api_token="local-secret-token")) as (client, _):
        board(client, token)
        body = slash_command("approve P1", response_url.url("hook"))
        tunnel = {**signed(body), "Host": TUNNEL_HOST}
        # Through the tunnel's name, nothing else answers, even with the token.
        for method, path in [("GET", "/api/state"), ("POST", "/api/command"), ("POST", "/slack/events/"),
                             ("POST", "/slack/eventsx"), ("POST", "/slack"), ("GET", "/slack/events")]:
            reply = client.request(method, path, content=body, headers={**tunnel, **token})
            assert reply.status_code == 403, (method, path)
        # On localhost without the token: only the signed route is open.
        for method, path in [("POST", "/api/command"), ("POST", "/slack/events/"), ("GET", "/slack/events")]:
            assert client.request(method, path, content=body, headers=signed(body)).status_code == 401, path
        # A hostile page's Origin is still refused there.
        hostile = client.post("/slack/events", content=body, headers={**signed(body), "Origin": "https://evil.example"})
        assert hostile.status_code == 403
        # A WebSocket through the tunnel's name is refused as before.
        with pytest.raises(WebSocketDisconnect) as refused:
            with client.websocket_connect("/ws?token=local-secret-token", headers={"Host": TUNNEL_HOST}):
                pass
        assert refused.value.code == 1008
        assert response_url.nothing_within(0.3)
        assert priority_with(client, token)["status"] == "pending"


def test_without_slack_configured_nothing_is_exempt(serve, response_url):
    with serve(isolated_settings(api_token="local-secret-token")) as (client, _):
        body = slash_command("approve P1", response_url.url("hook"))
        assert client.post("/slack/events", content=body, headers=signed(body)).status_code == 401
        tunnel = {**signed(body), "Host": TUNNEL_HOST, "Authorization": "Bearer local-secret-token"}
        assert client.post("/slack/events", content=body, headers=tunnel).status_code == 403


# Socket Mode: `aicos slack`


def _cli(env: dict[str, str], timeout: float = 30) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run([sys.executable, "-m", "src.cli", "slack"], capture_output=True, text=True,
                          timeout=timeout, env={**base, **env}, cwd=os.path.dirname(os.path.dirname(__file__)))


@pytest.mark.parametrize("tokens, named", [
    ({}, "AICOS_SLACK_APP_TOKEN and AICOS_SLACK_BOT_TOKEN"),
    ({"AICOS_SLACK_BOT_TOKEN": "xoxb-1"}, "AICOS_SLACK_APP_TOKEN for Socket Mode"),
    ({"AICOS_SLACK_APP_TOKEN": "xapp-1"}, "AICOS_SLACK_BOT_TOKEN for Socket Mode"),
])
def test_aicos_slack_without_its_tokens_says_which_and_exits_2(tmp_path, tokens, named):
    result = _cli({"AICOS_DATA_DIR": str(tmp_path), **tokens})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and named in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_aicos_slack_with_a_token_slack_refuses_says_so_once_and_exits_1(tmp_path, monkeypatch, capsys):
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.async_client import AsyncWebClient

    from src import cli

    async def refused(self, **kwargs):
        raise SlackApiError("The request to the Slack API failed.", {"ok": False, "error": "invalid_auth"})

    monkeypatch.setattr(AsyncWebClient, "apps_connections_open", refused)
    monkeypatch.chdir(tmp_path)  # no .env
    free = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = free.server_address[1]
    free.server_close()  # nothing answers there: no server owns the state
    for name, value in {"AICOS_DATA_DIR": str(tmp_path), "AICOS_PORT": str(port),
                        "AICOS_SLACK_APP_TOKEN": "xapp-wrong", "AICOS_SLACK_BOT_TOKEN": "xoxb-1"}.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["slack"]) == 1
    assert capsys.readouterr().err == "aicos: cannot start the Slack bot: Slack refused AICOS_SLACK_APP_TOKEN: invalid_auth\n"


async def test_socket_mode_runs_the_same_app_over_the_same_use_cases(tmp_path, response_url):
    from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app
    from slack_sdk.socket_mode.request import SocketModeRequest

    from src.bootstrap import create_container

    settings = isolated_settings(data_dir=str(tmp_path), slack_app_token="xapp-1-A1-test",
                                 slack_bot_token="xoxb-test")
    container = create_container(settings)
    await container.init_resources()
    try:
        await container.replace_priorities()([PriorityDraft("Approve Q1 hiring plan")])
        handler = socket_mode_handler(container, settings)
        assert handler.client.app_token == "xapp-1-A1-test"
        # What the Socket Mode client hands to Bolt for a slash command (no signature: the
        # connection itself is authenticated with the app-level token).
        payload = dict(parse_qsl(slash_command("approve P1", response_url.url("socket")).decode()))
        # Socket Mode numbers deliveries from 0; Bolt passes that on as X-Slack-Retry-Num.
        envelope = {"envelope_id": "e1", "type": "slash_commands", "accepts_response_payload": True,
                    "payload": payload, "retry_attempt": 0}
        answer = await run_async_bolt_app(handler.app, SocketModeRequest.from_dict(envelope))
        assert answer.status == 200
        path, message = await _next_async(response_url)
        assert path == "/commands/T0001/socket"
        assert "*P1* (Approve Q1 hiring plan) is now done" in section_texts(message)
        state = await container.get_state()()
        assert state.priorities[0].status.value == "done"
        # A second attempt at a delivery is not run.
        again = dict(parse_qsl(slash_command("refresh", response_url.url("socket")).decode()))
        retried = {**envelope, "envelope_id": "e2", "payload": again, "retry_attempt": 1}
        assert (await run_async_bolt_app(handler.app, SocketModeRequest.from_dict(retried))).status == 200
        assert await asyncio.to_thread(response_url.nothing_within, 0.5)
        assert (await container.get_state()()).meta.version == state.meta.version
    finally:
        await handler.close_async()
        await container.shutdown_resources()


async def _next_async(response_url: ResponseUrl) -> tuple[str, dict]:
    return await asyncio.to_thread(response_url.next)


async def test_socket_mode_end_to_end_against_a_local_slack(tmp_path):
    """The real Socket Mode client against a stand-in for Slack on 127.0.0.1: it asks for a
    WebSocket URL with the app token, receives a slash command over it, acknowledges the envelope,
    and the answer goes to the response_url."""
    from aiohttp import WSMsgType, web

    from src.bootstrap import create_container

    acks: asyncio.Queue = asyncio.Queue()
    answers: asyncio.Queue = asyncio.Queue()
    tokens_seen: list[str] = []

    async def connections_open(request: web.Request) -> web.Response:
        tokens_seen.append(request.headers.get("Authorization", ""))
        return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{port}/link"})

    async def link(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A123456"}})
        payload = dict(parse_qsl(slash_command("approve P1", f"http://127.0.0.1:{port}/respond").decode()))
        await ws.send_json({"envelope_id": "env-1", "type": "slash_commands", "payload": payload,
                            "accepts_response_payload": True})
        async for frame in ws:
            if frame.type == WSMsgType.TEXT:
                await acks.put(json.loads(frame.data))
        return ws

    async def respond(request: web.Request) -> web.Response:
        await answers.put(await request.json())
        return web.Response(text="ok")

    slack = web.Application()
    slack.router.add_post("/api/apps.connections.open", connections_open)
    slack.router.add_get("/link", link)
    slack.router.add_post("/respond", respond)
    runner = web.AppRunner(slack)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]

    settings = isolated_settings(data_dir=str(tmp_path), slack_app_token="xapp-1-A1-test", slack_bot_token="xoxb-t")
    container = create_container(settings)
    await container.init_resources()
    handler = socket_mode_handler(container, settings)
    handler.client.web_client.base_url = f"http://127.0.0.1:{port}/api/"  # Slack's Web API, here
    try:
        await container.replace_priorities()([PriorityDraft("Approve Q1 hiring plan")])
        await handler.connect_async()
        ack = await asyncio.wait_for(acks.get(), 5)
        assert ack["envelope_id"] == "env-1"
        answer = await asyncio.wait_for(answers.get(), 5)
        assert answer["response_type"] == "ephemeral"
        assert "*P1* (Approve Q1 hiring plan) is now done" in section_texts(answer)
        assert (await container.get_state()()).priorities[0].status.value == "done"
        assert tokens_seen == ["Bearer xapp-1-A1-test"]
    finally:
        await handler.close_async()
        await container.shutdown_resources()
        await runner.cleanup()
