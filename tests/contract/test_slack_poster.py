"""The SlackPoster contract: the adapter on slack_sdk against the loopback Slack Web API stand-in,
and the fake, answer every way Slack answers the same, and find a post by its key afterwards (also
one whose answer was lost on the way back)."""

import time
from datetime import datetime, timedelta, timezone

import pytest

from src.adapters.outbound.slack_poster import SlackWebPoster
from src.testing.slack_web_standin import SlackWebStandin
from tests.fakes import FakeSlackPoster

MESSAGE = {"text": "Good morning: Daily brief", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*P1* ok"}}]}
KEY = "daily:2026-11-30"


def a_minute_ago() -> datetime:
    return datetime.now(timezone.utc) - timedelta(minutes=1)


class SlackPosterContract:
    """Subclass with `poster(mode)` (the next post answered in that mode) and `posted()` (channel
    as posted to, and text, of what reached Slack)."""

    def poster(self, mode: str):
        raise NotImplementedError

    def posted(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def break_lookups(self, error: str) -> None:
        raise NotImplementedError

    async def test_an_accepted_post_is_ok_and_reaches_the_channel_once(self):
        answer = await self.poster("ok").post("U01ALEX", MESSAGE, KEY)
        assert answer.ok and answer.error is None
        assert self.posted() == [("U01ALEX", MESSAGE["text"])]

    @pytest.mark.parametrize("code", ["channel_not_found", "invalid_auth"])
    async def test_a_refusal_is_its_error_code(self, code):
        answer = await self.poster(code).post("C0NOPE", MESSAGE, KEY)
        assert (answer.ok, answer.error) == (False, code)
        assert self.posted() == []

    async def test_a_rate_limit_says_how_long_to_wait(self):
        answer = await self.poster("ratelimited").post("U01ALEX", MESSAGE, KEY)
        assert (answer.ok, answer.error, answer.retry_after_s) == (False, "ratelimited", 3)

    async def test_a_server_error_is_an_answer_not_an_exception(self):
        answer = await self.poster("server_error").post("U01ALEX", MESSAGE, KEY)
        assert not answer.ok and answer.error
        assert self.posted() == []

    async def test_a_slack_that_does_not_answer_is_a_timeout_in_bounded_time(self):
        started = time.monotonic()
        answer = await self.poster("hang").post("U01ALEX", MESSAGE, KEY)
        assert (answer.ok, answer.error) == (False, "timeout")
        assert time.monotonic() - started < 10

    async def test_a_post_is_found_by_its_key_in_the_channel_it_went_to(self):
        poster = self.poster("ok")
        since = a_minute_ago()
        await poster.post("U01ALEX", MESSAGE, KEY)
        assert await poster.find_post("U01ALEX", KEY, since) == (True, None)
        assert await poster.find_post("U01ALEX", "daily:2026-12-01", since) == (False, None)
        assert await poster.find_post("U02DANA", KEY, since) == (False, None)

    async def test_a_post_from_before_since_is_not_looked_at(self):
        poster = self.poster("ok")
        await poster.post("U01ALEX", MESSAGE, KEY)
        assert await poster.find_post("U01ALEX", KEY, datetime.now(timezone.utc) + timedelta(hours=1)) == (False, None)

    @pytest.mark.parametrize("lost", ["accept_then_hang", "accept_then_close"])
    async def test_a_post_whose_answer_was_lost_is_not_ok_but_is_found(self, lost):
        poster = self.poster(lost)
        since = a_minute_ago()
        answer = await poster.post("U01ALEX", MESSAGE, KEY)
        assert not answer.ok and answer.error in ("timeout", "unreachable")
        assert self.posted() == [("U01ALEX", MESSAGE["text"])]
        assert await poster.find_post("U01ALEX", KEY, since) == (True, None)

    async def test_a_post_that_never_reached_slack_is_not_found(self):
        poster = self.poster("hang")
        since = a_minute_ago()
        await poster.post("U01ALEX", MESSAGE, KEY)
        assert await poster.find_post("U01ALEX", KEY, since) == (False, None)

    async def test_a_lookup_slack_refuses_is_its_error_not_an_answer(self):
        poster = self.poster("ok")
        await poster.post("U01ALEX", MESSAGE, KEY)
        self.break_lookups("missing_scope")
        assert await poster.find_post("U01ALEX", KEY, a_minute_ago()) == (False, "missing_scope")


class TestFakeSlackPoster(SlackPosterContract):
    fake: FakeSlackPoster | None = None

    def poster(self, mode):
        if self.fake is None:
            self.fake = FakeSlackPoster(retry_after_s=3)
        self.fake.then(mode)
        return self.fake

    def posted(self):
        return [(channel, message["text"]) for channel, message in self.fake.posts]

    def break_lookups(self, error):
        self.fake.lookup_error = error


class TestSlackWebPoster(SlackPosterContract):
    @pytest.fixture(autouse=True)
    def standin(self):
        conversations = [{"id": "C0BRIEFS", "name": "chief-of-staff", "is_channel": True, "members": ["UBOT"]}]
        with SlackWebStandin(conversations=conversations, tokens={"xoxb-test": "active"}) as standin:
            self.standin = standin
            yield standin

    def poster(self, mode):
        if mode != "ok":
            self.standin.fail("chat.postMessage", mode, retry_after=3)
        return SlackWebPoster("xoxb-test", self.standin.base_url, timeout_s=1)

    def posted(self):
        return [(posted.to, posted.text) for posted in self.standin.posted]

    def break_lookups(self, error):
        self.standin.fail("conversations.history", error)

    async def test_blocks_and_the_key_reach_slack_and_history_keeps_them(self):
        await self.poster("ok").post("U01ALEX", MESSAGE, KEY)
        [posted] = self.standin.posted
        assert posted.channel == "D01ALEX"  # a user id's post lands in their DM with the bot
        assert posted.blocks == MESSAGE["blocks"]
        assert posted.metadata == {"event_type": "aicos_post", "event_payload": {"key": KEY}}
        [kept] = self.standin.history("D01ALEX")
        assert kept["metadata"]["event_payload"]["key"] == KEY

    async def test_a_channel_named_with_a_hash_is_posted_to_and_looked_in(self):
        poster = self.poster("ok")
        since = a_minute_ago()
        assert (await poster.post("#chief-of-staff", MESSAGE, KEY)).ok
        assert [p.channel for p in self.standin.posted] == ["C0BRIEFS"]
        assert await poster.find_post("#chief-of-staff", KEY, since) == (True, None)
        assert await poster.find_post("#elsewhere", KEY, since) == (False, "channel_not_found")

    async def test_the_lookup_asks_history_with_metadata_from_since(self):
        poster = self.poster("ok")
        since = a_minute_ago()
        await poster.post("C0BRIEFS", MESSAGE, KEY)
        await poster.find_post("C0BRIEFS", KEY, since)
        [asked] = self.standin.requests("conversations.history")
        assert asked.params["include_all_metadata"] in ("1", "true")
        assert float(asked.params["oldest"]) <= since.timestamp()

    async def test_a_wrong_token_is_invalid_auth(self):
        answer = await SlackWebPoster("xoxb-wrong", self.standin.base_url, timeout_s=1).post("U01ALEX", MESSAGE, KEY)
        assert answer.error == "invalid_auth"

    async def test_nothing_listening_is_unreachable(self):
        from tests.live_server import free_port

        poster = SlackWebPoster("xoxb-test", f"http://127.0.0.1:{free_port()}/api/", 1)
        assert (await poster.post("U1", MESSAGE, KEY)).error == "unreachable"
        assert await poster.find_post("U1", KEY, a_minute_ago()) == (False, "unreachable")
