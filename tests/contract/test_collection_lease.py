"""The CollectionLease contract: in memory, and on a real Redis shared by two clients."""

import asyncio
import uuid
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from src.adapters.outbound.collection_leases import InMemoryLease, RedisLease
from tests.conftest import redis_or_skip

MINUTE = timedelta(minutes=1)


class CollectionLeaseContract:
    """Subclass with `make_leases()`: two leases over one store (two processes' view of it)."""

    async def make_leases(self):
        raise NotImplementedError

    async def close(self):
        pass

    @pytest.fixture
    async def leases(self):
        yield await self.make_leases()
        await self.close()

    async def test_the_first_taker_gets_it_and_no_one_else(self, leases):
        first, second = leases
        assert await first.acquire("collect:100", MINUTE) is True
        assert await first.acquire("collect:100", MINUTE) is False
        assert await second.acquire("collect:100", MINUTE) is False

    async def test_names_are_independent(self, leases):
        first, second = leases
        assert await first.acquire("collect:100", MINUTE)
        assert await second.acquire("collect:200", MINUTE)

    async def test_many_takers_at_once_one_wins(self, leases):
        first, second = leases
        outcomes = await asyncio.gather(*(lease.acquire("collect:300", MINUTE) for lease in leases * 10))
        assert outcomes.count(True) == 1

    async def test_a_lease_ends_by_itself(self, leases):
        first, second = leases
        assert await first.acquire("collect:400", timedelta(milliseconds=50))
        await asyncio.sleep(0.2)
        assert await second.acquire("collect:400", MINUTE)


class TestInMemoryLease(CollectionLeaseContract):
    async def make_leases(self):
        lease = InMemoryLease()
        return lease, lease  # one process: one store


class TestRedisLease(CollectionLeaseContract):
    async def make_leases(self):
        url = redis_or_skip().rsplit("/", 1)[0] + "/13"  # a database and prefix of its own
        self.prefix = f"lease-test-{uuid.uuid4().hex[:8]}"
        self.clients = [Redis.from_url(url), Redis.from_url(url)]
        return tuple(RedisLease(client, self.prefix) for client in self.clients)

    async def close(self):
        keys = [key async for key in self.clients[0].scan_iter(f"{self.prefix}:*")]
        if keys:
            await self.clients[0].delete(*keys)
        for client in self.clients:
            await client.aclose()
