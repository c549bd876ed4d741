"""The Broadcaster contract: a base class, and a short subclass per implementation (the WebSocket
hub, the Redis broadcaster over it, and the recording fake)."""

import asyncio
import json
from datetime import datetime, timezone

import pytest

from src.adapters.outbound.state_encoder import StateEncoder
from src.adapters.outbound.websocket_hub import WebSocketHub
from src.domain.state import DashboardState
from tests.conftest import redis_or_skip
from tests.fakes import FixedClock, RecordingBroadcaster

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


class RecordingSocket:
    """A client socket that takes every frame at once."""

    def __init__(self) -> None:
        self.frames: list[dict] = []
        self.closed_with: int | None = None

    async def send_text(self, data: str) -> None:
        self.frames.append(json.loads(data))

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self.closed_with = code


class StuckSocket(RecordingSocket):
    """A client that never takes anything."""

    async def send_text(self, data: str) -> None:
        await asyncio.Event().wait()


class HubListener:
    def __init__(self) -> None:
        self.hub = WebSocketHub(StateEncoder(), stall_timeout=5)
        self.socket = RecordingSocket()
        self.hub.connect(self.socket)
        self.stuck = self.hub.connect(StuckSocket())

    async def received(self) -> list[tuple[str, int]]:
        for _ in range(5):
            await asyncio.sleep(0)  # let the writer tasks run
        return [(f["meta"]["epoch"], f["meta"]["version"]) for f in self.socket.frames]

    async def close(self) -> None:
        await self.hub.close()


class RedisListener(HubListener):
    """The Redis broadcaster over a hub: what it publishes here, and what it hears from Redis."""

    async def start(self) -> None:
        from redis.asyncio import Redis

        from src.adapters.outbound.redis_state import RedisBroadcaster, RedisStateRepository

        self.client = Redis.from_url(redis_or_skip())
        await self.client.flushdb()
        repository = RedisStateRepository(self.client, FixedClock())
        self.hub_below = self.hub
        self.hub = RedisBroadcaster(self.client, repository, self.hub_below)
        await self.hub.start()
        async with asyncio.timeout(5):  # subscribed, and the stored state it caught up with delivered
            while not (self.hub.connected and self.socket.frames):
                await asyncio.sleep(0.005)
        self.socket.frames.clear()

    async def close(self) -> None:
        await self.hub.close()
        await self.hub_below.close()
        await self.client.flushdb()
        await self.client.aclose()


class RecordingListener:
    def __init__(self) -> None:
        self.hub = RecordingBroadcaster()

    async def received(self) -> list[tuple[str, int]]:
        return [(s.meta.epoch, s.meta.version) for s in self.hub.delivered]

    async def close(self) -> None:
        pass


def versions(count: int, epoch: str = "e1") -> list[DashboardState]:
    state = DashboardState.initial(NOW, epoch=epoch)
    out = []
    for _ in range(count):
        state = state.next_version(NOW)
        out.append(state)
    return out


class BroadcasterContract:
    """Subclass with `make_listener()`: a listener whose `hub` is the broadcaster under test,
    `received()` what its client got as (epoch, version), `close()` to stop it."""

    def make_listener(self):
        raise NotImplementedError

    @pytest.fixture
    async def listener(self):
        made = self.make_listener()
        if hasattr(made, "start"):
            await made.start()
        yield made
        await made.close()

    async def test_published_states_arrive_in_order(self, listener):
        for state in versions(3):
            await listener.hub.publish(state)
            await listener.received()
        assert await listener.received() == [("e1", 1), ("e1", 2), ("e1", 3)]

    async def test_an_older_version_is_never_delivered_after_a_newer_one(self, listener):
        one, two, three = versions(3)
        await listener.hub.publish(three)
        await listener.received()
        await listener.hub.publish(one)
        await listener.hub.publish(two)
        assert await listener.received() == [("e1", 3)]

    async def test_a_new_epoch_is_delivered_even_with_a_lower_version(self, listener):
        await listener.hub.publish(versions(5)[-1])
        await listener.received()
        await listener.hub.publish(versions(1, epoch="e2")[0])
        assert (await listener.received())[-1] == ("e2", 1)

    async def test_publishing_never_waits_on_a_client(self, listener):
        # The hub listener has a client that takes nothing; publishing must still return at once.
        await asyncio.wait_for(asyncio.gather(*(listener.hub.publish(s) for s in versions(100))), timeout=1)



class TestWebSocketHub(BroadcasterContract):
    make_listener = HubListener


class TestRedisBroadcaster(BroadcasterContract):
    make_listener = RedisListener


class TestRecordingBroadcaster(BroadcasterContract):
    make_listener = RecordingListener
