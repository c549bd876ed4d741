"""The morning brief and meeting prep from a real `aicos serve` to the Slack stand-in on loopback:
exactly one post across restarts (SIGTERM and SIGKILL, before and after the post) and across two
workers on Redis; a prep on time; none for a meeting cancelled before its prep time."""

import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import httpx2 as httpx
import pytest
import redis

from src.testing.slack_chat_standin import SlackChatStandin
from tests.live_server import ROOT, live_server

TOKEN = "xoxb-test-outreach"
ME = "U01ALEXRIV,alex@example.com"
# A database no other test empties (the suite's is 15), for the Redis run.
REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def slack():
    with SlackChatStandin(token=TOKEN) as standin:
        yield standin


def env_for(slack, data_dir, clock_at: datetime | None = None, **more) -> dict[str, str]:
    """The settings of a server whose clock reads `clock_at` now (AICOS_CLOCK_OFFSET_S, test-only)."""
    env = {"AICOS_SLACK_BOT_TOKEN": TOKEN, "AICOS_SLACK_API_URL": slack.base_url, "AICOS_ME": ME,
           "AICOS_TIMEZONE": "UTC", "AICOS_DATA_DIR": str(data_dir), "AICOS_BRIEF_TIME": "07:30"}
    if clock_at is not None:
        env["AICOS_CLOCK_OFFSET_S"] = str((clock_at - datetime.now(timezone.utc)).total_seconds())
    env.update(more)
    return env


def at(hh_mm_ss: str) -> datetime:
    """Today (UTC) at that time: where a server's clock is set."""
    return datetime.fromisoformat(f"{datetime.now(timezone.utc).date()}T{hh_mm_ss}+00:00")


def wait_for(condition, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.1)


def fill_the_board_before_the_brief(slack, data_dir, **settings) -> None:
    """A server at 07:00 gets something to act on, then stops: the next one starts with it."""
    with live_server(env_for(slack, data_dir, at("07:00:00"), **settings)) as server:
        httpx.put(server.url + "/api/priorities", json=[{"title": "Approve the plan"}]).raise_for_status()


def aicos_outbox(data_dir, *args, **settings) -> str:
    env = {"AICOS_DATA_DIR": str(data_dir), "AICOS_TIMEZONE": "UTC", "PATH": "/usr/bin:/bin", **settings}
    done = subprocess.run([sys.executable, "-m", "src.cli", "outbox", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_restarts_around_the_brief_time_post_exactly_once(slack, tmp_path):
    # Before 07:30: stopped both ways, with the board filled in between.
    with live_server(env_for(slack, tmp_path, at("07:29:00"))) as server:
        httpx.put(server.url + "/api/priorities", json=[{"title": "Approve the hiring plan"}]).raise_for_status()
        assert server.stop(signal.SIGTERM) in (0, -signal.SIGTERM)  # uvicorn re-raises it once stopped
    with live_server(env_for(slack, tmp_path, at("07:29:10"))) as server:
        server.stop(signal.SIGKILL)
    assert slack.calls == []
    # Across 07:30: posted, then killed at once.
    with live_server(env_for(slack, tmp_path, at("07:29:58"))) as server:
        wait_for(lambda: slack.posted, "the morning brief posted")
        server.stop(signal.SIGKILL)
    # After the post: restarted, killed and stopped again, later the same day.
    for clock_at, sig in (("07:30:30", signal.SIGKILL), ("09:00:00", signal.SIGTERM), ("23:59:00", signal.SIGTERM)):
        with live_server(env_for(slack, tmp_path, at(clock_at))) as server:
            time.sleep(5)  # two passes of the schedule at least
            state = httpx.get(server.url + "/api/state").json()
            server.stop(sig)
        assert state["active_brief"]["kind"] == "daily"  # the dashboard opens on the posted brief
    [post] = slack.posted
    assert post.channel == "U01ALEXRIV" and "*P1* Approve the hiring plan" in str(post.blocks)
    assert len(slack.calls) == 1
    listed = aicos_outbox(tmp_path)
    assert "Sent (1)" in listed and "daily:" in listed and "Failed" not in listed


def test_two_workers_on_redis_post_once(slack, tmp_path):
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    client.flushdb()
    redis_env = {"AICOS_STATE_BACKEND": "redis", "AICOS_REDIS_URL": REDIS_URL}
    try:
        fill_the_board_before_the_brief(slack, tmp_path, **redis_env)
        env = env_for(slack, tmp_path, at("07:29:57"), **redis_env)
        with live_server(env, module="uvicorn", command=["src.bootstrap:app", "--workers", "2"]):
            wait_for(lambda: slack.posted, "the morning brief posted", timeout=30)
            time.sleep(6)  # both workers have looked again since
        assert len(slack.calls) == 1
        listed = aicos_outbox(tmp_path, "--state-backend", "redis", AICOS_REDIS_URL=REDIS_URL)
        assert "Sent (1)" in listed
    finally:
        client.flushdb()


def test_a_wrong_channel_is_failed_at_once_and_shown(slack, tmp_path):
    slack.set_mode("channel_not_found")
    fill_the_board_before_the_brief(slack, tmp_path)
    with live_server(env_for(slack, tmp_path, at("07:30:00"), AICOS_BRIEF_CHANNEL="C0NOTHERE")) as server:
        wait_for(lambda: httpx.get(server.url + "/api/state").json()["system"]["message"], "the failure shown")
        message = httpx.get(server.url + "/api/state").json()["system"]["message"]
        time.sleep(4)
        assert len(slack.calls) == 1  # no retry storm
    assert message == "could not post the morning brief to Slack: channel_not_found"
    assert "Failed (1)" in aicos_outbox(tmp_path)


def test_prep_lands_within_30_s_of_its_time_and_a_cancelled_meeting_gets_none(slack, tmp_path):
    env = env_for(slack, tmp_path, AICOS_PREP_MINUTES="1", AICOS_BRIEF_TIME="")
    with live_server(env) as server:
        now = datetime.now(timezone.utc)
        kept, cancelled = now + timedelta(seconds=75), now + timedelta(seconds=80)

        def meeting(title, start, key):
            return {"title": title, "key": key, "date": start.date().isoformat(), "time": start.strftime("%H:%M"),
                    "start": start.isoformat(), "attendees": ["dana@example.com", "alex@example.com"]}

        board = [meeting("Budget review", kept, "m-kept"), meeting("Hiring sync", cancelled, "m-cancelled")]
        httpx.put(server.url + "/api/calendar", json=board).raise_for_status()
        time.sleep(max(0.0, (cancelled - timedelta(seconds=65) - datetime.now(timezone.utc)).total_seconds()))
        # 5 s before its prep time, the second meeting is cancelled.
        httpx.put(server.url + "/api/calendar", json=board[:1]).raise_for_status()
        wait_for(lambda: slack.posted, "the prep posted", timeout=40)
        time.sleep(max(0.0, (cancelled - timedelta(seconds=55) - datetime.now(timezone.utc)).total_seconds()))
    [post] = slack.calls
    prep_time = (kept - timedelta(minutes=1)).timestamp()
    assert 0 <= post.at - prep_time <= 30
    assert "Budget review" in post.text and "Hiring sync" not in post.text
