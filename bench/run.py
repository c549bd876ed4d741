"""`make bench`: the service and the naive baseline, each as a real uvicorn server on loopback.

Every scenario runs against both servers in the same run and prints one JSON line per server;
all lines go to bench/results/<date>.jsonl together with the machine's core count.

    python -m bench.run                 # everything
    python -m bench.run rest fanout     # some scenarios (rest, fanout, fanout_paired, slow, churn, v2, workers, search,
                                        # search_exported, collect, reader, backfill, caldav, brief, events)

`search` needs no server: it indexes a generated 340,000-record corpus and runs a query mix beside
plain FTS5 (bench/search_bench.py); `search_exported` indexes it again with the Slack messages in
Slack's own shape (blocks, profiles: four times the bytes). `collect` has a real server collect a 340,000-message Slack
export beside a naive one-transaction-per-file loop (bench/collect_bench.py). `reader` measures the
built-in message reader beside a loop that only lower-cases the same messages, and POST /api/extract
through a real server (bench/reader_bench.py). `backfill` has the `slack_api` collector backfill
100,000 messages from the Slack Web API stand-in, then counts the calls of a quick with nothing new
(bench/backfill_bench.py).
`caldav` syncs a 500-event calendar on a real Radicale
server, then again after changing one event, counting the hrefs fetched (bench/caldav_bench.py).
`brief` builds meeting and daily briefs over the
same 340,000-record corpus through the real search index (bench/brief_bench.py).
`events` sends 100 signed Slack message events one
after another to a real server and times each until it is searchable and on the board, beside a
plain REST round trip (bench/events_bench.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import psutil

from bench.loadgen import HttpConnection, WsClient, percentile
from bench.backfill_bench import scenario_backfill
from bench.caldav_bench import scenario_caldav
from bench.brief_bench import scenario_brief
from bench.collect_bench import scenario_collect
from bench.events_bench import scenario_events
from bench.reader_bench import scenario_reader
from bench.search_bench import scenario_search
from tests.live_server import LiveServer, live_server

HOST = "127.0.0.1"
RESULTS = Path(__file__).parent / "results"
# Each is started as `python -m MODULE serve --port N`; both run uvicorn with the same settings.
SERVERS = {"aicos": "src.cli", "naive": "bench.naive_server"}


def rss_mib(running: LiveServer) -> float:
    return psutil.Process(running.process.pid).memory_info().rss / 2**20


def summary(latencies_ns: list[int], seconds: float) -> dict:
    ms = [value / 1e6 for value in latencies_ns]
    return {
        "requests": len(ms),
        "rps": round(len(ms) / seconds, 1),
        "p50_ms": round(percentile(ms, 0.50), 3),
        "p99_ms": round(percentile(ms, 0.99), 3),
        "max_ms": round(max(ms), 3) if ms else None,
    }


def request_for(method: str, counter: list[int]) -> tuple[str, str, bytes | None]:
    if method == "GET":
        return "GET", "/api/system/status", None
    counter[0] += 1
    return "POST", "/api/system/status", json.dumps({"message": f"bench {counter[0]}"}).encode()


# -- REST ----------------------------------------------------------------------------------------------

async def rest_closed_loop(port: int, method: str, clients: int, seconds: float) -> dict:
    """`clients` connections, each sending its next request as soon as the last is answered."""
    counter = [0]
    latencies: list[int] = []
    deadline = time.monotonic() + seconds

    async def one_client() -> None:
        connection = await HttpConnection(HOST, port).open()
        try:
            while time.monotonic() < deadline:
                verb, path, body = request_for(method, counter)
                started = time.monotonic_ns()
                assert await connection.request(verb, path, body) == 200
                latencies.append(time.monotonic_ns() - started)
        finally:
            connection.close()

    started = time.monotonic()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    return summary(latencies, time.monotonic() - started)


async def rest_open_loop(port: int, method: str, rate: int, connections: int, seconds: float) -> dict:
    """A steady offered load: each connection has its own schedule, and latency counts from the
    scheduled time, so a server that falls behind is not excused by the client waiting for it."""
    counter = [0]
    latencies: list[int] = []
    interval_ns = int(connections / rate * 1e9)
    begin = time.monotonic_ns() + 50_000_000
    end = begin + int(seconds * 1e9)

    async def one_connection(index: int) -> None:
        connection = await HttpConnection(HOST, port).open()
        scheduled = begin + index * interval_ns // connections
        try:
            while scheduled < end:
                delay = (scheduled - time.monotonic_ns()) / 1e9
                if delay > 0:
                    await asyncio.sleep(delay)
                verb, path, body = request_for(method, counter)
                assert await connection.request(verb, path, body) == 200
                latencies.append(time.monotonic_ns() - scheduled)
                scheduled += interval_ns
        finally:
            connection.close()

    await asyncio.gather(*(one_connection(i) for i in range(connections)))
    result = summary(latencies, seconds)
    result["offered_rps"] = rate
    return result


async def scenario_rest(name: str, running: LiveServer) -> list[dict]:
    rows = []
    for method in ("GET", "POST"):
        await rest_closed_loop(running.port, method, 1, 1.0)  # warm-up
        rows.append({"scenario": f"rest_{method.lower()}_1_client",
                     **await rest_closed_loop(running.port, method, 1, 5.0)})
        rows.append({"scenario": f"rest_{method.lower()}_50_clients_throughput",
                     **await rest_closed_loop(running.port, method, 50, 5.0)})
        rows.append({"scenario": f"rest_{method.lower()}_1000rps_50_connections",
                     **await rest_open_loop(running.port, method, 1000, 50, 5.0)})
    return rows


# -- WebSocket fan-out -------------------------------------------------------------------------------

async def connect_many(port: int, count: int, batch: int = 100) -> list[WsClient]:
    clients: list[WsClient] = []
    for start in range(0, count, batch):
        clients += await asyncio.gather(*(WsClient.connect(HOST, port) for _ in range(min(batch, count - start))))
    return clients


async def scenario_fanout(name: str, running: LiveServer, clients_count: int = 1000, updates: int = 30) -> list[dict]:
    clients = await connect_many(running.port, clients_count)
    poster = await HttpConnection(HOST, running.port).open()
    await asyncio.sleep(0.5)
    latencies: list[int] = []
    missing = 0
    for update in range(updates):
        started = time.monotonic_ns()
        assert await poster.request("POST", "/api/system/status",
                                    json.dumps({"message": f"fan-out {update}"}).encode()) == 200
        await asyncio.sleep(0.15)  # let every client receive it before the next change
        for client in clients:
            arrival = _arrival_after(client, started)
            if arrival is None:
                missing += 1
            else:
                latencies.append(arrival - started)
    poster.close()
    await asyncio.gather(*(client.close() for client in clients))
    result = summary(latencies, 1.0)
    return [{"scenario": f"ws_fanout_{clients_count}_clients", "clients": clients_count, "updates": updates,
             "p50_ms": result["p50_ms"], "p99_ms": result["p99_ms"], "max_ms": result["max_ms"],
             "deliveries": len(latencies), "missed": missing}]


def _arrival_after(client: WsClient, started_ns: int) -> int | None:
    """The first frame the client received after `started_ns` (each update is alone in its window)."""
    later = [arrived for arrived in client.arrivals.values() if arrived >= started_ns]
    return min(later) if later else None


async def scenario_fanout_paired(servers: dict[str, LiveServer], clients_count: int = 1000,
                                rounds: int = 30) -> list[dict]:
    """The fan-out of `scenario_fanout` on both servers at once, their rounds taking turns: on a
    shared machine the load of the moment then weighs on both alike, where one server after the
    other measures each in a different minute. Also each server's CPU time per round (psutil)."""
    clients = {name: await connect_many(running.port, clients_count) for name, running in servers.items()}
    posters = {name: await HttpConnection(HOST, running.port).open() for name, running in servers.items()}
    processes = {name: psutil.Process(running.process.pid) for name, running in servers.items()}
    await asyncio.sleep(0.5)
    latencies: dict[str, list[int]] = {name: [] for name in servers}
    cpu = {name: 0.0 for name in servers}
    missing = dict.fromkeys(servers, 0)
    for update in range(rounds):
        for name in (servers if update % 2 == 0 else reversed(list(servers))):
            before = sum(processes[name].cpu_times()[:2])
            started = time.monotonic_ns()
            assert await posters[name].request("POST", "/api/system/status",
                                               json.dumps({"message": f"fan-out {update}"}).encode()) == 200
            await asyncio.sleep(0.15)
            cpu[name] += sum(processes[name].cpu_times()[:2]) - before
            for client in clients[name]:
                arrival = _arrival_after(client, started)
                if arrival is None:
                    missing[name] += 1
                else:
                    latencies[name].append(arrival - started)
    for poster in posters.values():
        poster.close()
    await asyncio.gather(*(client.close() for group in clients.values() for client in group))
    rows = []
    for name in servers:
        result = summary(latencies[name], 1.0)
        rows.append({"server": name, "scenario": f"ws_fanout_paired_{clients_count}_clients", "clients": clients_count,
                     "updates": rounds, "p50_ms": result["p50_ms"], "p99_ms": result["p99_ms"],
                     "max_ms": result["max_ms"], "cpu_ms_per_round": round(cpu[name] * 1000 / rounds, 1),
                     "deliveries": len(latencies[name]), "missed": missing[name]})
    naive = next(row for row in rows if row["server"] == "naive")
    for row in rows:
        row["p99_to_naive"] = round(row["p99_ms"] / naive["p99_ms"], 2)
    return rows


def run_fanout_paired(machine: dict, out) -> None:
    with live_server({}, module=SERVERS["aicos"]) as aicos, live_server({}, module=SERVERS["naive"]) as naive:
        rows = asyncio.run(scenario_fanout_paired({"aicos": aicos, "naive": naive}))
    for row in rows:
        line = json.dumps({**row, **machine})
        print(line, flush=True)
        out.write(line + "\n")


# -- slow consumer -----------------------------------------------------------------------------------

def board(calendar: int, priorities: int, commitments: int) -> dict[str, object]:
    """A board of realistic items, so frames have a realistic size."""
    return {
        "calendar": [{"title": f"Meeting {n} about the Q{n % 4 + 1} plan", "date": "2026-11-26",
                      "time": f"{8 + n % 10:02d}:{n % 4 * 15:02d}", "attendees": [f"person{n}@example.com"],
                      "location": "Room 4"} for n in range(calendar)],
        "priorities": [{"title": f"Priority {n}: review the vendor contract", "due_date": "2026-11-27",
                        "source": "slack"} for n in range(priorities)],
        "commitments": {"owe": [{"text": f"Send notes {n}", "counterparty": "lee@example.com"}
                                for n in range(commitments // 2)],
                        "owed": [{"text": f"Budget numbers {n}", "counterparty": "cfo@example.com"}
                                 for n in range(commitments - commitments // 2)]},
    }


async def get_json(port: int, path: str) -> dict:
    connection = await HttpConnection(HOST, port).open()
    try:
        connection.writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        head = await connection.reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        return json.loads(await connection.reader.readexactly(length))
    finally:
        connection.close()


async def seed_board(port: int, parts: dict[str, object]) -> None:
    connection = await HttpConnection(HOST, port).open()
    for part, items in parts.items():
        assert await connection.request("PUT", f"/api/{part}", json.dumps(items).encode()) == 200
    connection.close()


async def scenario_slow(name: str, running: LiveServer, updates: int = 20_000, healthy_count: int = 100) -> list[dict]:
    """100 clients that read, plus one that completed the handshake and never reads, while 20,000
    changes are posted; then the same without the stalled client, as the control."""
    await seed_board(running.port, board(10, 8, 8))
    await _slow_run(running, 2_000, healthy_count, with_stalled=False)  # warm-up: the first run is always slower
    control = await _slow_run(running, updates, healthy_count, with_stalled=False)
    return [await _slow_run(running, updates, healthy_count, with_stalled=True), control]


async def _slow_run(running: LiveServer, updates: int, healthy_count: int, with_stalled: bool) -> dict:
    healthy = await connect_many(running.port, healthy_count)
    stalled = await WsClient.connect(HOST, running.port) if with_stalled else None
    if stalled:
        stalled.pause()  # from here the kernel buffers fill and the server sees a client taking nothing
    frame_bytes = len(json.dumps(await get_json(running.port, "/api/state")))
    rss_before = rss_peak = rss_mib(running)
    posters = [await HttpConnection(HOST, running.port).open() for _ in range(4)]
    post_latencies: list[int] = []
    sample_starts: list[int] = []
    blocked = False

    async def post_loop(index: int, connection: HttpConnection) -> None:
        nonlocal blocked, rss_peak
        for n in range(updates // len(posters)):
            if blocked:
                return
            started = time.monotonic_ns()
            body = json.dumps({"message": f"slow {index}-{n}"}).encode()
            try:
                async with asyncio.timeout(5):
                    await connection.request("POST", "/api/system/status", body)
            except TimeoutError:
                blocked = True  # the naive server waits on the stalled client: stop here
                return
            post_latencies.append(time.monotonic_ns() - started)
            if n % 100 == 0:
                sample_starts.append(started)
                rss_peak = max(rss_peak, rss_mib(running))

    began = time.monotonic()
    await asyncio.gather(*(post_loop(i, c) for i, c in enumerate(posters)))
    elapsed = time.monotonic() - began
    await asyncio.sleep(3.0)  # past the stall timeout (2 s in the bench)
    registered = (await get_json(running.port, "/health")).get("websocket_clients")
    if stalled:
        stalled.resume()  # it reads what was buffered for it, then (on the service) the close frame
        await asyncio.wait({stalled.closed}, timeout=30)
    delivery = [
        arrival - started
        for started in sample_starts
        for client in healthy
        if (arrival := _arrival_after(client, started)) is not None
    ]
    for connection in posters:
        connection.close()
    await asyncio.gather(*(client.close() for client in healthy), *([stalled.close()] if stalled else []))
    post = summary(post_latencies, elapsed)
    return {
        "scenario": "ws_slow_consumer" if with_stalled else "ws_slow_consumer_control",
        "frame_bytes": frame_bytes, "updates_posted": len(post_latencies), "updates_planned": updates,
        "posts_blocked": blocked, "post_p50_ms": post["p50_ms"], "post_p99_ms": post["p99_ms"],
        "post_max_ms": post["max_ms"], "posts_per_s": post["rps"],
        "healthy_delivery_p50_ms": round(percentile(delivery, 0.5) / 1e6, 3) if delivery else None,
        "healthy_delivery_p99_ms": round(percentile(delivery, 0.99) / 1e6, 3) if delivery else None,
        "clients_registered_after": registered,
        "stalled_close_code": stalled.close_code if stalled else None,
        "rss_before_mib": round(rss_before, 1), "rss_peak_mib": round(rss_peak, 1),
    }


# -- churn ---------------------------------------------------------------------------------------------

async def scenario_churn(name: str, running: LiveServer, cycles: int = 5000, parallel: int = 10) -> list[dict]:
    """Connect, receive the state, close: 5,000 times. Memory must not grow and nobody stays registered."""
    async def worker(count: int) -> None:
        for _ in range(count):
            client = await WsClient.connect(HOST, running.port)
            while not client.frames:
                await asyncio.sleep(0.001)
            await client.close()

    # Warm-up at the same parallelism: the first connections' allocations (buffers, arenas) stay with
    # the process, and are not a leak (a second round of 5,000 grows by well under 0.1 MiB).
    await asyncio.gather(*(worker(100) for _ in range(parallel)))
    await asyncio.sleep(0.5)
    rss_before = rss_mib(running)
    began = time.monotonic()
    await asyncio.gather(*(worker(cycles // parallel) for _ in range(parallel)))
    elapsed = time.monotonic() - began
    await asyncio.sleep(1.0)
    health = await get_json(running.port, "/health")
    return [{
        "scenario": "ws_churn", "cycles": cycles, "cycles_per_s": round(cycles / elapsed, 1),
        "rss_before_mib": round(rss_before, 1), "rss_after_mib": round(rss_mib(running), 1),
        "rss_growth_mib": round(rss_mib(running) - rss_before, 2),
        "clients_registered_after": health.get("websocket_clients"),
    }]


# -- protocol v2 --------------------------------------------------------------------------------------

async def _next_of(ws, kind: str) -> tuple[dict, int]:
    while True:
        raw = await asyncio.wait_for(ws.recv(), 10)
        frame = json.loads(raw)
        if frame.get("type", kind if "meta" in frame else None) == kind:
            return frame, len(raw.encode())


async def scenario_v2(name: str, running: LiveServer) -> list[dict]:
    """Bytes per change, v2 patch against v1 document, on a 50/30/40 board; and a resume after a
    30 s disconnect with 100 changes missed (time to caught up, bytes) against a fresh snapshot."""
    if name != "aicos":
        return []  # the baseline has no protocol v2
    from websockets.asyncio.client import connect

    await seed_board(running.port, board(50, 30, 40))
    url = f"ws://{HOST}:{running.port}/ws"
    poster = await HttpConnection(HOST, running.port).open()
    async with connect(url, max_size=None) as v1, connect(url + "?protocol=2", max_size=None) as v2:
        _, v1_snapshot_bytes = await _next_of(v1, "meta")
        await v2.send(json.dumps({"type": "ping", "id": 0}))  # skip the wait for a resume
        snapshot, v2_snapshot_bytes = await _next_of(v2, "snapshot")
        body = json.dumps({"command": "approve P3"}).encode()
        assert await poster.request("POST", "/api/command", body) == 200
        _, v1_bytes = await _next_of(v1, "meta")
        _, v2_bytes = await _next_of(v2, "patch")
    rows = [{"scenario": "ws_bytes_per_change", "board": "50 calendar, 30 priorities, 40 commitments",
             "change": "approve one priority", "v1_bytes": v1_bytes, "v2_bytes": v2_bytes,
             "ratio": round(v1_bytes / v2_bytes, 1)}]

    epoch, version = snapshot["epoch"], snapshot["version"] + 1
    poster.close()
    await asyncio.sleep(30)  # the laptop sleeps
    poster = await HttpConnection(HOST, running.port).open()
    for n in range(100):
        body = json.dumps({"message": f"while away {n}"}).encode()
        assert await poster.request("POST", "/api/system/status", body) == 200
    current = (await get_json(running.port, "/api/state"))["meta"]["version"]
    started = time.monotonic()
    received = 0
    async with connect(url + "?protocol=2", max_size=None) as ws:
        hello = await ws.recv()
        received += len(hello.encode())
        await ws.send(json.dumps({"type": "resume", "epoch": epoch, "version": version}))
        at = version
        while at < current:
            raw = await asyncio.wait_for(ws.recv(), 10)
            received += len(raw.encode())
            frame = json.loads(raw)
            at = frame["to"] if frame["type"] == "patch" else frame.get("version", at)
    caught_up_ms = (time.monotonic() - started) * 1000
    poster.close()
    rows.append({"scenario": "ws_v2_resume_after_30s", "changes_missed": current - version,
                 "caught_up_ms": round(caught_up_ms, 2), "bytes": received,
                 "fresh_v1_snapshot_bytes": v1_snapshot_bytes, "fresh_v2_snapshot_bytes": v2_snapshot_bytes})
    return rows


# -- several workers on Redis ----------------------------------------------------------------------

REDIS_BENCH_URL = "redis://127.0.0.1:6379/14"


async def _workers_run(port: int, clients: list[WsClient], rate: float, seconds: float) -> dict:
    posters = [await HttpConnection(HOST, port).open() for _ in range(4)]  # land on any worker
    version = (await get_json(port, "/api/state"))["meta"]["version"]
    started: dict[int, int] = {}
    interval = 1 / rate
    begin = time.monotonic()
    for n in range(int(rate * seconds)):
        delay = begin + n * interval - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        started[version + n + 1] = time.monotonic_ns()
        body = json.dumps({"message": f"worker bench {n}"}).encode()
        assert await posters[n % len(posters)].request("POST", "/api/system/status", body) == 200
    await asyncio.sleep(1.0)
    for poster in posters:
        poster.close()
    latencies, missed = [], 0
    for client in clients:
        for v, t0 in started.items():
            arrived = client.arrivals.get(v)
            if arrived is None:
                missed += 1  # skipped (a newer state came first) or not delivered
            else:
                latencies.append((arrived - t0) / 1e6)
    return {"updates_per_s": rate, "p50_ms": round(percentile(latencies, 0.5), 2),
            "p99_ms": round(percentile(latencies, 0.99), 2), "deliveries": len(latencies), "skipped": missed}


async def scenario_workers(name: str, running: LiveServer) -> list[dict]:
    clients = await connect_many(running.port, 1000)
    await asyncio.sleep(1.0)
    rows = []
    for rate in (10, 20, 40, 80, 160):
        result = await _workers_run(running.port, clients, rate, 5.0)
        rows.append({"scenario": f"redis_{running.workers}_workers_1000_clients", **result})
    await asyncio.gather(*(client.close() for client in clients))
    # Sustained: every client got every version (none skipped behind a newer one), with p99 < 100 ms.
    best = max((r["updates_per_s"] for r in rows if r["p99_ms"] < 100 and r["skipped"] == 0), default=None)
    for row in rows:
        row["highest_rate_sustained"] = best
    return rows


def run_workers(machine: dict, out) -> None:
    """Two and four uvicorn workers sharing one state on Redis; no naive baseline can share state."""
    import redis

    for workers in (2, 4):
        redis.Redis.from_url(REDIS_BENCH_URL).flushdb()
        env = {"AICOS_STATE_BACKEND": "redis", "AICOS_REDIS_URL": REDIS_BENCH_URL}
        with live_server(env, module="uvicorn", command=["src.bootstrap:app", "--workers", str(workers)]) as running:
            running.workers = workers
            rows = asyncio.run(scenario_workers("aicos", running))
        for row in rows:
            line = json.dumps({"server": "aicos", **row, **machine})
            print(line, flush=True)
            out.write(line + "\n")


SCENARIOS = {
    "rest": (scenario_rest, {}),
    "fanout": (scenario_fanout, {}),
    "slow": (scenario_slow, {"AICOS_WS_STALL_TIMEOUT_S": "2"}),
    "churn": (scenario_churn, {}),
    "v2": (scenario_v2, {}),
}


def _commit() -> str | None:
    """The commit measured (BENCH_COMMIT for a tree outside git), so runs can be compared."""
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=Path(__file__).parent,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def _search_exported() -> list[dict]:
    return scenario_search(queries=False, slack_as_exported=True)


def main(argv: list[str]) -> int:
    chosen = argv or [*SCENARIOS, "fanout_paired", "workers", "search", "search_exported", "collect", "reader", "backfill", "caldav", "brief", "events"]
    serverless = {"search": scenario_search, "search_exported": _search_exported, "collect": scenario_collect, "reader": scenario_reader,
                  "backfill": scenario_backfill, "caldav": scenario_caldav, "brief": scenario_brief,
                  "events": scenario_events}
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc)
    out_path = RESULTS / f"{stamp:%Y-%m-%d-%H%M}.jsonl"
    machine = {"cores": os.cpu_count(), "machine": platform.machine(), "python": platform.python_version(),
               "date": stamp.date().isoformat(), "commit": _commit(),
               "load_1m": round(os.getloadavg()[0], 2)}  # a shared machine: how busy it was
    with out_path.open("a") as out:
        for scenario_name in chosen:
            if scenario_name == "workers":
                run_workers(machine, out)
                continue
            if scenario_name == "fanout_paired":
                run_fanout_paired(machine, out)
                continue
            if scenario_name in serverless:
                for row in serverless[scenario_name]():
                    line = json.dumps({"server": scenario_name, **row, **machine})
                    print(line, flush=True)
                    out.write(line + "\n")
                continue
            scenario, env = SCENARIOS[scenario_name]
            for server_name in SERVERS:
                with live_server(env, module=SERVERS[server_name]) as running:
                    rows = asyncio.run(scenario(server_name, running))
                for row in rows:
                    line = json.dumps({"server": server_name, **row, **machine})
                    print(line, flush=True)
                    out.write(line + "\n")
    print(f"results written to {out_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
