"""`CollectionLease`s: in this process's memory, or in Redis for every process sharing it."""

from __future__ import annotations

import time
from datetime import timedelta

from redis.asyncio import Redis


class InMemoryLease:
    """One process: the lease is a name and when it ends."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    async def acquire(self, name: str, lasting: timedelta) -> bool:
        now = time.monotonic()
        self._until = {held: until for held, until in self._until.items() if until > now}
        if name in self._until:
            return False
        self._until[name] = now + lasting.total_seconds()
        return True


class RedisLease:
    """`SET <prefix>:lease:<name> 1 NX PX <ms>`: Redis answers OK to exactly one caller; the key ends
    by itself, so a process that dies holding it blocks nobody past the period."""

    def __init__(self, redis: Redis, prefix: str = "aicos") -> None:
        self._redis = redis
        self._prefix = prefix

    async def acquire(self, name: str, lasting: timedelta) -> bool:
        milliseconds = max(1, int(lasting.total_seconds() * 1000))
        return bool(await self._redis.set(f"{self._prefix}:lease:{name}", b"1", nx=True, px=milliseconds))
