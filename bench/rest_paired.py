"""REST of this tree beside another checkout of the service (an older commit) and the naive server,
all three running at once and measured in turns, so the load of the moment weighs on each alike.

    git worktree add /tmp/before dc1afc8
    python -m bench.rest_paired --against /tmp/before [--method GET] [--clients 50] [--rounds 8]

Each round measures every server for a few seconds (a closed loop of `--clients` connections), in an
order that alternates between rounds, and reads each server's CPU time over its turn: server CPU per
request is the figure that tells a change from noise on a shared machine (requests a second swing with
whatever else runs; the CPU a request costs much less). Prints one JSON line per server: medians of
the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psutil

from bench.run import rest_closed_loop
from tests.live_server import LiveServer, live_server

HERE = Path(__file__).resolve().parent.parent


@contextmanager
def server_of(tree: Path, module: str = "src.cli") -> Iterator[LiveServer]:
    """`python -m MODULE serve` run from `tree` (its own code, this interpreter and packages)."""
    with live_server({"PYTHONPATH": str(tree)}, module=module, cwd=tree) as running:
        yield running


def measure(servers: dict[str, LiveServer], method: str, clients: int, rounds: int, seconds: float) -> list[dict]:
    for running in servers.values():  # warm-up
        asyncio.run(rest_closed_loop(running.port, method, clients, 1.0))
    turns: dict[str, list[tuple[float, float, float]]] = {name: [] for name in servers}
    for round_number in range(rounds):
        order = list(servers) if round_number % 2 == 0 else list(reversed(servers))
        for name in order:
            process = psutil.Process(servers[name].process.pid)
            cpu_before = sum(process.cpu_times()[:2])
            result = asyncio.run(rest_closed_loop(servers[name].port, method, clients, seconds))
            cpu_us = (sum(process.cpu_times()[:2]) - cpu_before) / max(result["requests"], 1) * 1e6
            turns[name].append((result["rps"], cpu_us, result["p99_ms"]))
    return [{"scenario": f"rest_paired_{method.lower()}_{clients}_clients", "server": name, "rounds": rounds,
             "rps": round(statistics.median(t[0] for t in measured), 1),
             "server_cpu_us_per_request": round(statistics.median(t[1] for t in measured), 1),
             "p99_ms": round(statistics.median(t[2] for t in measured), 2),
             "load_1m": round(os.getloadavg()[0], 2)}
            for name, measured in turns.items()]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", type=Path, required=True, help="a checkout of the service to compare with")
    parser.add_argument("--method", choices=("GET", "POST"), default="GET")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    with ExitStack() as stack:
        servers = {"this tree": stack.enter_context(server_of(HERE)),
                   str(args.against): stack.enter_context(server_of(args.against.resolve())),
                   "naive": stack.enter_context(server_of(HERE, "bench.naive_server"))}
        for row in measure(servers, args.method, args.clients, args.rounds, args.seconds):
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
