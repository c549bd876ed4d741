"""State on Redis, shared by every process: the web workers, a collector process, the Slack bot.

`RedisStateRepository.apply` is optimistic: it reads the state, runs the change, and stores the
result with a Lua script that checks, inside Redis, that the version is still the one it read; if
another process got there first it runs the change again on the newer state. The same script
publishes the new state on a channel, so every process hears of every change in commit order.

`RedisBroadcaster` delivers those messages to this process's WebSocket hub. The hub ignores any
version it has already published, so a process's own changes (delivered at once, then heard again
from Redis) and a catch-up after a reconnect never show an older state after a newer one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from src.adapters.outbound.state_codec import decode_state, encode_state
from src.adapters.outbound.websocket_hub import WebSocketHub
from src.application.ports import Applied, Change, Clock
from src.domain.state import DashboardState

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 100

# KEYS[1] the state hash; ARGV: version read (-1: none yet), new version, epoch, body, channel.
_STORE_IF_UNCHANGED = """
local stored = redis.call('HGET', KEYS[1], 'version')
if (stored and tonumber(stored) or -1) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'epoch', ARGV[3], 'body', ARGV[4])
redis.call('PUBLISH', ARGV[5], ARGV[4])
return 1
"""


def _identity(state: DashboardState) -> tuple[bytes, bytes]:
    return state.meta.epoch.encode(), str(state.meta.version).encode()


class RedisStateRepository:
    def __init__(self, redis: Redis, clock: Clock, prefix: str = "aicos") -> None:
        self._redis = redis
        self._clock = clock
        self.key = f"{prefix}:state"
        self.channel = f"{prefix}:changes"
        self._store = redis.register_script(_STORE_IF_UNCHANGED)
        # The last state seen, under its (epoch, version) as Redis stores them.
        self._cached: tuple[tuple[bytes, bytes], DashboardState] | None = None

    async def load(self) -> DashboardState:
        try:
            epoch, version = await self._redis.hmget(self.key, "epoch", "version")
            if self._cached is not None and (epoch, version) == self._cached[0]:
                return self._cached[1]  # unchanged: no need to fetch and decode the whole state
            body = await self._redis.hget(self.key, "body")
        except (RedisError, OSError):
            if self._cached is None:
                raise
            # Redis is away: reads go on with the last state this process saw; writes fail until
            # it is back, and /health says so.
            return self._cached[1]
        if body is None:
            initial = DashboardState.initial(self._clock.now())
            await self._store(keys=[self.key], args=[-1, 0, initial.meta.epoch, encode_state(initial), self.channel])
            return await self.load()  # ours, or the one another process made first
        state = decode_state(body)
        self._cached = (_identity(state), state)
        return state

    async def apply(self, change: Change) -> Applied:
        for _ in range(MAX_ATTEMPTS):
            current = await self.load()
            changed = change(current)
            if changed is None:
                return Applied(current, False)
            stored = changed.succeeding(current, self._clock.now())
            body = encode_state(stored)
            args: list[int | str | bytes] = [
                current.meta.version, stored.meta.version, stored.meta.epoch, body, self.channel]
            if await self._store(keys=[self.key], args=args):
                self._cached = (_identity(stored), stored)
                return Applied(stored, True)
        raise RuntimeError(f"the state kept changing under {MAX_ATTEMPTS} attempts to apply one change")

    def close(self) -> None:
        """The Redis client is closed by its own owner (the container)."""


class RedisBroadcaster:
    """Every change, from any process, to this process's WebSocket clients, in version order."""

    def __init__(self, redis: Redis, repository: RedisStateRepository, hub: WebSocketHub) -> None:
        self._redis = redis
        self._repository = repository
        self._hub = hub
        self._listener: asyncio.Task[None] | None = None
        self.connected = False

    async def publish(self, state: DashboardState) -> None:
        await self._hub.publish(state)  # this process's clients at once; the Redis echo is ignored

    async def start(self) -> None:
        self._listener = asyncio.create_task(self._listen(), name="redis-listener")

    async def _listen(self) -> None:
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(self._repository.channel)
                    # Whatever was missed while not subscribed: the stored state is the newest.
                    await self._hub.publish(await self._repository.load())
                    self.connected = True
                    async for message in pubsub.listen():
                        if message["type"] == "message":
                            await self._hub.publish(decode_state(message["data"]))
            except (RedisError, OSError) as error:
                if self.connected:
                    logger.warning("lost Redis (%s); reconnecting", error)
                self.connected = False
                await asyncio.sleep(0.5)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
