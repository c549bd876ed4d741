"""One state across processes on Redis: concurrent writers, separate servers, several workers."""

import asyncio
import json
import subprocess
import sys
import textwrap

import httpx2 as httpx
import pytest
import redis
from redis.asyncio import Redis
from websockets.asyncio.client import connect

from tests.conftest import redis_or_skip
from tests.live_server import ROOT, live_server
from tests.waiting import wait_until


@pytest.fixture
async def redis_url():
    url = redis_or_skip()
    client = Redis.from_url(url)
    await client.flushdb()
    yield url
    await client.flushdb()
    await client.aclose()


WRITER = textwrap.dedent("""
    import asyncio, sys
    from redis.asyncio import Redis
    from src.adapters.outbound.clock import SystemClock
    from src.adapters.outbound.redis_state import RedisStateRepository
    from src.domain.system import change_system

    async def main(url, name):
        repository = RedisStateRepository(Redis.from_url(url), SystemClock())
        for n in range(50):
            await repository.apply(lambda state: change_system(state, message=f"{name} {n}"))

    asyncio.run(main(sys.argv[1], sys.argv[2]))
""")


async def test_two_processes_writing_at_once_lose_no_change(redis_url):
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, redis_url, name], cwd=ROOT) for name in "ab"]
    assert [writer.wait(60) for writer in writers] == [0, 0]
    client = Redis.from_url(redis_url)
    assert int(await client.hget("aicos:state", "version")) == 100
    await client.aclose()


async def test_a_change_made_on_one_server_reaches_the_clients_of_another_in_order(redis_url):
    env = {"AICOS_STATE_BACKEND": "redis", "AICOS_REDIS_URL": redis_url}
    with live_server(env) as first, live_server(env) as second:
        assert httpx.get(second.url + "/health").json()["redis"] == "connected"
        async with connect(first.ws_url) as ws:
            start = json.loads(await ws.recv())["meta"]["version"]
            for n in range(1, 21):
                httpx.post(second.url + "/api/system/status", json={"progress": n}).raise_for_status()
            seen = []
            while not seen or seen[-1] < start + 20:
                seen.append(json.loads(await asyncio.wait_for(ws.recv(), 10))["meta"]["version"])
        assert seen == sorted(set(seen)) and seen[-1] == start + 20
        assert httpx.get(first.url + "/api/state").json() == httpx.get(second.url + "/api/state").json()


async def test_uvicorn_with_several_workers_serves_one_state(redis_url):
    env = {"AICOS_STATE_BACKEND": "redis", "AICOS_REDIS_URL": redis_url}
    with live_server(env, module="uvicorn", command=["src.bootstrap:app", "--workers", "2"]) as server:
        clients = [await connect(server.ws_url + "?protocol=2") for _ in range(6)]
        try:
            for ws in clients:
                await ws.send(json.dumps({"type": "ping", "id": 0}))
            for n in range(1, 11):
                httpx.post(server.url + "/api/command", json={"command": "status"}).raise_for_status()
                httpx.post(server.url + "/api/system/status", json={"progress": n}).raise_for_status()
            final = httpx.get(server.url + "/api/state").json()
            for ws in clients:
                version = -1
                while version < final["meta"]["version"]:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
                    version = {"snapshot": frame.get("version"), "patch": frame.get("to")}.get(frame["type"], version)
                assert version == final["meta"]["version"]
        finally:
            for ws in clients:
                await ws.close()


async def test_redis_going_away_and_coming_back_is_survived_without_a_restart(tmp_path):
    from tests.live_server import free_port

    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", str(tmp_path)]
    redis_process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        await wait_until(lambda: redis.Redis(port=port, socket_connect_timeout=0.2).ping(), "redis-server answers")
        env = {"AICOS_STATE_BACKEND": "redis", "AICOS_REDIS_URL": f"redis://127.0.0.1:{port}/0"}
        with live_server(env) as server:
            httpx.post(server.url + "/api/system/status", json={"progress": 5}).raise_for_status()
            redis_process.terminate()
            redis_process.wait(10)

            def health_without_redis():
                health = httpx.get(server.url + "/health").json()
                return health if health.get("redis") == "unavailable" else None

            health = await wait_until(health_without_redis, "the server sees Redis gone")
            assert health["status"] == "degraded"
            assert httpx.get(server.url + "/api/state").json()["system"]["progress"] == 5  # reads go on
            refused = httpx.post(server.url + "/api/system/status", json={"progress": 6})
            assert refused.status_code == 500 and refused.json()["error"]["code"] == "internal"
            redis_process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # back, empty
            await wait_until(lambda: httpx.get(server.url + "/health").json().get("redis") == "connected",
                             "the server reconnects to Redis", timeout=10)
            assert httpx.get(server.url + "/health").json()["status"] == "healthy"
            assert httpx.post(server.url + "/api/system/status", json={"progress": 7}).status_code == 200
    finally:
        redis_process.terminate()
        redis_process.wait(10)
