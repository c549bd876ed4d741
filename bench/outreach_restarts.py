"""Exactly one morning brief across many restarts of a real server around its time (issue #17).

    python -m bench.outreach_restarts [--restarts 20] [--seed 7]

One data folder, one Slack stand-in on loopback. Each round starts `aicos serve` with its clock set
(AICOS_CLOCK_OFFSET_S, test-only) somewhere around 07:30, waits a random moment (sometimes past the
post), and stops it with SIGTERM or SIGKILL, chosen at random. At the end: how many posts reached
the stand-in (must be 1), how many rounds stopped before the post and how many after, and the time.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import time

import httpx2 as httpx

from src.testing.slack_web_standin import SlackWebStandin
from tests.live_server import live_server
from tests.outreach_server import TOKEN, at, env_for


def run(restarts: int, seed: int) -> dict:
    chance = random.Random(seed)
    import tempfile

    data_dir = tempfile.mkdtemp(prefix="aicos-bench-outreach-")
    started = time.monotonic()
    before = after = 0
    with SlackWebStandin(tokens={TOKEN: "active"}) as slack:
        with live_server(env_for(slack, data_dir, at("07:00:00"))) as server:
            httpx.put(server.url + "/api/priorities", json=[{"title": "Approve the plan"}]).raise_for_status()
        for round_ in range(restarts):
            # The clock walks across 07:30: the first rounds before it, the rest after.
            second = 29 * 60 + 50 + round_ * 2
            clock = at(f"07:{second // 60:02d}:{second % 60:02d}")
            sig = chance.choice([signal.SIGTERM, signal.SIGKILL])
            with live_server(env_for(slack, data_dir, clock)) as server:
                time.sleep(chance.uniform(0.0, 2.5))
                posted_before_stop = len(slack.posted)
                server.stop(sig)
            before, after = (before + 1, after) if posted_before_stop == 0 else (before, after + 1)
            print(f"round {round_ + 1:2d}: clock {clock.time()}, {sig.name:7s} "
                  f"{'after' if posted_before_stop else 'before'} the post", file=sys.stderr)
        posts = len(slack.posted)
    return {"restarts": restarts, "posts": posts, "stopped_before_post": before, "stopped_after_post": after,
            "seconds": round(time.monotonic() - started, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--restarts", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    result = run(args.restarts, args.seed)
    print(result)
    return 0 if result["posts"] == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
