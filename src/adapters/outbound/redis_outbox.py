"""The outbox in Redis, beside the state: every process (web workers, other servers) shares it.

Each post is a hash (`<prefix>:outbox:<key>`: its JSON `body`, and `status`/`due_at` that Lua reads),
listed in a sorted set by when it was recorded, and, while it waits for an attempt (pending, or
sending until its lease ends), in another by when it is due: a pass reads only those. Recording and taking are Lua scripts, each one atomic
step inside Redis: of several processes, one records a key (`HSETNX`) and one takes an attempt.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from redis.asyncio import Redis

from src.adapters.outbound.outbox_codec import decode_post, encode_post, epoch_s
from src.domain.outbox import Post, PostStatus

KEEP_FOR = timedelta(days=40)

# KEYS: the post's hash, the index, the waiting set. ARGV: body, status, due_at, created_at, keep (s),
# forget before.
_RECORD = """
if redis.call('HSETNX', KEYS[1], 'body', ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'due_at', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[4], KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[6])
if ARGV[2] == 'pending' then redis.call('ZADD', KEYS[3], ARGV[3], KEYS[1]) end
return 1
"""
# KEYS: the post's hash, the waiting set. ARGV: now, the taken body, its due_at (lease end).
# Answers the body before.
_TAKE = """
local found = redis.call('HMGET', KEYS[1], 'status', 'due_at', 'body')
if not found[1] then return false end
if (found[1] ~= 'pending' and found[1] ~= 'sending') or tonumber(found[2]) > tonumber(ARGV[1]) then
  return false
end
redis.call('HSET', KEYS[1], 'status', 'sending', 'due_at', ARGV[3], 'body', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], KEYS[1])
return found[3]
"""


def _due_at(post: Post) -> float:
    if post.status == PostStatus.SENDING:
        return epoch_s(post.lease_until)
    if post.status == PostStatus.PENDING:
        return epoch_s(post.next_attempt_at or post.created_at)
    return float("inf")


def _number(value: float) -> str:
    return "inf" if value == float("inf") else repr(value)


class RedisOutbox:
    def __init__(self, redis: Redis, prefix: str = "aicos") -> None:
        self._redis = redis
        self._prefix = f"{prefix}:outbox:"
        self._index = f"{prefix}:outbox-index"
        self._waiting = f"{prefix}:outbox-waiting"
        self._record = redis.register_script(_RECORD)
        self._take = redis.register_script(_TAKE)

    async def record(self, post: Post) -> bool:
        keep = int(KEEP_FOR.total_seconds())
        forget_before = (post.created_at - KEEP_FOR).timestamp()
        args = [encode_post(post), post.status.value, _number(_due_at(post)), post.created_at.timestamp(), keep,
                forget_before]
        return bool(await self._record(keys=[self._prefix + post.key, self._index, self._waiting], args=args))

    async def take(self, key: str, now: datetime) -> Post | None:
        body = await self._redis.hget(self._prefix + key, "body")
        post = decode_post(body) if body else None
        if post is None or not post.can_be_taken(now):
            return None
        taken = post.taken(now)
        before = await self._take(keys=[self._prefix + key, self._waiting], args=[now.timestamp(), encode_post(taken),
                                                                  _number(_due_at(taken))])
        if not before:
            return None
        if before != body:  # changed between the read and the script: the lease stays, on what was stored
            post = decode_post(before)
            await self.update(post.taken(now))
        return post

    async def update(self, post: Post) -> None:
        key = self._prefix + post.key
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping={"body": encode_post(post), "status": post.status.value,
                                    "due_at": _number(_due_at(post))})
            if post.status in (PostStatus.PENDING, PostStatus.SENDING):
                pipe.zadd(self._waiting, {key: _due_at(post)})
            else:
                pipe.zrem(self._waiting, key)
            await pipe.execute()

    async def get(self, key: str) -> Post | None:
        body = await self._redis.hget(self._prefix + key, "body")
        return decode_post(body) if body else None

    async def waiting(self, now: datetime) -> list[Post]:
        keys = await self._redis.zrangebyscore(self._waiting, "-inf", now.timestamp())
        posts = await self._bodies([key for key in keys if isinstance(key, (bytes, str))])
        return [post for post in posts if post.can_be_taken(now)]

    async def posts(self, limit: int = 200) -> list[Post]:
        return await self._all(limit)

    async def _all(self, limit: int) -> list[Post]:
        keys = [key for key in await self._redis.zrevrange(self._index, 0, limit - 1) if isinstance(key, (bytes, str))]
        return await self._bodies(keys)

    async def _bodies(self, keys: list[bytes | str]) -> list[Post]:
        if not keys:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.hget(key, "body")
            bodies = await pipe.execute()
        return [decode_post(body) for body in bodies if body]
