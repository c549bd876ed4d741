"""The `Broadcaster` that fans the state out to WebSocket clients, protocol v1 and v2.

Publishing never awaits a socket: it schedules one fan-out (one callback of the event loop, whatever
the number of clients), which hands the change to every connection's `deliver`; that sends it at
once as far as the socket takes it without waiting, and leaves the rest to the connection's writer
task (see `connection`). Every frame is serialised once per
version, whatever the number of clients. A client that takes nothing for `stall_timeout` seconds
while a frame waits for it is closed with 4008 and dropped from the hub.
"""

from __future__ import annotations

import asyncio
import logging
import sys

from src.adapters.outbound.state_encoder import StateEncoder
from src.adapters.websocket.connection import (
    CLOSE_TOO_SLOW,
    Connection,
    FrameSocket,
    V1Connection,
    V2Connection,
)
from src.adapters.websocket.collection_pause import CollectionPause
from src.adapters.websocket.frames import Change, Frames
from src.adapters.websocket.history import PatchHistory
from src.domain.state import DashboardState

logger = logging.getLogger(__name__)


class WebSocketHub:
    def __init__(self, encoder: StateEncoder, stall_timeout: float = 10.0, heartbeat_s: float = 15.0,
                 history: PatchHistory | None = None) -> None:
        self.frames = Frames(encoder)
        self._stall_timeout = stall_timeout
        self.heartbeat_s = heartbeat_s
        self._connections: set[Connection] = set()
        self._timers: list[asyncio.Task[None]] = []
        self._published: DashboardState | None = None
        self._history = history or PatchHistory()
        self._collection_pause = CollectionPause()
        self._unsent: list[Change] = []  # published, waiting for the fan-out already scheduled

    def __len__(self) -> int:
        """Connections still open (one whose socket failed is not counted, nor kept)."""
        closed = [connection for connection in self._connections if connection.closed]
        self._connections.difference_update(closed)
        return len(self._connections)

    # -- publishing --------------------------------------------------------------------------------

    async def publish(self, state: DashboardState) -> None:
        epoch, version = state.meta.epoch, state.meta.version
        published = self._published
        # The version published last, when this one is of the same history (epoch): None after a reset.
        previous = published if published is not None and published.meta.epoch == epoch else None
        if previous is not None and version <= previous.meta.version:
            return  # superseded already: never deliver an older version after a newer one
        self._published = state
        patch = None
        if previous is not None and previous.meta.version + 1 == version:
            patch = self.frames.patch(previous, state)  # once per change, for every v2 client and the history
            self._history.record(epoch, version - 1, version, patch)
        else:
            self._history.reset(epoch)
        if not self._connections:
            return
        self._unsent.append(Change(self.frames, state, patch))
        if len(self._unsent) == 1:
            asyncio.get_running_loop().call_soon(self._fan_out)

    def _fan_out(self) -> None:
        """Hands the changes published since the last fan-out to every connection, in one callback
        of the event loop: changes published together (a burst, a loop falling behind) go out as
        one, the newest, to v1 clients, and in order to v2 clients, as a writer that fell behind
        would send them."""
        changes, self._unsent = self._unsent, []
        with self._collection_pause:
            for connection in list(self._connections):
                connection.deliver_all(changes)

    # -- connections ---------------------------------------------------------------------------------

    def admit(self, connection: Connection, limit: int) -> bool:
        """Registers a client as soon as it is accepted, unless `limit` are open already. A v2 client
        counts from here, though it takes no state until `start_v2`."""
        if len(self) >= limit:
            return False
        self._connections.add(connection)
        if not self._timers:
            self._timers = [asyncio.create_task(self._close_stalled_clients(), name="ws-watchdog"),
                            asyncio.create_task(self._send_heartbeats(), name="ws-heartbeat")]
        return True

    def connect(self, socket: FrameSocket) -> V1Connection:
        """A v1 connection over `socket`, admitted without a limit: for tests and embedding (the `/ws`
        endpoint makes and admits its own)."""
        connection = V1Connection(socket)
        self.admit(connection, limit=sys.maxsize)
        return connection

    def remove(self, connection: Connection) -> None:
        self._connections.discard(connection)

    def greet(self, connection: V1Connection, state: DashboardState) -> None:
        """Queues the current state as a v1 client's first frame, unless a newer one is queued already.
        Admit first, then greet with the state read after: a change in between reaches it either way."""
        connection.deliver(Change(self.frames, state, None))

    def start_v2(self, connection: V2Connection, state: DashboardState, resume: tuple[str, int] | None) -> None:
        """Queues what brings an admitted v2 client to `state` (the patches since the version it resumes
        from, or one snapshot); from then on it takes every change, with nothing in between missed."""
        self.catch_up(connection, state, resume)

    def catch_up(self, connection: V2Connection, state: DashboardState, resume: tuple[str, int] | None) -> None:
        self._baseline(state)
        epoch, version = state.meta.epoch, state.meta.version
        patches = None if resume is None else self._history.since(resume[0], resume[1], version)
        if patches is None:
            snapshot = self.frames.snapshot(state, None if resume is None else False)
            connection.send_state(epoch, version, [snapshot])
        else:
            connection.send_state(epoch, version, patches)

    def _baseline(self, state: DashboardState) -> None:
        """Takes `state`, read by a connecting client, as the base for the next patch when the hub
        has published nothing newer (at start, or after a restore from disk)."""
        published = self._published
        if published is None or published.meta.epoch != state.meta.epoch or published.meta.version < state.meta.version:
            self._published = state
            self._history.reset(state.meta.epoch)

    async def _close_stalled_clients(self) -> None:
        """One timer for all clients, instead of a timeout around every send."""
        loop = asyncio.get_running_loop()
        interval = min(self._stall_timeout / 4, 1.0)
        while True:
            await asyncio.sleep(interval)
            deadline = loop.time() - self._stall_timeout
            for connection in list(self._connections):
                if connection.stalled_before(deadline):
                    logger.info("closing a WebSocket client that took nothing for %.1f s", self._stall_timeout)
                    self._connections.discard(connection)
                    connection.close_now(CLOSE_TOO_SLOW, "too slow")

    async def _send_heartbeats(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_s)
            frame = self.frames.heartbeat(self._published.meta.version if self._published else None)
            for connection in list(self._connections):
                connection.heartbeat(frame)

    async def close(self) -> None:
        """Closes every client (1001) and stops every task: nothing outlives the hub."""
        self._collection_pause.resume()
        for timer in self._timers:
            timer.cancel()
        await asyncio.gather(*self._timers, return_exceptions=True)
        self._timers = []
        connections, self._connections = list(self._connections), set()
        await asyncio.gather(*(connection.shut() for connection in connections))
