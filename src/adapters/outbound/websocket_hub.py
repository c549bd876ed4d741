"""The `Broadcaster` that fans the state out to WebSocket clients, protocol v1 and v2.

Publishing never awaits a socket. Each connection has its own writer task and a bounded outbox.
v1 (full documents): a newer state replaces what is still queued, so a slow client skips versions
but never sees them out of order. v2 (patches): patches queue in order; when a client falls 64
frames behind, its queue is replaced by one snapshot. Either way, a client that takes nothing for
`stall_timeout` seconds while a frame waits for it is closed with 4008 and dropped from the hub.
Every frame is serialised once per version, whatever the number of clients.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

import orjson

from src.adapters.outbound.state_encoder import StateEncoder
from src.adapters.outbound.state_patches import state_patch
from src.domain.state import DashboardState

logger = logging.getLogger(__name__)

CLOSE_TOO_SLOW = 4008
CLOSE_GOING_AWAY = 1001
MAX_QUEUED_FRAMES = 64  # v2: a client further behind gets one snapshot instead


class FrameSocket(Protocol):
    """What the hub needs of a socket (Starlette's WebSocket has it)."""

    async def send_text(self, data: str) -> None: ...

    async def close(self, code: int = 1000, reason: str | None = None) -> None: ...


class ClientConnection:
    """One client's outbox and writer task; the protocols differ in what they queue."""

    def __init__(self, socket: FrameSocket, hub: WebSocketHub) -> None:
        self._socket = socket
        self._hub = hub
        self._frames: deque[str] = deque()
        self._wakeup = asyncio.Event()
        self._writer = asyncio.create_task(self._write_frames(), name="ws-writer")
        self._closer: asyncio.Task[None] | None = None
        # When the send in progress began (loop time), or None: what the hub's watchdog looks at.
        self.sending_since: float | None = None

    def _push(self, frame: str) -> None:
        self._frames.append(frame)
        self._wakeup.set()

    @property
    def idle(self) -> bool:
        return not self._frames and self.sending_since is None

    async def _write_frames(self) -> None:
        # A plain await on each send: wrapping it in asyncio.wait_for would cost a task per frame and,
        # on Python 3.11, can swallow a cancellation, leaving the writer (and its connection) alive.
        loop = asyncio.get_running_loop()
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._frames:
                frame = self._frames.popleft()
                self.sending_since = loop.time()
                try:
                    await self._socket.send_text(frame)
                except Exception:  # the socket is gone: closed, reset, or sent to after close
                    self._hub.forget(self)
                    return
                finally:
                    self.sending_since = None

    def close_stalled(self) -> None:
        """Called by the watchdog: stop writing, and close with 4008 once the client takes the frame
        (or goes away); the closing task ends with the connection, or at `stop()`."""
        self._hub.forget(self)
        self._writer.cancel()
        self._closer = asyncio.create_task(self._close_quietly(CLOSE_TOO_SLOW, "too slow"), name="ws-closer")

    async def _close_quietly(self, code: int, reason: str) -> None:
        with contextlib.suppress(Exception):
            await self._socket.close(code, reason)

    async def stop(self) -> None:
        """Stops the writer (and a pending close); the hub forgets the connection. Safe to repeat."""
        self._hub.forget(self)
        tasks = [task for task in (self._writer, self._closer) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def shut(self, code: int = CLOSE_GOING_AWAY) -> None:
        await self.stop()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(1.0):
                await self._close_quietly(code, "server shutting down")


class V1Connection(ClientConnection):
    """Protocol v1: only the newest full state waits in the outbox."""

    def __init__(self, socket: FrameSocket, hub: WebSocketHub) -> None:
        super().__init__(socket, hub)
        self._newest: tuple[str, int] | None = None  # (epoch, version) of the last frame queued

    def offer(self, epoch: str, version: int, frame: str) -> None:
        """Queues `frame` unless a newer version of the same history is already queued or sent."""
        newest = self._newest
        if newest is not None and newest[0] == epoch and newest[1] >= version:
            return
        self._newest = (epoch, version)
        self._frames.clear()
        self._push(frame)


class V2Connection(ClientConnection):
    """Protocol v2: framed messages; state as a snapshot, then patches in order."""

    def __init__(self, socket: FrameSocket, hub: WebSocketHub) -> None:
        super().__init__(socket, hub)
        self.epoch: str | None = None
        self.version = -1  # of the last state frame queued

    def send(self, frame: str) -> None:
        """A frame outside the state stream (hello, result, pong, error, heartbeat)."""
        self._push(frame)

    def send_state(self, epoch: str, version: int, frames: list[str]) -> None:
        """A snapshot, or patches up to `version`: the client's state is then at `version`."""
        self.epoch, self.version = epoch, version
        for frame in frames:
            self._push(frame)

    def deliver(self, epoch: str, from_version: int, to_version: int, patch: str | None,
                snapshot: Callable[[], str]) -> None:
        if epoch == self.epoch and to_version <= self.version:
            return  # already has it (a snapshot taken after this change)
        if patch is None or epoch != self.epoch or from_version != self.version:
            self._frames.clear()
            self.send_state(epoch, to_version, [snapshot()])
        elif len(self._frames) >= MAX_QUEUED_FRAMES:
            self._frames.clear()  # too far behind: one snapshot says it all
            self.send_state(epoch, to_version, [snapshot()])
        else:
            self.send_state(epoch, to_version, [patch])


class PatchHistory:
    """The latest patches, bounded in number and age, for clients that resume."""

    def __init__(self, max_count: int = 1000, max_age_s: float = 300.0) -> None:
        self._entries: deque[tuple[int, int, str, float]] = deque(maxlen=max_count)  # from, to, frame, when
        self._epoch: str | None = None
        self._max_age_s = max_age_s

    def record(self, epoch: str, from_version: int, to_version: int, frame: str) -> None:
        if epoch != self._epoch or (self._entries and self._entries[-1][1] != from_version):
            self.reset(epoch)
        self._entries.append((from_version, to_version, frame, time.monotonic()))

    def reset(self, epoch: str) -> None:
        self._entries.clear()
        self._epoch = epoch

    def since(self, epoch: str, version: int, current: int) -> list[str] | None:
        """Every patch from `version` to `current` in order, or None when any is missing."""
        while self._entries and time.monotonic() - self._entries[0][3] > self._max_age_s:
            self._entries.popleft()
        if epoch != self._epoch or version > current or version < 0:
            return None
        if version == current:
            return []
        frames = [frame for start, _, frame, _ in self._entries if start >= version]
        if not self._entries or self._entries[0][0] > version or self._entries[-1][1] != current:
            return None
        return frames


class WebSocketHub:
    def __init__(self, encoder: StateEncoder, stall_timeout: float = 10.0, heartbeat_s: float = 15.0,
                 history: PatchHistory | None = None) -> None:
        self._encoder = encoder
        self._stall_timeout = stall_timeout
        self.heartbeat_s = heartbeat_s
        self._connections: set[ClientConnection] = set()
        self._timers: list[asyncio.Task[None]] = []
        self._published: DashboardState | None = None
        self._history = history or PatchHistory()

    def __len__(self) -> int:
        return len(self._connections)

    # -- publishing --------------------------------------------------------------------------------

    async def publish(self, state: DashboardState) -> None:
        epoch, version = state.meta.epoch, state.meta.version
        previous = self._published
        same_history = previous is not None and previous.meta.epoch == epoch
        if same_history and version <= previous.meta.version:
            return  # superseded already: never deliver an older version after a newer one
        self._published = state
        patch = None
        if same_history and previous.meta.version + 1 == version:
            # Computed and serialised once per change, for every v2 client and for the history.
            patch = orjson.dumps({"type": "patch", "epoch": epoch, "from": version - 1, "to": version,
                                  "ops": state_patch(previous, state)}).decode()
            self._history.record(epoch, version - 1, version, patch)
        else:
            self._history.reset(epoch)
        if not self._connections:
            return
        snapshot = _once(lambda: self.snapshot_frame(state))
        full = _once(lambda: self._encoder.encode(state))
        for connection in list(self._connections):
            if isinstance(connection, V2Connection):
                connection.deliver(epoch, version - 1, version, patch, snapshot)
            else:
                connection.offer(epoch, version, full())

    def snapshot_frame(self, state: DashboardState, recovered: bool | None = None) -> str:
        meta = state.meta
        extra = "" if recovered is None else f',"recovered":{"true" if recovered else "false"}'
        return (f'{{"type":"snapshot","epoch":{orjson.dumps(meta.epoch).decode()},"version":{meta.version}'
                f'{extra},"state":{self._encoder.encode(state)}}}')

    # -- connections ---------------------------------------------------------------------------------

    def connect(self, socket: FrameSocket) -> V1Connection:
        """Registers a v1 client. Register first, then `greet` it with the state read after: a change
        in between then reaches it either way."""
        connection = V1Connection(socket, self)
        self._register(connection)
        return connection

    def greet(self, connection: V1Connection, state: DashboardState) -> None:
        """Queues the current state as the client's first frame, unless a newer one is queued already."""
        connection.offer(state.meta.epoch, state.meta.version, self._encoder.encode(state))

    def open_v2(self, socket: FrameSocket) -> V2Connection:
        """A v2 client, not yet receiving the stream: `start_v2` attaches it once it has said how."""
        return V2Connection(socket, self)

    def start_v2(self, connection: V2Connection, state: DashboardState, resume: tuple[str, int] | None) -> None:
        """Queues what brings the client to `state` (the patches since the version it resumes from,
        or one snapshot) and attaches it to the stream, with nothing in between that could be missed."""
        self.catch_up(connection, state, resume)
        self._register(connection)

    def catch_up(self, connection: V2Connection, state: DashboardState, resume: tuple[str, int] | None) -> None:
        self._baseline(state)
        epoch, version = state.meta.epoch, state.meta.version
        patches = None if resume is None else self._history.since(resume[0], resume[1], version)
        if patches is None:
            connection.send_state(epoch, version, [self.snapshot_frame(state, None if resume is None else False)])
        else:
            connection.send_state(epoch, version, patches)

    def _baseline(self, state: DashboardState) -> None:
        """Takes `state`, read by a connecting client, as the base for the next patch when the hub
        has published nothing newer (at start, or after a restore from disk)."""
        published = self._published
        if published is None or published.meta.epoch != state.meta.epoch or published.meta.version < state.meta.version:
            self._published = state
            self._history.reset(state.meta.epoch)

    def _register(self, connection: ClientConnection) -> None:
        self._connections.add(connection)
        if not self._timers:
            self._timers = [asyncio.create_task(self._close_stalled_clients(), name="ws-watchdog"),
                            asyncio.create_task(self._send_heartbeats(), name="ws-heartbeat")]

    def forget(self, connection: ClientConnection) -> None:
        self._connections.discard(connection)

    async def _close_stalled_clients(self) -> None:
        """One timer for all clients, instead of a timeout around every send."""
        loop = asyncio.get_running_loop()
        interval = min(self._stall_timeout / 4, 1.0)
        while True:
            await asyncio.sleep(interval)
            deadline = loop.time() - self._stall_timeout
            for connection in list(self._connections):
                since = connection.sending_since
                if since is not None and since < deadline:
                    logger.info("closing a WebSocket client that took nothing for %.1f s", self._stall_timeout)
                    connection.close_stalled()

    async def _send_heartbeats(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_s)
            version = self._published.meta.version if self._published else None
            frame = orjson.dumps({"type": "heartbeat", "version": version}).decode()
            for connection in list(self._connections):
                if isinstance(connection, V2Connection) and connection.idle:
                    connection.send(frame)

    async def close(self) -> None:
        """Closes every client (1001) and stops every task: nothing outlives the hub."""
        for timer in self._timers:
            timer.cancel()
        await asyncio.gather(*self._timers, return_exceptions=True)
        self._timers = []
        connections, self._connections = list(self._connections), set()
        await asyncio.gather(*(connection.shut() for connection in connections))


def _once(make: Callable[[], str]) -> Callable[[], str]:
    """`make` called at most once, and only if some client needs its frame."""
    made: list[str] = []

    def get() -> str:
        if not made:
            made.append(make())
        return made[0]

    return get
