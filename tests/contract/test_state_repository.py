"""The StateRepository contract: a base class, and a short subclass per implementation."""

import asyncio
from dataclasses import replace
from datetime import date

import pytest
from redis.asyncio import Redis

from src.adapters.outbound.memory_state import InMemoryStateRepository
from src.adapters.outbound.redis_state import RedisStateRepository
from src.adapters.outbound.sqlite_state import SqliteStateRepository
from src.domain.board import PriorityDraft, replace_priorities
from src.domain.state import DashboardState
from src.domain.system import change_system
from src.domain.triage import dismiss_item, snooze_item
from tests.conftest import redis_or_skip


def bump_progress(state: DashboardState) -> DashboardState:
    return change_system(state, progress=state.system.progress + 1)


class StateRepositoryContract:
    """Subclass with `async make_repository(clock, folder)` (and `async close(repository)` if it holds
    something); every test below then runs against it."""

    async def make_repository(self, clock, folder):
        raise NotImplementedError

    async def close(self, repository) -> None:
        repository.close()

    @pytest.fixture
    async def repository(self, clock, tmp_path):
        made = await self.make_repository(clock, tmp_path)
        yield made
        await self.close(made)

    async def test_a_new_store_starts_at_version_0_with_an_epoch(self, repository):
        state = await repository.load()
        assert state.meta.version == 0 and len(state.meta.epoch) >= 8

    async def test_a_change_is_stored_one_version_on_in_the_same_epoch(self, repository, clock):
        before = await repository.load()
        clock.advance(seconds=5)
        applied = await repository.apply(bump_progress)
        assert applied.changed
        assert applied.state.meta.version == before.meta.version + 1
        assert applied.state.meta.epoch == before.meta.epoch
        assert applied.state.meta.updated_at == clock.now()
        assert (await repository.load()) == applied.state

    async def test_no_change_keeps_the_version(self, repository):
        applied = await repository.apply(lambda state: None)
        assert not applied.changed and applied.state.meta.version == 0

    async def test_a_change_that_raises_leaves_the_state_as_it_was(self, repository):
        before = await repository.load()

        def broken(state):
            raise ValueError("rule broken")

        with pytest.raises(ValueError):
            await repository.apply(broken)
        assert await repository.load() == before

    async def test_a_change_cannot_set_the_version_itself(self, repository):
        def sneaky(state):
            return replace(state, meta=replace(state.meta, version=99))

        applied = await repository.apply(sneaky)
        assert applied.state.meta.version == 1

    async def test_concurrent_changes_from_many_tasks_are_all_kept_each_one_version(self, repository):
        results = await asyncio.gather(*(repository.apply(bump_progress) for _ in range(100)))
        state = await repository.load()
        assert state.system.progress == 100 and state.meta.version == 100
        assert sorted(r.state.meta.version for r in results) == list(range(1, 101))

    async def test_the_persons_decisions_are_kept_with_the_state(self, repository, clock):
        def decide(state):
            state = replace_priorities(state, [PriorityDraft("Gone", key="g"), PriorityDraft("Later", key="l")],
                                       clock.now())
            state, _ = dismiss_item(state, "P1", clock.now())
            return snooze_item(state, "P2", date(2026, 12, 7), clock.now())[0]

        applied = await repository.apply(decide)
        loaded = await repository.load()
        assert loaded == applied.state and loaded.decisions.priorities.dismissed == {"g"}
        assert loaded.decisions.priorities.snoozed_until == {"l": date(2026, 12, 7)}


class TestInMemoryStateRepository(StateRepositoryContract):
    async def make_repository(self, clock, folder):
        return InMemoryStateRepository(clock)


class TestSqliteStateRepository(StateRepositoryContract):
    async def make_repository(self, clock, folder):
        return SqliteStateRepository(folder / "state.db", clock)


class TestRedisStateRepository(StateRepositoryContract):
    async def make_repository(self, clock, folder):
        self.client = Redis.from_url(redis_or_skip())
        await self.client.flushdb()
        return RedisStateRepository(self.client, clock)

    async def close(self, repository) -> None:
        await self.client.flushdb()
        await self.client.aclose()
