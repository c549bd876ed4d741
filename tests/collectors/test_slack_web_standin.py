"""The Slack Web API stand-in answers as Slack does, through slack_sdk's own client: what the backfill
tests rely on (shapes, pagination, ranges, token refusals, rate limits, network faults)."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncServerErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from src.testing.slack_web_standin import DEFAULT_TOKEN, SlackError, SlackWebStandin, slack_web  # noqa: F401
from tests.collectors.slack_workspace import standin, ts


@pytest.fixture
def workspace():
    with standin(tokens={DEFAULT_TOKEN: "active", "xoxb-gone": "revoked", "xoxb-off": "inactive"}) as running:
        yield running


def client(running: SlackWebStandin, token: str | None = DEFAULT_TOKEN, **options) -> AsyncWebClient:
    # No retries (an empty list means slack_sdk's default ones): each call is one request.
    never = AsyncServerErrorRetryHandler(max_retry_count=0)
    return AsyncWebClient(token=token, base_url=running.base_url, retry_handlers=[never], **options)


async def error_of(call) -> tuple[int, dict]:
    with pytest.raises(SlackApiError) as raised:
        await call
    return raised.value.response.status_code, raised.value.response.data


async def test_auth_test_names_the_team_url_and_the_bots_user(workspace):
    answer = (await client(workspace).auth_test()).data
    assert answer["ok"] is True and answer["url"] == workspace.team_url and answer["user_id"] == "UBOT"


@pytest.mark.parametrize(("token", "error"), [(None, "not_authed"), ("xoxb-wrong", "invalid_auth"),
                                              ("xoxb-gone", "token_revoked"), ("xoxb-off", "account_inactive")])
async def test_a_token_slack_would_refuse_gets_slacks_error(workspace, token, error):
    status, data = await error_of(client(workspace, token).users_list())
    assert (status, data) == (200, {"ok": False, "error": error})


async def test_history_is_newest_first_without_thread_replies_and_parents_count_their_replies(workspace):
    answer = (await client(workspace).conversations_history(channel="C01GENERAL")).data
    assert [m["ts"] for m in answer["messages"]] == [ts(240), ts(180), ts(60), ts(0)]
    assert answer["has_more"] is False and answer["response_metadata"]["next_cursor"] == ""
    parent = answer["messages"][2]
    assert (parent["reply_count"], parent["latest_reply"], parent["reply_users"]) == (1, ts(120), ["U03SAM"])
    assert all(m["type"] == "message" for m in answer["messages"])


async def test_history_pages_follow_the_cursor_to_every_message_once(workspace):
    workspace.post("C01GENERAL", *({"ts": ts(1000 + n), "user": "U02DANA", "text": f"n{n}"} for n in range(23)))
    seen, cursor, pages = [], None, 0
    while True:
        answer = (await client(workspace).conversations_history(channel="C01GENERAL", limit=5, cursor=cursor)).data
        seen += [m["ts"] for m in answer["messages"]]
        pages += 1
        cursor = answer["response_metadata"]["next_cursor"]
        assert answer["has_more"] is bool(cursor)
        if not cursor:
            break
    assert pages == 6 and len(seen) == len(set(seen)) == 27 and seen == sorted(seen, key=float, reverse=True)


async def test_history_oldest_and_latest_are_exclusive_unless_inclusive(workspace):
    def listed(answer):
        return [m["ts"] for m in answer["messages"]]

    api = client(workspace)
    assert listed(await api.conversations_history(channel="C01GENERAL", oldest=ts(0), latest=ts(240))) == [
        ts(180), ts(60)]
    assert listed(await api.conversations_history(channel="C01GENERAL", oldest=ts(0), latest=ts(240),
                                                  inclusive=True)) == [ts(240), ts(180), ts(60), ts(0)]


async def test_replies_start_with_the_parent_and_take_oldest(workspace):
    workspace.post("C01GENERAL", {"ts": ts(300), "thread_ts": ts(60), "user": "U01ALEX", "text": "thanks"})
    api = client(workspace)
    answer = (await api.conversations_replies(channel="C01GENERAL", ts=ts(60))).data
    assert [m["ts"] for m in answer["messages"]] == [ts(60), ts(120), ts(300)]
    newer = (await api.conversations_replies(channel="C01GENERAL", ts=ts(60), oldest=ts(120))).data
    assert [m["ts"] for m in newer["messages"]] == [ts(60), ts(300)]
    _, data = await error_of(api.conversations_replies(channel="C01GENERAL", ts=ts(9999)))
    assert data["error"] == "thread_not_found"


async def test_conversations_list_takes_types_and_leaves_out_archived_when_asked(workspace):
    api = client(workspace)
    default = (await api.conversations_list()).data["channels"]
    assert {c["id"] for c in default} == {"C01GENERAL", "C02RANDOM", "C03OLD"}
    every = (await api.conversations_list(types="public_channel,private_channel,mpim,im", exclude_archived=True,
                                          limit=2)).data
    assert len(every["channels"]) == 2 and every["response_metadata"]["next_cursor"]
    rest = (await api.conversations_list(types="public_channel,private_channel,mpim,im", exclude_archived=True,
                                         cursor=every["response_metadata"]["next_cursor"])).data["channels"]
    assert [c["id"] for c in every["channels"] + rest] == ["C01GENERAL", "C02RANDOM", "G01LEADS", "D01DANA", "G02MPDM"]
    assert all("members" not in c for c in rest)
    members = (await api.conversations_members(channel="G02MPDM")).data["members"]
    assert members == ["U01ALEX", "U02DANA", "U03SAM"]


async def test_a_rate_limit_is_a_429_with_retry_after(workspace):
    workspace.fail("users.list", "ratelimited", retry_after=7)
    status, data = await error_of(client(workspace).users_list())
    assert (status, data) == (429, {"ok": False, "error": "ratelimited"})
    assert (await client(workspace).users_list()).data["ok"] is True  # only the next call was limited


async def test_a_slack_error_code_can_be_injected(workspace):
    workspace.fail("conversations.history", "not_in_channel")
    _, data = await error_of(client(workspace).conversations_history(channel="C01GENERAL"))
    assert data == {"ok": False, "error": "not_in_channel"}


async def test_garbage_hang_and_closed_connection(workspace):
    workspace.fail("users.list", "garbage")
    status, data = await error_of(client(workspace).users_list())
    assert status == 200 and "ok" not in data
    workspace.fail("users.list", "close", times=2)  # aiohttp itself tries an idempotent GET once more
    with pytest.raises(aiohttp.ClientError):
        await client(workspace).users_list()
    workspace.fail("users.list", "hang")
    with pytest.raises(asyncio.TimeoutError):
        await client(workspace, timeout=1).users_list()
    assert [call.status for call in workspace.log[-4:]] == [200, 0, 0, 0]


async def test_it_counts_calls_per_method(workspace):
    mark = len(workspace.log)
    api = client(workspace)
    await api.auth_test()
    await api.conversations_history(channel="C01GENERAL")
    await api.conversations_history(channel="G01LEADS")
    assert workspace.calls_since(mark) == {"auth.test": 1, "conversations.history": 2}
    assert workspace.calls["conversations.history"] >= 2


async def test_more_methods_can_be_added(workspace):
    posted = []

    def post_message(params):
        if params.get("channel") != "C01GENERAL":
            raise SlackError("channel_not_found")
        posted.append(params["text"])
        message = {"ts": ts(500), "user": "UBOT", "text": params["text"]}
        workspace.post(params["channel"], message)  # a handler may change the workspace
        return {"channel": params["channel"], "ts": ts(500), "message": message}

    workspace.add_method("chat.update", post_message)  # a method of the test's own, in place of Slack's
    answer = (await client(workspace).chat_update(channel="C01GENERAL", ts=ts(1), text="hello")).data
    assert answer["ok"] is True and answer["ts"] == ts(500) and posted == ["hello"]
    history = (await client(workspace).conversations_history(channel="C01GENERAL", limit=1)).data
    assert history["messages"][0]["text"] == "hello"
    _, data = await error_of(client(workspace).chat_update(channel="C404", ts=ts(1), text="x"))
    assert data["error"] == "channel_not_found"


async def test_a_post_is_kept_in_history_with_its_metadata_shown_only_when_asked(workspace):
    metadata = {"event_type": "aicos_post", "event_payload": {"key": "daily:2026-11-30"}}
    answer = (await client(workspace).chat_postMessage(channel="C01GENERAL", text="hi", metadata=metadata)).data
    assert answer["ok"] is True and answer["channel"] == "C01GENERAL"
    [posted] = workspace.posted
    assert (posted.to, posted.ts, posted.metadata) == ("C01GENERAL", answer["ts"], metadata)
    plain = (await client(workspace).conversations_history(channel="C01GENERAL", limit=1)).data["messages"][0]
    assert plain["ts"] == answer["ts"] and "metadata" not in plain
    full = (await client(workspace).conversations_history(channel="C01GENERAL", limit=1,
                                                          include_all_metadata=True)).data["messages"][0]
    assert full["metadata"] == metadata


async def test_a_post_to_a_user_goes_to_their_dm_which_conversations_open_names(workspace):
    answer = (await client(workspace).chat_postMessage(channel="U02DANA", text="hi")).data
    opened = (await client(workspace).conversations_open(users="U02DANA")).data
    assert answer["channel"] == opened["channel"]["id"] == "D01DANA"  # the DM the workspace has
    assert workspace.history("D01DANA")[-1]["text"] == "hi"
    sam = (await client(workspace).conversations_open(users="U03SAM")).data["channel"]["id"]
    assert sam == "D03SAM" and any(c["id"] == sam for c in workspace.conversations)  # opened, as Slack does
    _, data = await error_of(client(workspace).conversations_open(users="U99NOBODY"))
    assert data["error"] == "user_not_found"  # the workspace's users are known: another is not


async def test_a_hanging_post_answers_once_released_and_one_accepted_then_closed_is_posted(workspace):
    workspace.fail("chat.postMessage", "hang")
    call = asyncio.ensure_future(client(workspace).chat_postMessage(channel="C01GENERAL", text="late"))
    while workspace.hanging == 0:
        await asyncio.sleep(0.01)
    assert workspace.posted == []
    workspace.release()
    assert (await call).data["ok"] is True and [p.text for p in workspace.posted] == ["late"]
    workspace.fail("chat.postMessage", "accept_then_close")
    with pytest.raises(aiohttp.ClientError):
        await client(workspace).chat_postMessage(channel="C01GENERAL", text="lost answer")
    assert [p.text for p in workspace.posted] == ["late", "lost answer"]


async def test_the_fixture_serves_an_empty_workspace(slack_web):  # noqa: F811
    assert (await client(slack_web).users_list()).data["members"] == []
