"""The collection benchmark: a 340,000-message Slack export collected by a real server.

    python -m bench.collect_bench [--messages 340000]

The export (about 85,000 day files, messages with their rich-text blocks, as Slack writes them)
comes from the search corpus generator and is kept in the temp folder for later runs. A real
`aicos serve` collects it (`full`) while a WebSocket client records every progress update; the
server's RSS is sampled throughout. The naive baseline beside it is the obvious loop, one
transaction per day file, run on the first tenth of the same files in its own process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
import websockets

from bench.corpus import write_slack_export
from bench.loadgen import percentile
from tests.live_server import live_server

NAIVE_SHARE = 10  # the baseline reads one file in ten, in order
READING_FOR = "U00001"  # one of the corpus's 400 users: a party to about 1 message in 400, and their threads


def export_path(messages: int, seed: int = 7) -> Path:
    return write_slack_export(Path(tempfile.gettempdir()) / f"aicos-bench-export-{messages}-{seed}-v2", messages, seed)


async def _collect_live(port: int, pid: int) -> dict:
    updates: list[tuple[float, dict]] = []
    peak_rss = 0
    process = psutil.Process(pid)
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws", max_size=None) as live:
        json.loads(await live.recv())
        rss_before = process.memory_info().rss
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/trigger_collection?type=full", method="POST")
        started = time.monotonic()
        await asyncio.to_thread(urllib.request.urlopen, request)
        while True:
            try:
                frame = await asyncio.wait_for(live.recv(), timeout=0.1)
            except asyncio.TimeoutError:
                frame = None
            peak_rss = max(peak_rss, process.memory_info().rss)
            if frame is None:
                continue
            system = json.loads(frame)["system"]
            updates.append((time.monotonic() - started, system))
            if system["status"] in ("IDLE", "ERROR"):
                break
    collecting = [moment for moment, system in updates if system["status"] == "COLLECTING"]
    gaps = [later - earlier for earlier, later in zip(collecting, collecting[1:])]
    final = updates[-1][1]
    return {
        "status": final["status"], "message": final["message"], "wall_s": round(updates[-1][0], 2),
        "peak_rss_mib": round(peak_rss / 2**20, 1), "rss_before_mib": round(rss_before / 2**20, 1),
        "progress_updates": len(collecting),
        "updates_per_s": round(len(collecting) / max(collecting[-1] - collecting[0], 1e-9), 1) if collecting else 0,
        "gap_p50_s": round(percentile(gaps, 0.5), 3) if gaps else None,
        "gap_max_s": round(max(gaps), 3) if gaps else None,
        "progress_monotonic": all(a["progress"] <= b["progress"] for (_, a), (_, b) in zip(updates, updates[1:])
                                  if a["status"] == b["status"] == "COLLECTING"),
    }


def scenario_collect(messages: int = 340_000) -> list[dict]:
    export = export_path(messages)
    files = (export / ".complete").read_text().strip()
    with live_server({"AICOS_SLACK_EXPORT": str(export)}) as running:
        result = asyncio.run(_collect_live(running.port, running.process.pid))
    rows = [{"scenario": "collect_export", "messages": messages, "export": files, **result}]
    # The same collection with commitments and asks read for one person of the workspace (issue #14:
    # at most 30% longer than without reading).
    with live_server({"AICOS_SLACK_EXPORT": str(export), "AICOS_ME": READING_FOR}) as running:
        reading = asyncio.run(_collect_live(running.port, running.process.pid))
    reading["longer_than_without_reading"] = round(reading["wall_s"] / result["wall_s"] - 1, 3)
    rows.append({"scenario": "collect_export_reading", "messages": messages, "me": READING_FOR, **reading})
    output = subprocess.run([sys.executable, "-m", "bench.collect_bench", "--naive", str(export)],
                            capture_output=True, text=True, check=True)
    naive = json.loads(output.stdout)
    naive["extrapolated_wall_s"] = round(messages / naive["messages_per_s"], 1)
    rows.append({"scenario": "collect_export_naive", **naive})
    return rows


def naive_import(export: Path) -> dict:
    """The obvious loop: every day file read, parsed and written in a transaction of its own."""
    from src.adapters.outbound.slack_messages import IndexedConversation, Authors, search_record
    from src.search.database import SearchDatabase

    database = SearchDatabase(Path(tempfile.mkdtemp(prefix="aicos-naive-")) / "search.db")
    day_files = sorted(export.glob("*/*.json"))[::NAIVE_SHARE]
    started = time.perf_counter()
    count = 0
    for path in day_files:
        conversation = IndexedConversation(path.parent.name, path.parent.name, "channel")
        records = [search_record(m, conversation, Authors({}, frozenset())) for m in json.loads(path.read_text())]
        count += database.index_records_batch(records, "slack").indexed
        database.record_archive(str(path), "slack", len(records), "-", "indexed")
    elapsed = time.perf_counter() - started
    return {"messages": count, "files": len(day_files), "wall_s": round(elapsed, 2),
            "messages_per_s": round(count / elapsed), "peak_rss_mib": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=340_000)
    parser.add_argument("--naive", metavar="EXPORT")
    args = parser.parse_args()
    if args.naive:
        print(json.dumps(naive_import(Path(args.naive))))
        return 0
    for row in scenario_collect(args.messages):
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
