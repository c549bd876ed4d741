"""Several processes recording and taking the same post at once, on one SQLite file or one Redis:
one records it and one takes it, whatever the interleaving."""

import subprocess
import sys
import textwrap
import uuid


from tests.conftest import redis_or_skip
from tests.live_server import ROOT

RACER = textwrap.dedent("""
    import asyncio, sys, time
    from datetime import datetime, timezone
    from src.domain.outbox import Post, PostKind

    async def main(store, where, start_at):
        if store == "sqlite":
            from src.adapters.outbound.sqlite_outbox import SqliteOutbox
            outbox = SqliteOutbox(where)
        else:
            from redis.asyncio import Redis
            from src.adapters.outbound.redis_outbox import RedisOutbox
            url, prefix = where.split("|")
            outbox = RedisOutbox(Redis.from_url(url), prefix)
        now = datetime(2026, 11, 30, 7, 30, tzinfo=timezone.utc)
        time.sleep(max(0.0, start_at - time.time()))  # every process starts together
        recorded = await outbox.record(Post("daily:2026-11-30", PostKind.DAILY, "U1", "brief", now))
        taken = await outbox.take("daily:2026-11-30", now)
        print(int(recorded), int(taken is not None))

    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
""")


def race(store: str, where: str, processes: int = 6) -> list[tuple[int, int]]:
    import time

    start_at = str(time.time() + 2.0)
    racers = [subprocess.Popen([sys.executable, "-c", RACER, store, where, start_at], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True) for _ in range(processes)]
    results = []
    for racer in racers:
        out, _ = racer.communicate(timeout=60)
        assert racer.returncode == 0
        recorded, taken = out.split()
        results.append((int(recorded), int(taken)))
    return results


def test_on_one_sqlite_file_one_process_records_and_one_takes(tmp_path):
    from src.adapters.outbound.sqlite_outbox import SqliteOutbox

    SqliteOutbox(tmp_path / "outbox.db")  # the file exists before the race, as the server makes it at start
    results = race("sqlite", str(tmp_path / "outbox.db"))
    assert sum(recorded for recorded, _ in results) == 1
    assert sum(taken for _, taken in results) == 1


def test_on_one_redis_one_process_records_and_one_takes():
    import redis

    url = redis_or_skip().rsplit("/", 1)[0] + "/12"
    prefix = f"test-outbox-race-{uuid.uuid4().hex}"
    try:
        results = race("redis", f"{url}|{prefix}")
        assert sum(recorded for recorded, _ in results) == 1
        assert sum(taken for _, taken in results) == 1
    finally:
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
