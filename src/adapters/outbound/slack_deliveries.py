"""Which Slack deliveries were already taken, kept where the state is kept, so that a signed request
replayed within Slack's 5-minute signature window runs nothing, even after a restart.

`first_time(key, keep_s)` is true the first time `key` is given within `keep_s` seconds, and
records it; every later call in that time is false. Wall-clock time: it must survive a restart.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from redis.asyncio import Redis


class InMemoryDeliveries:
    """For the memory backend: the state does not survive a restart either."""

    MAX_ENTRIES = 10_000

    def __init__(self) -> None:
        self._expiry: dict[str, float] = {}

    async def first_time(self, key: str, keep_s: float) -> bool:
        now = time.time()
        if len(self._expiry) >= self.MAX_ENTRIES:
            self._expiry = {k: until for k, until in self._expiry.items() if until > now}
        if self._expiry.get(key, 0.0) > now:
            return False
        self._expiry[key] = now + keep_s
        return True


class SqliteDeliveries:
    """In the SQLite state file, a table of its own. Slack requests are rare: one short connection
    each, so this needs no lifecycle of its own beside the state repository's."""

    def __init__(self, path: str | Path) -> None:
        self._path = str(path)
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS slack_deliveries (key TEXT PRIMARY KEY, expires_at REAL NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self._path, timeout=5)

    async def first_time(self, key: str, keep_s: float) -> bool:
        now = time.time()
        db = self._connect()
        try:
            with db:  # one transaction: forget the expired, then remember this one unless it is there
                db.execute("DELETE FROM slack_deliveries WHERE expires_at <= ?", (now,))
                inserted = db.execute("INSERT OR IGNORE INTO slack_deliveries (key, expires_at) VALUES (?, ?)",
                                      (key, now + keep_s)).rowcount
        finally:
            db.close()
        return inserted == 1


class RedisDeliveries:
    """In Redis beside the state: every process sees what any of them took; Redis forgets by itself."""

    def __init__(self, redis: Redis, prefix: str = "aicos") -> None:
        self._redis = redis
        self._prefix = f"{prefix}:slack-delivery:"

    async def first_time(self, key: str, keep_s: float) -> bool:
        return bool(await self._redis.set(self._prefix + key, b"1", nx=True, ex=max(int(keep_s), 1)))
