"""The `slack_api` collector against the Web API stand-in: what it collects and where it goes, the
cursor that keeps a quick to what is new, rate limits, and faults that end the run in ERROR while
everything collected before stays."""

from __future__ import annotations

import logging
from datetime import date, timezone

import pytest

from src.adapters.outbound.memory_conversations import MemoryConversations
from src.adapters.outbound.slack_backfill import SlackBackfillCollector
from src.adapters.outbound.slack_web_api import SlackTokenRefused, SlackUnavailable
from src.bootstrap import create_container
from src.config import Settings
from src.domain.conversations import person_in, readable_messages
from src.domain.derivation import derived_item
from src.domain.items import Item, ItemKind
from src.testing.collector_contract import CollectorContract
from src.testing.slack_web_standin import DEFAULT_TOKEN, SlackWebStandin
from tests.collectors.slack_workspace import READABLE, standin, ts
from tests.integration.conftest import serve  # noqa: F401 - a fixture
from tests.integration.test_collections import collect


async def no_progress(fraction, message) -> None:
    pass


class Backfill:
    """A collector over a stand-in, with a store, an index and a people directory of its own."""

    def __init__(self, workspace: SlackWebStandin, folder, token: str = DEFAULT_TOKEN, **options) -> None:
        self.workspace = workspace
        self.container = create_container(Settings(_env_file=None, state_backend="memory", data_dir=folder))
        self.store = MemoryConversations()
        self.collector = SlackBackfillCollector(token, self.store, self.container.collector_hooks(),
                                                base_url=workspace.base_url, **options)

    async def run(self, mode: str = "quick"):
        mark = len(self.workspace.log)
        outcome = await self.collector.collect(mode, no_progress)
        self.calls = self.workspace.calls_since(mark)
        return outcome

    async def messages(self) -> dict[str, list[tuple[str, str]]]:
        workspace = await self.store.workspace()
        return {c.id: [(m.ts, m.text) for m in c.messages] for c in workspace.conversations}

    async def hits(self, words: str):
        return (await self.container.search_index().search(words, source="slack")).hits

    def close(self) -> None:
        self.container.search_database().close()


@pytest.fixture
def workspace():
    with standin() as running:
        yield running


@pytest.fixture
def backfill(workspace, tmp_path):
    made = Backfill(workspace, tmp_path)
    yield made
    made.close()


async def test_the_conversations_the_bot_is_in_reach_the_store_the_index_and_the_people(backfill):
    outcome = await backfill.run("full")
    messages = await backfill.messages()
    assert set(messages) == set(READABLE)  # not #random (not a member), not the archived channel
    assert messages["C01GENERAL"] == [(ts(0), "Kickoff notes are in the drive"), (ts(60), "Who owns the vendor renewal?"),
                                      (ts(120), "I can take the vendor renewal"), (ts(240), "Build passed")]
    stored = {c.id: c for c in (await backfill.store.workspace()).conversations}
    assert (stored["D01DANA"].kind, stored["D01DANA"].members) == ("dm", ("UBOT", "U02DANA"))
    assert (stored["G02MPDM"].kind, stored["G02MPDM"].members) == ("group_dm", ("U01ALEX", "U02DANA", "U03SAM"))
    assert stored["C01GENERAL"].messages[2].thread_ts == ts(60) and stored["C01GENERAL"].messages[3].is_bot
    assert {u.email for u in (await backfill.store.workspace()).users} >= {"dana@example.com", "alex@example.com"}
    assert "6 messages and 1 thread reply from 4 conversations" in outcome.summary

    hit = (await backfill.hits("reorg plan"))[0].metadata
    assert (hit["conversation_id"], hit["channel"], hit["ts"]) == ("G01LEADS", "G01LEADS", ts(30))
    assert (hit["author"], hit["conversation"], hit["conversation_kind"]) == ("Dana Lee", "leadership",
                                                                               "private_channel")
    dm = (await backfill.hits("budget deck"))[0].metadata
    assert (dm["conversation"], dm["text"]) == ("DM Dana Lee", "@Alex Rivera can you send me the budget deck by Friday?")
    assert dm["permalink"] == "https://standin-team.slack.com/archives/D01DANA/p1764064840000000"
    assert stored["D01DANA"].permalink_base == "https://standin-team.slack.com/"  # auth.test's url
    assert (await backfill.hits("Build passed"))[0].metadata["is_bot"] is True
    assert not await backfill.hits("has joined")

    people = await backfill.container.people_directory().people()
    assert people.resolve("sam@example.com") is not None and people.resolve("U02DANA").name == "Dana Lee"


async def test_history_is_read_page_by_page_to_its_start(workspace, tmp_path):
    workspace.post("C01GENERAL", *({"ts": ts(1000 + n), "user": "U02DANA", "text": f"update {n}"} for n in range(23)))
    backfill = Backfill(workspace, tmp_path, history_page=5)
    try:
        await backfill.run()
        assert len((await backfill.messages())["C01GENERAL"]) == 4 + 23
        assert backfill.calls["conversations.history"] == 6 + 3  # general in six pages, the others in one
    finally:
        backfill.close()


async def test_a_second_quick_with_nothing_new_only_asks_each_conversation_for_news(backfill):
    await backfill.run()
    await backfill.run()
    assert backfill.calls == {"auth.test": 1, "users.list": 1, "conversations.list": 1,
                              "conversations.history": len(READABLE)}


async def test_a_quick_fetches_new_messages_and_only_the_threads_with_new_replies(backfill, workspace):
    await backfill.run()
    workspace.post("C01GENERAL", {"ts": ts(3600), "thread_ts": ts(60), "user": "U01ALEX", "text": "Thanks Sam, renewal is yours"},
                   {"ts": ts(3700), "user": "U03SAM", "text": "Lunch order is in"})
    workspace.post("D01DANA", {"ts": ts(3800), "user": "U02DANA", "text": "Also the hiring plan"})
    mark = len(workspace.log)
    await backfill.run()
    assert backfill.calls["conversations.replies"] == 1
    replies = [c for c in workspace.log[mark:] if c.method == "conversations.replies"]
    assert (replies[0].params["ts"], replies[0].params["oldest"]) == (ts(60), ts(240))  # only what is new
    history = [c.params for c in workspace.log[mark:] if c.method == "conversations.history"]
    assert all(float(params["oldest"]) < float(ts(0)) for params in history)  # a week before each cursor
    messages = await backfill.messages()
    assert (ts(3600), "Thanks Sam, renewal is yours") in messages["C01GENERAL"]
    assert messages["C01GENERAL"][-1] == (ts(3700), "Lunch order is in")
    assert messages["D01DANA"][-1] == (ts(3800), "Also the hiring plan")
    assert await backfill.hits("renewal is yours") and await backfill.hits("hiring plan")


async def test_an_edit_seen_by_a_quick_replaces_the_message(backfill, workspace):
    await backfill.run()
    workspace.post("G01LEADS", {"ts": ts(30), "user": "U02DANA", "text": "The reorg plan v2 is ready",
                                "edited": {"user": "U02DANA", "ts": ts(5000)}})
    await backfill.run()
    assert (await backfill.messages())["G01LEADS"] == [(ts(30), "The reorg plan v2 is ready")]
    hits = await backfill.hits("reorg plan")
    assert [h.metadata["text"] for h in hits] == ["The reorg plan v2 is ready"]  # replaced, not a second row


async def test_a_deleted_parent_is_not_a_message_but_its_replies_are(backfill, workspace):
    workspace.post("G01LEADS", {"ts": ts(70), "subtype": "tombstone", "hidden": True, "user": "USLACKBOT",
                                "text": "This message was deleted."},
                   {"ts": ts(80), "thread_ts": ts(70), "user": "U01ALEX", "text": "Still on for the offsite"})
    await backfill.run()
    assert (await backfill.messages())["G01LEADS"] == [(ts(30), "The reorg plan draft is ready"),
                                                      (ts(80), "Still on for the offsite")]
    assert not await backfill.hits("message was deleted")


async def test_full_reads_every_conversation_from_its_start_again(backfill, workspace):
    await backfill.run()
    mark = len(workspace.log)
    await backfill.run("full")
    history = [c.params for c in workspace.log[mark:] if c.method == "conversations.history"]
    assert len(history) == len(READABLE) and not any("oldest" in params for params in history)
    assert backfill.calls["conversations.replies"] == 1 and backfill.calls["conversations.members"] == 3


async def test_a_rate_limit_is_waited_out_for_as_long_as_retry_after_says(backfill, workspace):
    workspace.fail("conversations.history", "ratelimited", retry_after=1)
    await backfill.run()
    assert len((await backfill.messages())["C01GENERAL"]) == 4
    history = [c for c in workspace.log if c.method == "conversations.history"]
    limited, retried = history[0], history[1]
    assert limited.status == 429 and retried.status == 200 and retried.params == limited.params
    assert retried.at - limited.at >= 1.0  # the stand-in's own clock between the two requests


async def test_endless_rate_limits_end_the_run_saying_so(backfill, workspace, monkeypatch):
    monkeypatch.setattr("src.adapters.outbound.slack_web_api.RATE_LIMIT_RETRIES", 0)
    workspace.fail("users.list", "ratelimited", times=3, retry_after=0)
    with pytest.raises(SlackUnavailable, match="ratelimited"):
        await backfill.run()


@pytest.mark.parametrize("token", ["xoxb-wrong-token-123", ""])
async def test_a_refused_token_ends_the_run_saying_so_without_showing_it(workspace, tmp_path, token):
    backfill = Backfill(workspace, tmp_path, token=token)
    try:
        with pytest.raises(SlackTokenRefused) as refused:
            await backfill.run()
        said = str(refused.value)
        assert "refused the bot token" in said and "AICOS_SLACK_BOT_TOKEN" in said
        assert (token or "xoxb") not in said.replace("(xoxb-...)", "")
        assert refused.value.__cause__ is None and refused.value.__suppress_context__
        assert await backfill.messages() == {}
    finally:
        backfill.close()


async def test_a_revoked_token_after_a_good_run_keeps_what_was_collected(backfill, workspace):
    await backfill.run()
    workspace.tokens[DEFAULT_TOKEN] = "revoked"
    with pytest.raises(SlackTokenRefused, match="token_revoked"):
        await backfill.run()
    assert len((await backfill.messages())["C01GENERAL"]) == 4 and await backfill.hits("reorg plan")


@pytest.mark.parametrize("fault", ["garbage", "hang", "close"])
async def test_a_web_api_that_fails_ends_the_run_naming_it_and_loses_nothing(workspace, tmp_path, fault):
    backfill = Backfill(workspace, tmp_path, timeout_s=2)  # the hang waits this long; a busy machine answers sooner
    try:
        await backfill.run()
        before = await backfill.messages()
        cursor = await backfill.store.cursor("C01GENERAL")
        workspace.post("C01GENERAL", {"ts": ts(4000), "user": "U02DANA", "text": "new after the first run"})
        workspace.fail("conversations.history", fault, times=20)  # more than every retry
        with pytest.raises(SlackUnavailable) as failed:
            await backfill.run()
        assert f"127.0.0.1:{workspace.port}" in str(failed.value) and "conversations.history" in str(failed.value)
        assert await backfill.messages() == before and await backfill.hits("reorg plan")
        assert await backfill.store.cursor("C01GENERAL") == cursor  # the next run reads what this one missed
    finally:
        backfill.close()


async def test_a_conversation_it_cannot_read_is_said_and_the_others_are_read(backfill, workspace):
    workspace.fail("conversations.history", "not_in_channel")
    outcome = await backfill.run()
    assert outcome.warnings == ("slack_api: not read, general: not_in_channel",)
    assert set(await backfill.messages()) == set(READABLE) - {"C01GENERAL"}


async def test_the_cursor_moves_only_once_a_conversation_is_written(backfill, workspace):
    workspace.fail("conversations.replies", "garbage")  # not retried: Slack never answers so
    with pytest.raises(SlackUnavailable):
        await backfill.run()
    assert await backfill.store.cursor("C01GENERAL") is None  # its thread was not read: read it all next time
    await backfill.run()
    assert (ts(120), "I can take the vendor renewal") in (await backfill.messages())["C01GENERAL"]
    assert await backfill.store.cursor("C01GENERAL") == ts(240)


async def test_an_item_read_from_a_backfilled_message_links_to_it_in_slack(backfill):
    await backfill.run()
    workspace = await backfill.store.workspace()
    person = person_in(workspace, ("U01ALEX",), timezone.utc)
    readable = next(r for r in readable_messages(workspace, person) if "budget deck" in r.message.text)
    ask = Item(readable.ref, ItemKind.ASK_TO_ME, "send the budget deck", "Dana Lee", None, 0.9)
    origin = derived_item(ask, readable, workspace, date(2025, 11, 25), None).origin
    assert (origin.ref, origin.link) == (f"D01DANA/{ts(40)}",
                                         "https://standin-team.slack.com/archives/D01DANA/p1764064840000000")


class TestSlackBackfillCollector(CollectorContract):
    def make_collector(self, folder):
        self.workspace = standin().start()
        return SlackBackfillCollector(DEFAULT_TOKEN, MemoryConversations(), self.hooks(folder),
                                      base_url=self.workspace.base_url)

    def close(self) -> None:
        self.workspace.stop()


# -- through the app: AICOS_SLACK_BOT_TOKEN and AICOS_SLACK_API_URL, a collection as the person starts one --

def app_settings(workspace: SlackWebStandin, tmp_path, token: str = DEFAULT_TOKEN):
    from tests.collectors.test_slack_export import write_export
    from tests.integration.conftest import isolated_settings

    return isolated_settings(slack_bot_token=token, slack_api_url=workspace.base_url,
                             slack_export=[str(write_export(tmp_path / "export"))])


def test_a_collection_through_the_app_backfills_slack_beside_the_export(serve, workspace, tmp_path):  # noqa: F811
    with serve(app_settings(workspace, tmp_path)) as (client, container):
        system = collect(client)
        assert system["status"] == "IDLE", system
        assert "slack_api: 6 messages and 1 thread reply from 4 conversations" in system["message"]
        hit = client.get("/api/search", params={"q": "reorg plan", "source": "slack"}).json()["results"][0]
        assert (hit["metadata"]["conversation_id"], hit["metadata"]["ts"]) == ("G01LEADS", ts(30))
        assert client.get("/api/search", params={"q": "Q1 budget review"}).json()["results"]  # the export's
        people = client.get("/api/people", params={"q": "sam"}).json()
        assert any("sam@example.com" in person["emails"] for person in people["people"]), people
        mark = len(workspace.log)
        assert collect(client)["status"] == "IDLE"
        assert workspace.calls_since(mark)["conversations.history"] == len(READABLE)


def test_a_refused_token_ends_the_collection_in_error_and_keeps_the_rest(serve, workspace, tmp_path,  # noqa: F811
                                                                         caplog):
    caplog.set_level(logging.DEBUG)
    token = "xoxb-9999-revoked-secret"
    with serve(app_settings(workspace, tmp_path, token)) as (client, _):
        system = collect(client)
        assert system["status"] == "ERROR", system
        assert "slack_api: Slack refused the bot token (invalid_auth)" in system["message"]
        assert client.get("/api/search", params={"q": "Q1 budget review"}).json()["results"]  # the export's, kept
        assert token not in client.get("/api/state").text and token not in client.get("/api/system/status").text
    assert "collector slack_api failed" in caplog.text and token not in caplog.text  # slack_sdk's debug lines too


async def test_a_missing_scope_ends_the_run_naming_the_scope_to_add(backfill, workspace):
    workspace.fail("conversations.list", "missing_scope", needed="mpim:read", provided="channels:read")
    with pytest.raises(Exception, match=r"conversations.list: missing_scope \(the Slack app needs the mpim:read scope"):
        await backfill.run()


def test_the_web_api_address_is_a_setting_and_must_be_http(monkeypatch):
    monkeypatch.setenv("AICOS_SLACK_API_URL", "http://127.0.0.1:9/api/")
    assert Settings(_env_file=None).slack_api_url == "http://127.0.0.1:9/api/"
    monkeypatch.setenv("AICOS_SLACK_API_URL", "slack.example/api")
    with pytest.raises(ValueError, match="AICOS_SLACK_API_URL must be an http"):
        Settings(_env_file=None)


async def test_a_live_edit_of_a_backfilled_message_keeps_its_conversation_name_and_permalink_in_search(backfill):
    """One function makes the search row whichever way the message came: an edit arriving as an event
    replaces the backfill's row without losing where it was said or its link."""
    from src.adapters.inbound.slack.message_events import take_message_event
    from src.application.use_cases.take_live_message import TakeLiveMessage

    await backfill.run("full")
    before = (await backfill.hits("budget deck"))[0].metadata
    take = TakeLiveMessage(backfill.store, backfill.container.search_index(), backfill.container.derive_items())
    edit = {"type": "message", "subtype": "message_changed", "channel": "D01DANA", "channel_type": "im",
            "message": {"type": "message", "user": "U02DANA", "ts": before["ts"],
                        "text": "<@U01ALEX> can you send me the budget deck by Monday?",
                        "edited": {"user": "U02DANA", "ts": ts(900)}}}
    assert await take_message_event(edit, take)
    (hit,) = [h.metadata for h in await backfill.hits("budget deck")]
    assert hit["text"] == "@Alex Rivera can you send me the budget deck by Monday?"
    assert (hit["conversation"], hit["permalink"]) == ("DM Dana Lee", before["permalink"])
