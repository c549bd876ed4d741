"""The Outbox contract: one base class, a short subclass per implementation (the in-memory one is the
fake). Two instances over one store stand for two processes."""

import asyncio
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from redis.asyncio import Redis

from src.adapters.outbound.memory_outbox import InMemoryOutbox
from src.adapters.outbound.redis_outbox import RedisOutbox
from src.adapters.outbound.sqlite_outbox import SqliteOutbox
from src.domain.outbox import SEND_LEASE, Post, PostKind, PostStatus

NOW = datetime(2026, 11, 30, 7, 30, tzinfo=timezone.utc)
# Another database than the suite's (15, which other tests empty), and a prefix per test.
REDIS_OUTBOX_URL = "redis://127.0.0.1:6379/12"


def a_post(key="daily:2026-11-30", **fields) -> Post:
    defaults = dict(kind=PostKind.DAILY, channel="U01ALEX", title="Daily brief for 2026-11-30", created_at=NOW,
                    message={"text": "Daily brief – café ☕", "blocks": [{"type": "section"}]},
                    brief={"kind": "daily", "title": "Daily brief for 2026-11-30"})
    return Post(key, **{**defaults, **fields})


class OutboxContract:
    """Subclass with `make(folder)` and `another(outbox, folder)` (a second instance on the same store)."""

    async def make(self, folder):
        raise NotImplementedError

    async def another(self, outbox, folder):
        raise NotImplementedError

    @pytest.fixture
    async def outbox(self, tmp_path):
        return await self.make(tmp_path)

    async def test_a_key_is_recorded_once_and_the_first_post_stays(self, outbox):
        assert await outbox.record(a_post())
        assert not await outbox.record(a_post(title="another"))
        assert (await outbox.get("daily:2026-11-30")) == a_post()

    async def test_every_field_comes_back_as_recorded(self, outbox):
        post = a_post("prep:cal-1:2026-11-30T09:00+00:00", kind=PostKind.PREP, meeting_key="cal-1",
                      meeting_start=NOW + timedelta(hours=2), attempts=2, note="ratelimited",
                      next_attempt_at=NOW + timedelta(seconds=30))
        await outbox.record(post)
        assert (await outbox.get(post.key)) == post
        assert await outbox.get("nothing") is None

    async def test_a_pending_post_is_taken_once_for_an_attempt(self, outbox, tmp_path):
        await outbox.record(a_post())
        other = await self.another(outbox, tmp_path)
        taken = await outbox.take("daily:2026-11-30", NOW)
        assert taken == a_post()  # as it was before
        assert await other.take("daily:2026-11-30", NOW) is None  # held by the first
        held = await other.get("daily:2026-11-30")
        assert held.status == PostStatus.SENDING and held.lease_until == NOW + SEND_LEASE

    async def test_of_several_at_once_one_records_and_one_takes(self, outbox, tmp_path):
        others = [outbox] + [await self.another(outbox, tmp_path) for _ in range(5)]
        recorded = await asyncio.gather(*(o.record(a_post(title=f"by {n}")) for n, o in enumerate(others)))
        assert sorted(recorded) == [False] * 5 + [True]
        taken = await asyncio.gather(*(o.take("daily:2026-11-30", NOW) for o in others))
        assert len([t for t in taken if t is not None]) == 1

    async def test_a_retry_is_not_taken_before_its_time(self, outbox):
        await outbox.record(a_post(next_attempt_at=NOW + timedelta(minutes=1)))
        assert await outbox.take("daily:2026-11-30", NOW) is None
        assert await outbox.waiting(NOW) == []
        assert [p.key for p in await outbox.waiting(NOW + timedelta(minutes=1))] == ["daily:2026-11-30"]
        assert await outbox.take("daily:2026-11-30", NOW + timedelta(minutes=1)) is not None

    async def test_a_post_held_past_its_lease_can_be_taken_again_as_it_was(self, outbox):
        await outbox.record(a_post())
        await outbox.take("daily:2026-11-30", NOW)
        assert await outbox.waiting(NOW + SEND_LEASE - timedelta(seconds=1)) == []
        later = NOW + SEND_LEASE
        assert [p.status for p in await outbox.waiting(later)] == [PostStatus.SENDING]
        again = await outbox.take("daily:2026-11-30", later)
        assert again is not None and again.status == PostStatus.SENDING  # the caller sees it was interrupted

    async def test_a_sent_failed_or_skipped_post_is_never_taken(self, outbox):
        for n, status in enumerate((PostStatus.SENT, PostStatus.FAILED, PostStatus.SKIPPED)):
            await outbox.record(a_post(f"k{n}"))
            await outbox.update(replace(a_post(f"k{n}"), status=status, note="why"))
            assert await outbox.take(f"k{n}", NOW + timedelta(days=1)) is None
            assert (await outbox.get(f"k{n}")).status == status
        assert await outbox.waiting(NOW + timedelta(days=1)) == []

    async def test_an_update_is_what_every_instance_reads(self, outbox, tmp_path):
        await outbox.record(a_post())
        sent = a_post().sent(NOW + timedelta(seconds=2))
        await outbox.update(sent)
        assert (await (await self.another(outbox, tmp_path)).get(sent.key)) == sent

    async def test_posts_are_listed_newest_first(self, outbox):
        for n in range(3):
            await outbox.record(a_post(f"daily:2026-11-2{n}", created_at=NOW - timedelta(days=3 - n)))
        assert [p.key for p in await outbox.posts()] == ["daily:2026-11-22", "daily:2026-11-21", "daily:2026-11-20"]
        assert len(await outbox.posts(limit=2)) == 2


class TestInMemoryOutbox(OutboxContract):
    async def make(self, folder):
        return InMemoryOutbox()

    async def another(self, outbox, folder):
        return outbox  # one process: the same object


class TestSqliteOutbox(OutboxContract):
    async def make(self, folder):
        return SqliteOutbox(folder / "outbox.db")

    async def another(self, outbox, folder):
        return SqliteOutbox(folder / "outbox.db")


class TestRedisOutbox(OutboxContract):
    @pytest.fixture
    async def outbox(self, tmp_path):
        from tests.conftest import redis_or_skip

        redis_or_skip()
        self.prefix = f"test-outbox-{uuid.uuid4().hex}"
        self.clients = [Redis.from_url(REDIS_OUTBOX_URL)]
        yield RedisOutbox(self.clients[0], self.prefix)
        keys = [key async for key in self.clients[0].scan_iter(f"{self.prefix}:*")]
        if keys:
            await self.clients[0].delete(*keys)
        for client in self.clients:
            await client.aclose()

    async def another(self, outbox, folder):
        client = Redis.from_url(REDIS_OUTBOX_URL)  # a connection of its own, as another process has
        self.clients.append(client)
        return RedisOutbox(client, self.prefix)
