"""A real server that posts the morning brief and meeting prep to the Slack stand-in: its settings,
a clock set just before the brief time, and `aicos outbox` beside it (integration and e2e tests)."""

import subprocess
import sys
import time
from datetime import datetime, timezone

import httpx2 as httpx
import pytest

from src.testing.slack_web_standin import SlackWebStandin
from tests.live_server import ROOT, live_server

TOKEN = "xoxb-test-outreach"
ME = "U01ALEXRIV,alex@example.com"
# A database no other test empties (the suite's is 15), for the Redis run.
REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def slack():
    with SlackWebStandin(tokens={TOKEN: "active"}) as standin:
        yield standin


def env_for(slack, data_dir, clock_at: datetime | None = None, **more) -> dict[str, str]:
    """The settings of a server whose clock reads `clock_at` now (AICOS_CLOCK_OFFSET_S, test-only);
    the stand-in's clock (the `ts` of what is posted) is set the same way, as Slack's and a real
    service's agree."""
    env = {"AICOS_SLACK_BOT_TOKEN": TOKEN, "AICOS_SLACK_API_URL": slack.base_url, "AICOS_ME": ME,
           "AICOS_TIMEZONE": "UTC", "AICOS_DATA_DIR": str(data_dir), "AICOS_BRIEF_TIME": "07:30"}
    slack.clock_offset_s = 0.0
    if clock_at is not None:
        slack.clock_offset_s = (clock_at - datetime.now(timezone.utc)).total_seconds()
        env["AICOS_CLOCK_OFFSET_S"] = str(slack.clock_offset_s)
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
