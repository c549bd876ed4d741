"""The StateRepository contract: every implementation passes it (the SQLite and Redis ones join here)."""

import asyncio
from dataclasses import replace

import pytest
from redis.asyncio import Redis

from src.adapters.outbound.memory_state import InMemoryStateRepository
from src.adapters.outbound.redis_state import RedisStateRepository
from src.adapters.outbound.sqlite_state import SqliteStateRepository
from tests.conftest import redis_or_skip
from src.domain.state import DashboardState
from src.domain.system import change_system

@pytest.fixture(params=["memory", "sqlite", "redis"])
async def repository(request, clock, tmp_path):
    if request.param == "memory":
        yield InMemoryStateRepository(clock)
    elif request.param == "sqlite":
        made = SqliteStateRepository(tmp_path / "state.db", clock)
        yield made
        made.close()
    else:
        client = Redis.from_url(redis_or_skip())
        await client.flushdb()
        yield RedisStateRepository(client, clock)
        await client.flushdb()
        await client.aclose()


def bump_progress(state: DashboardState) -> DashboardState:
    return change_system(state, progress=state.system.progress + 1)


async def test_a_new_store_starts_at_version_0_with_an_epoch(repository):
    state = await repository.load()
    assert state.meta.version == 0 and len(state.meta.epoch) >= 8


async def test_a_change_is_stored_one_version_on_in_the_same_epoch(repository, clock):
    before = await repository.load()
    clock.advance(seconds=5)
    applied = await repository.apply(bump_progress)
    assert applied.changed
    assert applied.state.meta.version == before.meta.version + 1
    assert applied.state.meta.epoch == before.meta.epoch
    assert applied.state.meta.updated_at == clock.now()
    assert (await repository.load()) == applied.state


async def test_no_change_keeps_the_version(repository):
    applied = await repository.apply(lambda state: None)
    assert not applied.changed and applied.state.meta.version == 0


async def test_a_change_that_raises_leaves_the_state_as_it_was(repository):
    before = await repository.load()

    def broken(state):
        raise ValueError("rule broken")

    with pytest.raises(ValueError):
        await repository.apply(broken)
    assert await repository.load() == before


async def test_a_change_cannot_set_the_version_itself(repository):
    def sneaky(state):
        return replace(state, meta=replace(state.meta, version=99))

    applied = await repository.apply(sneaky)
    assert applied.state.meta.version == 1


async def test_concurrent_changes_from_many_tasks_are_all_kept_each_one_version(repository):
    results = await asyncio.gather(*(repository.apply(bump_progress) for _ in range(100)))
    state = await repository.load()
    assert state.system.progress == 100 and state.meta.version == 100
    assert sorted(r.state.meta.version for r in results) == list(range(1, 101))
