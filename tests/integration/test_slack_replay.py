"""A signed Slack request replayed within Slack's 5 minutes runs nothing, even after a restart:
the replay memory lives with the state (issue #12, item 16)."""

import uuid

from redis.asyncio import Redis

from src.adapters.outbound.slack_deliveries import InMemoryDeliveries, RedisDeliveries, SqliteDeliveries
from tests.conftest import redis_or_skip
from tests.integration.test_slack_bot import response_url, signed, slack_settings, slash_command  # noqa: F401


def version(client) -> int:
    return client.get("/api/state").json()["meta"]["version"]


def test_a_signed_request_replayed_after_a_restart_runs_nothing(serve, response_url):  # noqa: F811
    settings = slack_settings(state_backend="sqlite")
    body = slash_command("refresh", response_url.url("hook"))  # refresh makes a new version every time
    headers = signed(body)
    with serve(settings) as (client, _):
        assert client.post("/slack/events", content=body, headers=headers).status_code == 200
        response_url.next()
        ran_once = version(client)
    with serve(settings) as (client, _):  # the same process file, a new process
        replayed = client.post("/slack/events", content=body, headers=headers)
        assert replayed.status_code == 200
        assert response_url.nothing_within(0.5)
        assert version(client) == ran_once
        fresh = slash_command("refresh", response_url.url("hook"))  # a new request still runs
        assert client.post("/slack/events", content=fresh, headers=signed(fresh)).status_code == 200
        response_url.next()
        assert version(client) == ran_once + 1


def test_a_forged_request_is_not_remembered_so_it_cannot_block_the_real_one(serve, response_url):  # noqa: F811
    with serve(slack_settings()) as (client, _):
        body = slash_command("refresh", response_url.url("hook"))
        real = signed(body)
        forged = {**real, "X-Slack-Signature": "v0=" + "0" * 64}
        assert client.post("/slack/events", content=body, headers=forged).status_code == 401
        before = version(client)
        assert client.post("/slack/events", content=body, headers=real).status_code == 200
        response_url.next()
        assert version(client) == before + 1


async def _remembers_once(deliveries) -> None:
    key = uuid.uuid4().hex
    assert await deliveries.first_time(key, keep_s=60) is True
    assert await deliveries.first_time(key, keep_s=60) is False
    assert await deliveries.first_time(uuid.uuid4().hex, keep_s=60) is True


async def test_each_replay_memory_remembers_a_delivery_once(tmp_path):
    await _remembers_once(InMemoryDeliveries())
    path = tmp_path / "state.db"
    await _remembers_once(SqliteDeliveries(path))
    key = "seen-before-a-restart"
    assert await SqliteDeliveries(path).first_time(key, keep_s=60) is True
    assert await SqliteDeliveries(path).first_time(key, keep_s=60) is False  # another instance, same file


async def test_the_redis_replay_memory_is_shared_by_every_process():
    redis = Redis.from_url(redis_or_skip())
    prefix = f"aicos-test-{uuid.uuid4().hex}"
    try:
        await _remembers_once(RedisDeliveries(redis, prefix))
        key = uuid.uuid4().hex
        assert await RedisDeliveries(redis, prefix).first_time(key, keep_s=60) is True
        other_process = Redis.from_url(redis_or_skip())
        assert await RedisDeliveries(other_process, prefix).first_time(key, keep_s=60) is False
        await other_process.aclose()
    finally:
        for name in await redis.keys(f"{prefix}:*"):
            await redis.delete(name)
        await redis.aclose()

