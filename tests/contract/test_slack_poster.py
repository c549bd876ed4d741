"""The SlackPoster contract: the adapter on slack_sdk against the loopback stand-in of
`chat.postMessage`, and the fake, answer every way Slack answers the same."""

import time

import pytest

from src.adapters.outbound.slack_poster import SlackWebPoster
from src.testing.slack_chat_standin import SlackChatStandin
from tests.fakes import FakeSlackPoster

MESSAGE = {"text": "Good morning: Daily brief", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*P1* ok"}}]}


class SlackPosterContract:
    """Subclass with `poster(mode)` and `posted()` (channel and text of what reached Slack)."""

    def poster(self, mode: str):
        raise NotImplementedError

    def posted(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    async def test_an_accepted_post_is_ok_and_reaches_the_channel_once(self):
        answer = await self.poster("ok").post("U01ALEX", MESSAGE)
        assert answer.ok and answer.error is None
        assert self.posted() == [("U01ALEX", MESSAGE["text"])]

    @pytest.mark.parametrize("code", ["channel_not_found", "invalid_auth"])
    async def test_a_refusal_is_its_error_code(self, code):
        answer = await self.poster(code).post("C0NOPE", MESSAGE)
        assert (answer.ok, answer.error) == (False, code)
        assert self.posted() == []

    async def test_a_rate_limit_says_how_long_to_wait(self):
        answer = await self.poster("ratelimited").post("U01ALEX", MESSAGE)
        assert (answer.ok, answer.error, answer.retry_after_s) == (False, "ratelimited", 3)

    async def test_a_server_error_is_an_answer_not_an_exception(self):
        answer = await self.poster("fail").post("U01ALEX", MESSAGE)
        assert not answer.ok and answer.error
        assert self.posted() == []

    async def test_a_slack_that_does_not_answer_is_a_timeout_in_bounded_time(self):
        started = time.monotonic()
        answer = await self.poster("hang").post("U01ALEX", MESSAGE)
        assert (answer.ok, answer.error) == (False, "timeout")
        assert time.monotonic() - started < 10


class TestFakeSlackPoster(SlackPosterContract):
    def poster(self, mode):
        self.fake = FakeSlackPoster(mode, retry_after_s=3)
        return self.fake

    def posted(self):
        return [(channel, message["text"]) for channel, message in self.fake.posts]


class TestSlackWebPoster(SlackPosterContract):
    @pytest.fixture(autouse=True)
    def standin(self):
        with SlackChatStandin(retry_after_s=3, token="xoxb-test") as standin:
            self.standin = standin
            yield standin

    def poster(self, mode):
        self.standin.set_mode(mode)
        return SlackWebPoster("xoxb-test", self.standin.base_url, timeout_s=1)

    def posted(self):
        return [(call.channel, call.text) for call in self.standin.posted]

    async def test_blocks_and_the_token_reach_slack(self):
        await self.poster("ok").post("U01ALEX", MESSAGE)
        [call] = self.standin.calls
        assert call.blocks == MESSAGE["blocks"] and call.token == "xoxb-test"

    async def test_a_wrong_token_is_invalid_auth(self):
        self.standin.set_mode("ok")
        answer = await SlackWebPoster("xoxb-wrong", self.standin.base_url, timeout_s=1).post("U01ALEX", MESSAGE)
        assert answer.error == "invalid_auth"

    async def test_nothing_listening_is_unreachable(self):
        from tests.live_server import free_port

        answer = await SlackWebPoster("xoxb-test", f"http://127.0.0.1:{free_port()}/api/", 1).post("U1", MESSAGE)
        assert (answer.ok, answer.error) == (False, "unreachable")
