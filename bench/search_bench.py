"""The search benchmark: index a 340,000-record corpus, then run a fixed query mix two ways.

    python -m bench.search_bench [--records 340000] [--seed 7] [--runs 3] [--indexing-only] [--slack-as-exported]

Indexing throughput is timed from the generated records into a fresh file, through
`index_records_batch`, twice per run: the records in time order (as an archive is collected) and
the same records shuffled (a corpus that arrives in any order); each run's figures and the median
of the runs are reported. The query mix (frequent
and rare words, two and three words, phrases, prefixes, with and without filters, pages 1 and 5)
runs in a separate process, the "serving process", whose peak RSS is reported, once through
`SearchDatabase.search` and once as a plain `MATCH ? ORDER BY rank LIMIT 20` on the same file.
With `--slack-as-exported` the Slack messages come as Slack hands them over (blocks, the author's
profile, the team: about 900 bytes of JSON each instead of 200), the heavier records of a real
workspace (`make bench`'s `search_exported`, indexing only).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import Corpus
from bench.loadgen import percentile
from src.search.database import SearchDatabase
from src.search.query import parse_query

SOURCES = ("slack", "calendar", "drive", "employees")


def query_mix(corpus: Corpus, samples: list[str], count: int = 240, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    words = corpus.words
    frequent, rare, middle = words[:40], words[5_000:25_000], words[300:3_000]
    makers = [
        lambda: rng.choice(frequent),
        lambda: rng.choice(rare),
        lambda: " ".join(rng.sample(middle, 2)),
        lambda: " ".join(rng.sample(frequent, 1) + rng.sample(middle, 2)),
        lambda: '"' + " ".join(rng.choice(samples).split()[:2]) + '"',
        lambda: (lambda word: word[: max(4, len(word) - 2)] + "*")(rng.choice(middle)),  # "budg*"
    ]
    mix = []
    for n in range(count):
        query = {"query": makers[n % len(makers)](), "offset": 80 if n % 4 == 3 else 0}
        if n % 3 == 1:
            query["source"] = rng.choice(SOURCES)
        if n % 5 == 2:
            start = rng.randrange(700)
            query["since"] = time.strftime("%Y-%m-%d", time.gmtime(1_700_000_000 + start * 86_400))
            query["until"] = time.strftime("%Y-%m-%d", time.gmtime(1_700_000_000 + (start + 30) * 86_400))
        mix.append(query)
    return mix


def peak_rss_mib() -> float:
    """This process's peak RSS (VmHWM). Not ru_maxrss: that one carries over the parent's peak
    (the corpus generator's) into a child started by fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def run_mix(db_path: str, mix: list[dict], plain: bool) -> dict:
    """Runs in the serving process: each query once to warm up, then timed."""
    database = SearchDatabase(db_path, read_only=True)
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

    def ours(q: dict) -> int:
        return len(database.search(q["query"], source=q.get("source"), limit=20, offset=q["offset"],
                                   date_range=(q.get("since"), q.get("until"))))

    def baseline(q: dict) -> int:
        where, parameters = ["messages_fts MATCH ?"], [parse_query(q["query"]).match]
        if q.get("source"):
            where.append("m.source = ?")
            parameters.append(q["source"])
        if q.get("since"):
            where += ["m.date >= ?", "m.date <= ?"]
            parameters += [q["since"], q["until"] + "T99"]
        sql = (f"SELECT m.id, snippet(messages_fts, 0, '<mark>', '</mark>', '…', 24) FROM messages_fts "
               f"JOIN messages m ON m.id = messages_fts.rowid WHERE {' AND '.join(where)} "
               f"ORDER BY rank LIMIT 20 OFFSET {q['offset']}")
        return len(connection.execute(sql, parameters).fetchall())

    run = baseline if plain else ours
    for q in mix:
        run(q)
    latencies, found = [], 0
    for q in mix:
        started = time.perf_counter()
        found += run(q) > 0
        latencies.append((time.perf_counter() - started) * 1000)
    return {
        "queries": len(mix), "with_results": found,
        "p50_ms": round(percentile(latencies, 0.50), 2), "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2), "max_ms": round(max(latencies), 2),
        "peak_rss_mib": peak_rss_mib(),
    }


def written_bytes() -> int:
    """Bytes this process has handed to write calls so far (/proc/self/io): the same from run to run
    for the same records, however busy the machine."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    return 0


def index_corpus(generated: list[tuple[str, list[dict]]], db_path: Path) -> tuple[int, float, float, int]:
    """Indexes the records into a fresh file; (records indexed, seconds, CPU seconds of this
    process: on a shared machine the clock also counts the other processes' turns, bytes written)."""
    database = SearchDatabase(db_path)
    started, cpu_started, written = time.perf_counter(), time.process_time(), written_bytes()
    indexed = sum(database.index_records_batch(items, source).indexed for source, items in generated)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    written = written_bytes() - written
    database._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return indexed, elapsed, cpu, written


def shuffled(generated: list[tuple[str, list[dict]]], seed: int) -> list[tuple[str, list[dict]]]:
    """The same records of each source in a random order (the order Slack's API pages, a
    re-export or a merge of archives may bring them in)."""
    rng = random.Random(seed)
    return [(source, rng.sample(items, len(items))) for source, items in generated]


def scenario_search(records: int = 340_000, seed: int = 7, runs: int = 3, queries: bool = True,
                    slack_as_exported: bool = False) -> list[dict]:
    corpus = Corpus(records, seed)
    generated = list(corpus.by_source(slack_as_exported))
    shape = "slack_as_exported" if slack_as_exported else "synthetic"
    orders = {"time_order": generated, "shuffled": shuffled(generated, seed)}
    samples = [m["text"] for m in generated[0][1][:2000]]
    folder = Path(tempfile.mkdtemp(prefix="aicos-search-bench-"))
    rows: list[dict] = []
    rates: dict[str, list[float]] = {order: [] for order in orders}
    cpu_rates: dict[str, list[float]] = {order: [] for order in orders}
    for run in range(1, runs + 1):
        for order, items in orders.items():  # both orders in each run: the machine's load hits both
            db_path = folder / f"search-{order}.db"
            for stale in folder.glob(f"search-{order}.db*"):
                stale.unlink()
            indexed, elapsed, cpu, written = index_corpus(items, db_path)
            rates[order].append(indexed / elapsed)
            cpu_rates[order].append(indexed / cpu)
            rows.append({"scenario": "search_indexing", "corpus": shape, "order": order, "run": run, "records": indexed,
                         "seconds": round(elapsed, 2), "records_per_s": round(indexed / elapsed),
                         "cpu_s": round(cpu, 2), "records_per_cpu_s": round(indexed / cpu),
                         "written_mib": round(written / 2**20),
                         "file_mib": round(db_path.stat().st_size / 2**20, 1)})
    for order, measured in rates.items():
        rows.append({"scenario": "search_indexing_median", "corpus": shape, "order": order, "runs": runs,
                     "records": indexed,
                     "records_per_s": round(statistics.median(measured)),
                     "records_per_cpu_s": round(statistics.median(cpu_rates[order]))})
    if not queries:
        return rows
    db_path = folder / "search-time_order.db"
    mix_path = folder / "mix.json"
    mix_path.write_text(json.dumps(query_mix(corpus, samples)))
    for plain in (False, True):
        command = [sys.executable, "-m", "bench.search_bench", "--serve-mix", str(db_path), str(mix_path)]
        output = subprocess.run(command + (["--plain"] if plain else []), capture_output=True, text=True, check=True)
        result = json.loads(output.stdout)
        rows.append({"scenario": "search_queries_plain_fts" if plain else "search_queries",
                     "records": indexed, **result})
    rows.append(crafted_query(db_path))
    return rows


def crafted_query(db_path: Path, repeats: int = 5) -> dict:
    """Issue 12's case on the full index: 100 messages of "run " 5,000 times, then a 997-character
    phrase of forms of "run"; the slowest of a few runs of the query."""
    database = SearchDatabase(db_path)
    database.index_records_batch([{"ts": str(1_800_000_000 + n), "text": "run " * 5000, "client_msg_id": f"crafted{n}"}
                                  for n in range(100)], "slack")
    words = " ".join(["run", "runs", "running"] * 400)
    query = '"' + words[:995].rsplit(" ", 1)[0] + '"'
    took = []
    for _ in range(repeats):
        started = time.perf_counter()
        found = len(database.search(query, limit=20))
        took.append((time.perf_counter() - started) * 1000)
    database.close()
    return {"scenario": "search_crafted_query", "query_chars": len(query), "results": found,
            "max_ms": round(max(took), 1), "median_ms": round(statistics.median(took), 1)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=340_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serve-mix", nargs=2, metavar=("DB", "MIX"))
    parser.add_argument("--plain", action="store_true")
    parser.add_argument("--indexing-only", action="store_true", help="skip the query mix")
    parser.add_argument("--slack-as-exported", action="store_true",
                        help="Slack messages in Slack's own shape (blocks, profiles), about 900 bytes each")
    args = parser.parse_args()
    if args.serve_mix:
        db_path, mix_path = args.serve_mix
        print(json.dumps(run_mix(db_path, json.loads(Path(mix_path).read_text()), args.plain)))
        return 0
    for row in scenario_search(args.records, args.seed, args.runs, queries=not args.indexing_only,
                               slack_as_exported=args.slack_as_exported):
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
