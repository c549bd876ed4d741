"""Live Slack messages (contract section 7): `message` events, with their `message_changed` and
`message_deleted` subtypes, signed as Slack signs them and posted to `POST /slack/events` of a real
server (`aicos serve` on loopback), or handed to the Socket Mode app; each is searchable and read for
items soon after, one search row per message however it arrived."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import shutil
import time
import uuid
from pathlib import Path

import urllib.error
import urllib.parse
import urllib.request

import pytest

from eval.board import EXPORT, derived_items, run_collection
from tests.live_server import live_server
from tests.waiting import wait_until

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DANA_DM = "D01DANA"  # Alex (the person) and Dana Lee, in the eval workspace's export
ALEX, DANA = "U01ALEX", "U02DANA"
SOON_S = 5.0  # the contract says 2 s; the bench measures it, the test allows for a loaded machine


class Client:
    """The few calls these tests make, over plain HTTP to the real server."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                params: dict | None = None) -> "Answer":
        url = self.base_url + path + ("?" + urllib.parse.urlencode(params) if params else "")
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return Answer(answer.status, answer.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read())

    def get(self, path: str, params: dict | None = None) -> "Answer":
        return self.request("GET", path, params=params)

    def post(self, path: str, content: bytes = b"", headers: dict | None = None) -> "Answer":
        return self.request("POST", path, content, headers)


class Answer:
    def __init__(self, status_code: int, body: bytes) -> None:
        self.status_code, self.text = status_code, body.decode()

    def json(self):
        return json.loads(self.text)


def signed_post(client: Client, body: dict, retry: int | None = None) -> Answer:
    raw = json.dumps(body).encode()
    timestamp = str(int(time.time()))
    signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{timestamp}:".encode() + raw, hashlib.sha256).hexdigest()
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature,
               "Content-Type": "application/json"}
    if retry is not None:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return client.post("/slack/events", content=raw, headers=headers)


def event_callback(event: dict) -> dict:
    return {"token": "verification-token", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10]}", "event_time": int(time.time()), "event": event}


def new_ts() -> str:
    return f"{time.time():.6f}"


def posted(text: str, ts: str, *, channel: str = DANA_DM, user: str = DANA, channel_type: str = "im",
           **extra) -> dict:
    return {"type": "message", "channel": channel, "channel_type": channel_type, "user": user, "text": text,
            "ts": ts, "event_ts": ts, "client_msg_id": str(uuid.uuid4()), **extra}


def changed(text: str, ts: str, *, channel: str = DANA_DM, edited_ts: str | None = None) -> dict:
    edited_ts = edited_ts or new_ts()
    return {"type": "message", "subtype": "message_changed", "hidden": True, "channel": channel,
            "channel_type": "im", "ts": edited_ts, "event_ts": edited_ts,
            "message": {"type": "message", "user": DANA, "text": text, "ts": ts,
                        "edited": {"user": DANA, "ts": edited_ts}},
            "previous_message": {"type": "message", "user": DANA, "text": "(before)", "ts": ts}}


def deleted(ts: str, *, channel: str = DANA_DM) -> dict:
    now = new_ts()
    return {"type": "message", "subtype": "message_deleted", "hidden": True, "channel": channel,
            "channel_type": "im", "ts": now, "deleted_ts": ts, "event_ts": now,
            "previous_message": {"type": "message", "user": DANA, "text": "(gone)", "ts": ts}}


def hits(client: Client, words: str) -> list[dict]:
    return client.get("/api/search", params={"q": words, "source": "slack"}).json()["results"]


def item_of(client: Client, ref: str) -> dict | None:
    return next((item for _, item in derived_items(client.get("/api/state").json())
                 if item["origin"]["ref"] == ref), None)


async def eventually(condition, what: str, timeout: float = SOON_S):
    return await wait_until(lambda: asyncio.to_thread(condition), what, timeout=timeout, every=0.02)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real server with the eval workspace's export collected (users, DMs) and the bot's signing secret."""
    export = tmp_path_factory.mktemp("slack") / "export"
    shutil.copytree(EXPORT, export)
    env = {"AICOS_SLACK_SIGNING_SECRET": SECRET, "AICOS_SLACK_EXPORT": str(export), "AICOS_ME": ALEX,
           "AICOS_TIMEZONE": "America/New_York"}
    with live_server(env) as running:
        client = Client(running.url)
        assert run_collection(client, "quick")["system"]["status"] == "IDLE"
        yield client


async def test_a_new_message_is_searchable_and_on_the_board_and_an_edit_replaces_both(server):
    ts = new_ts()
    answer = signed_post(server, event_callback(posted(f"<@{ALEX}> can you send me the zeppelin vendor contract "
                                                       "by Friday?", ts)))
    assert answer.status_code == 200
    ref = f"{DANA_DM}/{ts}"
    item = await eventually(lambda: item_of(server, ref), "the ask on the board")
    assert item["origin"]["author"] == "Dana Lee" and "zeppelin" in item["title"]
    assert [h["metadata"]["conversation_id"] for h in hits(server, "zeppelin vendor")] == [DANA_DM]

    signed_post(server, event_callback(changed(f"<@{ALEX}> can you send me the airship vendor contract by Friday?",
                                               ts)))
    edited = await eventually(lambda: (i := item_of(server, ref)) and "airship" in i["title"] and i,
                              "the edit on the board")
    assert edited["id"] == item["id"]  # the same item, its code kept
    assert hits(server, "zeppelin vendor") == []
    assert len(hits(server, "airship vendor")) == 1


async def test_a_deleted_message_leaves_the_index_and_the_board_and_stays_gone(server):
    ts = new_ts()
    signed_post(server, event_callback(posted(f"<@{ALEX}> could you approve the quokka budget today?", ts)))
    ref = f"{DANA_DM}/{ts}"
    await eventually(lambda: item_of(server, ref), "the ask on the board")
    signed_post(server, event_callback(deleted(ts)))
    await eventually(lambda: item_of(server, ref) is None, "the item gone")
    assert hits(server, "quokka budget") == []
    # Slack retries the original delivery: the message stays deleted.
    assert signed_post(server, event_callback(posted(f"<@{ALEX}> could you approve the quokka budget today?", ts)),
                       retry=1).status_code == 200
    marker = new_ts()
    signed_post(server, event_callback(posted("marker walrus", marker)))
    await eventually(lambda: hits(server, "walrus"), "a later message indexed")
    assert item_of(server, ref) is None and hits(server, "quokka budget") == []


async def test_out_of_order_duplicated_and_odd_events_end_in_the_right_state_without_error(server):
    ts = new_ts()
    final = f"<@{ALEX}> can you sign the narwhal lease by Friday?"
    # The edit overtakes its message; then the original arrives, twice (a Slack retry).
    assert signed_post(server, event_callback(changed(final, ts))).status_code == 200
    original = event_callback(posted(f"<@{ALEX}> can you sign the narwhal leese by Friday?", ts))
    assert signed_post(server, original).status_code == 200
    assert signed_post(server, original, retry=1).status_code == 200
    # A subtype nobody knows yet, a conversation never seen (a group DM), an event without a channel.
    assert signed_post(server, event_callback({"type": "message", "subtype": "huddle_thread", "channel": DANA_DM,
                                               "ts": new_ts()})).status_code == 200
    assert signed_post(server, event_callback(posted("the pelican report is out", new_ts(), channel="G0NEW",
                                                     channel_type="mpim"))).status_code == 200
    assert signed_post(server, event_callback({"type": "message", "text": "no channel"})).status_code == 200
    ref = f"{DANA_DM}/{ts}"
    item = await eventually(lambda: item_of(server, ref), "the edited ask on the board")
    await eventually(lambda: hits(server, "pelican report"), "the unseen conversation's message indexed")
    assert "lease" in item["title"] and "leese" not in item["title"]
    assert len(hits(server, "narwhal")) == 1
    on_board = [i for _, i in derived_items(server.get("/api/state").json()) if i["origin"]["ref"] == ref]
    assert len(on_board) == 1


async def test_thread_broadcasts_and_bot_posts_are_indexed_and_a_bot_post_is_no_item(server):
    parent = new_ts()
    signed_post(server, event_callback(posted("release train thread", parent, channel="C01FIN", channel_type="channel")))
    reply = new_ts()
    signed_post(server, event_callback(posted(f"<@{ALEX}> can you check the ibis numbers by Friday?", reply,
                                              channel="C01FIN", channel_type="channel", subtype="thread_broadcast",
                                              thread_ts=parent)))
    bot = new_ts()
    bot_post = {"type": "message", "subtype": "bot_message", "channel": DANA_DM, "channel_type": "im",
                "bot_id": "B01", "username": "Deploy Bot", "text": f"<@{ALEX}> please approve the gannet deploy today",
                "ts": bot}
    signed_post(server, event_callback(bot_post))
    await eventually(lambda: item_of(server, f"C01FIN/{reply}"), "the broadcast ask on the board")
    await eventually(lambda: hits(server, "gannet deploy"), "the bot post indexed")
    assert item_of(server, f"{DANA_DM}/{bot}") is None


def test_an_unsigned_event_is_refused_and_changes_nothing(server):
    body = json.dumps(event_callback(posted("forged heron message", new_ts()))).encode()
    answer = server.post("/slack/events", content=body, headers={
        "X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64,
        "Content-Type": "application/json"})
    assert answer.status_code == 401  # refused before Bolt dispatches anything
    marker = new_ts()
    signed_post(server, event_callback(posted("marker egret", marker)))
    asyncio.run(eventually(lambda: hits(server, "egret"), "a signed message after it indexed"))
    assert hits(server, "heron") == []


async def test_socket_mode_takes_message_events_into_the_same_store_index_and_board(tmp_path):
    from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app
    from slack_sdk.socket_mode.request import SocketModeRequest

    from src.adapters.inbound.slack.socket_mode import socket_mode_handler
    from src.bootstrap import create_container
    from tests.integration.conftest import isolated_settings

    settings = isolated_settings(data_dir=str(tmp_path / "data"), slack_app_token="xapp-1-A1-test",
                                 slack_bot_token="xoxb-test", me=[ALEX], slack_export=[str(EXPORT)])
    container = create_container(settings)
    await container.init_resources()
    handler = socket_mode_handler(container, settings)
    try:
        await container.trigger_collection()("quick")
        await container.collection_jobs().wait()
        ts = new_ts()
        envelope = {"envelope_id": "e1", "type": "events_api", "accepts_response_payload": False, "retry_attempt": 0,
                    "payload": event_callback(posted(f"<@{ALEX}> can you review the osprey plan by Friday?", ts))}
        assert (await run_async_bolt_app(handler.app, SocketModeRequest.from_dict(envelope))).status == 200

        async def on_board():
            state = await container.get_state()()
            return any(p.origin and p.origin.ref == f"{DANA_DM}/{ts}" for p in state.priorities)

        await wait_until(on_board, "the Socket Mode message on the board", timeout=SOON_S)
        page = await container.search_records()("osprey plan")
        assert len(page.hits) == 1
    finally:
        await handler.close_async()
        await container.shutdown_resources()


def test_the_export_and_an_event_for_the_same_message_make_one_search_row(server):
    """The export's messages are keyed `<conversation id>/<ts>` too: an event for one replaces its row."""
    export_message = json.loads(next((Path(EXPORT) / "D01DANA").glob("*.json")).read_text())[0]
    words = " ".join(export_message["text"].split()[:3])
    before = len(hits(server, words))
    signed_post(server, event_callback(changed(export_message["text"] + " (edited)", export_message["ts"])))
    asyncio.run(eventually(lambda: any("edited" in h["snippet"] for h in hits(server, words)), "the edit indexed"))
    assert len(hits(server, words)) == before


async def test_a_live_post_is_indexed_as_the_export_indexes_it_attachments_and_mentions_included(server):
    """One function turns a Slack message into its search row however it arrives: what an integration
    says only in its attachment is found, and a mention reads as the person's full name."""
    ts = new_ts()
    github = {"type": "message", "subtype": "bot_message", "channel": "C01FIN", "channel_type": "channel",
              "bot_id": "B02", "username": "GitHub", "text": f"merged for <@{DANA}>", "ts": ts,
              "attachments": [{"title": "#7 Pelican importer retries", "fields": [{"title": "Branch",
                                                                                     "value": "main"}]}]}
    signed_post(server, event_callback(github))
    found = await eventually(lambda: hits(server, "pelican importer"), "the attachment's text indexed")
    assert [h["metadata"]["conversation_id"] for h in found] == ["C01FIN"]
    assert len(hits(server, "merged Dana Lee")) == 1
