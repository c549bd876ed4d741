"""AICOS_COLLECT_EVERY on real servers: a short period, and two servers sharing one Redis."""

import subprocess
import sys
import textwrap
import time
import uuid
from datetime import datetime, timedelta, timezone

import httpx2 as httpx
import redis

from tests.collectors.test_ics_calendar import OUTLOOK
from tests.conftest import redis_or_skip
from tests.live_server import ROOT, live_server

COUNTING = "tests.collectors.counting_collector:CountingCollector"


def _status(server):
    return httpx.get(server.url + "/api/system/status").json()


def _wait_for(condition, what, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {timeout} s")


def test_a_server_collects_on_its_period_and_says_when_the_next_run_is(tmp_path):
    (tmp_path / "work.ics").write_text(OUTLOOK)
    env = {"AICOS_COLLECT_EVERY": "1s", "AICOS_CALENDAR_ICS": str(tmp_path / "work.ics")}
    with live_server(env) as server:
        first = _wait_for(lambda: _status(server)["last_sync"], "a first scheduled collection")
        _wait_for(lambda: _status(server)["last_sync"] != first, "a second one, a period later")
        status = _status(server)
        upcoming = datetime.fromisoformat(status["next_collection"].replace("Z", "+00:00"))
        now = datetime.now(timezone.utc)
        assert now - timedelta(seconds=1) < upcoming <= now + timedelta(seconds=1.5)
        assert set(status) >= {"status", "progress", "last_sync", "message"}  # the contract's, unchanged


def test_without_a_period_there_is_no_next_collection():
    with live_server() as server:
        assert _status(server)["next_collection"] is None


def test_two_servers_on_one_redis_run_each_scheduled_collection_once(tmp_path):
    url = redis_or_skip().rsplit("/", 1)[0] + "/13"  # a database of this test's own
    client = redis.Redis.from_url(url)
    client.flushdb()
    log = tmp_path / "runs.log"
    log.touch()
    env = {"AICOS_STATE_BACKEND": "redis", "AICOS_REDIS_URL": url, "AICOS_COLLECT_EVERY": "1s",
           "AICOS_COLLECTORS": COUNTING, "COUNTING_COLLECTOR_LOG": str(log)}
    try:
        with live_server(env) as first, live_server(env) as second:
            _wait_for(lambda: len(log.read_text().splitlines()) >= 4, "four scheduled runs")
            assert _status(first)["next_collection"] == _status(second)["next_collection"]
    finally:
        client.flushdb()
        client.close()
    runs = sorted(float(line.split()[1]) for line in log.read_text().splitlines())
    gaps = [later - earlier for earlier, later in zip(runs, runs[1:])]
    # Two processes running one run time would start within milliseconds of each other.
    assert min(gaps) > 0.2, runs


RUNNER = textwrap.dedent("""
    import asyncio, sys, time
    from datetime import datetime, timezone
    from dependency_injector import providers
    from redis.asyncio import Redis
    from src.adapters.outbound.collection_leases import RedisLease
    from src.bootstrap import create_container
    from src.config import Settings
    from tests.fakes import FakeCollector

    async def main(url, prefix, folder, dues):
        # A state of its own (memory): only the lease in Redis stands between two runs of one time.
        container = create_container(Settings(_env_file=None, state_backend="memory", data_dir=folder,
                                              collect_every="1s"), collectors=[FakeCollector()])
        container.collection_lease.override(providers.Object(RedisLease(Redis.from_url(url), prefix)))
        schedule = container.scheduled_collections()
        for due in dues:
            await asyncio.sleep(max(0.0, due - time.time()))
            outcome = await schedule.run_due(datetime.fromtimestamp(due, timezone.utc))
            print(int(due), outcome, flush=True)
            await container.collection_jobs().wait()

    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], [float(d) for d in sys.argv[4:]]))
""")


def test_two_processes_sharing_only_the_redis_lease_run_each_time_once(tmp_path):
    url = redis_or_skip().rsplit("/", 1)[0] + "/13"
    prefix = f"schedule-test-{uuid.uuid4().hex[:8]}"
    start = int(time.time()) + 8  # both processes started and waiting by then, even on a busy machine
    dues = [str(start + n) for n in range(3)]
    processes = [subprocess.Popen([sys.executable, "-c", RUNNER, url, prefix, str(tmp_path / name), *dues],
                                  cwd=ROOT, stdout=subprocess.PIPE, text=True) for name in "ab"]
    outputs = [process.communicate(timeout=60)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0]
    lines = [line.split(" ", 1) for output in outputs for line in output.splitlines()]
    for due in dues:
        outcomes = sorted(outcome for when, outcome in lines if when == due)
        assert outcomes == ["skipped: another process took it", "started"], (due, outputs)
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()
