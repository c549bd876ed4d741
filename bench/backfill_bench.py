"""The Slack backfill benchmark (issue #16): 100,000 messages through the Web API stand-in.

    python -m bench.backfill_bench [--messages 100000] [--conversations 20]

The stand-in serves a generated workspace (no rate limit) from a process of its own, as Slack's
servers are not in ours; the `slack_api` collector backfills it (`full`) into a fresh search index
and conversation store: messages per second over the whole run (users, conversations, every history
page and every thread's replies, indexed). Then a `quick` with nothing new, counting the calls per
method: only those that look for news should be made (one history call per conversation).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
import psutil

WORDS = ("budget review deck launch vendor renewal hiring plan offsite roadmap customer churn forecast quarter "
         "contract legal signoff design sprint retro incident postmortem pricing migration dashboard metrics "
         "board meeting agenda notes draft approve deadline friday monday numbers slides").split()
REPLIES_EVERY = 40  # one top-level message in 40 opens a thread
REPLIES_PER_THREAD = 3
START = 1733000000.0  # about a year before the corpus ends: a message every few minutes per conversation


def workspace(messages: int, conversations: int, seed: int = 16) -> dict[str, Any]:
    """Users, channels and `messages` messages in all (replies included), spread over a year."""
    rng = random.Random(seed)
    users = [{"id": f"U{n:05d}", "name": f"user{n}", "real_name": f"User {n}",
              "profile": {"real_name": f"User {n}", "display_name": f"user{n}", "email": f"user{n}@example.com"}}
             for n in range(200)]
    channels = [{"id": f"C{n:05d}", "name": f"channel-{n}", "is_channel": True, "is_member": True,
                 "members": [u["id"] for u in users[n::7]]} for n in range(conversations)]
    per_conversation = messages // conversations
    span = 365 * 86400
    found: dict[str, list[dict[str, Any]]] = {}
    for channel in channels:
        listed: list[dict[str, Any]] = []
        step = span / per_conversation
        at = START
        while len(listed) < per_conversation:
            at += step * rng.uniform(0.5, 1.0)
            message = {"ts": f"{at:.6f}", "user": rng.choice(users)["id"], "type": "message",
                       "text": " ".join(rng.choices(WORDS, k=rng.randint(6, 20))),
                       "client_msg_id": f"{channel['id']}-{len(listed)}"}
            listed.append(message)
            if len(listed) % REPLIES_EVERY == 0:
                for reply in range(REPLIES_PER_THREAD):
                    if len(listed) >= per_conversation:
                        break
                    listed.append({"ts": f"{at + 1 + reply:.6f}", "thread_ts": message["ts"], "type": "message",
                                   "user": rng.choice(users)["id"], "text": " ".join(rng.choices(WORDS, k=8)),
                                   "client_msg_id": f"{channel['id']}-{len(listed)}"})
                at += REPLIES_PER_THREAD + 1
        found[channel["id"]] = listed
    return {"users": users, "conversations": channels, "messages": found}


def serve(messages: int, conversations: int) -> None:
    """The stand-in over the generated workspace, in this process until stdin closes; its address
    goes to stdout. `bench.calls` answers the calls per method so far."""
    from src.testing.slack_web_standin import SlackWebStandin

    content = workspace(messages, conversations)
    standin = SlackWebStandin(content["users"], content["conversations"], content["messages"])
    standin.add_method("bench.calls", lambda params: {"calls": dict(standin.calls)})
    with standin:
        print(standin.base_url, flush=True)
        sys.stdin.read()


def _calls(base_url: str) -> dict[str, int]:
    import urllib.request

    from src.testing.slack_web_standin import DEFAULT_TOKEN

    request = urllib.request.Request(base_url + "bench.calls", headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
    with urllib.request.urlopen(request) as answer:
        calls = orjson.loads(answer.read())["calls"]
    calls.pop("bench.calls", None)
    return calls


async def _backfill(base_url: str, folder: Path) -> dict[str, Any]:
    from src.adapters.outbound.memory_conversations import MemoryConversations
    from src.adapters.outbound.slack_backfill import SlackBackfillCollector
    from src.bootstrap import create_container
    from src.config import Settings
    from src.testing.slack_web_standin import DEFAULT_TOKEN

    container = create_container(Settings(_env_file=None, state_backend="memory", data_dir=folder))
    store = MemoryConversations()
    collector = SlackBackfillCollector(DEFAULT_TOKEN, store, container.collector_hooks(), base_url=base_url)

    async def quiet(fraction: float, message: str | None) -> None:
        pass

    try:
        started, cpu_started = time.perf_counter(), time.process_time()
        outcome = await collector.collect("full", quiet)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        stored = sum(len(c.messages) for c in (await store.workspace()).conversations)
        indexed = (await container.search_index().stats())["by_source"].get("slack", 0)
        before = _calls(base_url)
        quick_started = time.perf_counter()
        await collector.collect("quick", quiet)
        quick_s = time.perf_counter() - quick_started
        after = _calls(base_url)
    finally:
        container.search_database().close()
    return {"summary": outcome.summary, "stored": stored, "indexed": indexed, "wall_s": round(elapsed, 2),
            "messages_per_s": round(stored / elapsed),
            # CPU of the collecting process (all its threads): what the run costs whatever else the machine does.
            "cpu_s": round(cpu, 2), "messages_per_cpu_s": round(stored / cpu), "full_calls": before,
            "second_quick_calls": {m: n - before.get(m, 0) for m, n in after.items() if n - before.get(m, 0)},
            "second_quick_s": round(quick_s, 3)}


def scenario_backfill(messages: int = 100_000, conversations: int = 20) -> list[dict]:
    load = round(os.getloadavg()[0], 2)  # a shared machine: how busy it was
    server = subprocess.Popen([sys.executable, "-m", "bench.backfill_bench", "--serve", "--messages", str(messages),
                               "--conversations", str(conversations)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parent.parent)
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        if not base_url:
            raise RuntimeError("the Slack Web API stand-in did not start")
        standin_cpu = psutil.Process(server.pid).cpu_times()
        with tempfile.TemporaryDirectory(prefix="aicos-backfill-") as folder:
            result = asyncio.run(_backfill(base_url, Path(folder)))
        served = psutil.Process(server.pid).cpu_times()
        result["standin_cpu_s"] = round(served.user + served.system - standin_cpu.user - standin_cpu.system, 2)
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(30)
    return [{"scenario": "slack_backfill", "messages": messages, "conversations": conversations, **result,
             "target_messages_per_s": 5000, "load_1m_before": load}]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--serve", action="store_true", help="only serve the stand-in (used by the bench)")
    args = parser.parse_args()
    if args.serve:
        serve(args.messages, args.conversations)
        return 0
    for row in scenario_backfill(args.messages, args.conversations):
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
