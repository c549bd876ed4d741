"""The `Broadcaster` that fans the state out to WebSocket clients (protocol v1: the full document).

Publishing never awaits a socket. Each connection has its own writer task and an outbox of one
frame: a newer state replaces what is still queued, so a slow client skips versions but never sees
them out of order, and its memory stays bounded. A client that takes nothing for `stall_timeout`
seconds while a frame waits for it is closed with 4008 and dropped from the hub.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from src.adapters.outbound.state_encoder import StateEncoder
from src.domain.state import DashboardState

logger = logging.getLogger(__name__)

CLOSE_TOO_SLOW = 4008
CLOSE_GOING_AWAY = 1001


class FrameSocket(Protocol):
    """What the hub needs of a socket (Starlette's WebSocket has it)."""

    async def send_text(self, data: str) -> None: ...

    async def close(self, code: int = 1000, reason: str | None = None) -> None: ...


class ClientConnection:
    def __init__(self, socket: FrameSocket, hub: WebSocketHub) -> None:
        self._socket = socket
        self._hub = hub
        self._pending: str | None = None
        self._newest: tuple[str, int] | None = None  # (epoch, version) of the last frame queued
        self._wakeup = asyncio.Event()
        self._writer = asyncio.create_task(self._write_frames(), name="ws-writer")
        self._closer: asyncio.Task[None] | None = None
        # When the send in progress began (loop time), or None: what the hub's watchdog looks at.
        self.sending_since: float | None = None

    def offer(self, epoch: str, version: int, frame: str) -> None:
        """Queues `frame` unless a newer version of the same history is already queued or sent."""
        newest = self._newest
        if newest is not None and newest[0] == epoch and newest[1] >= version:
            return
        self._newest = (epoch, version)
        self._pending = frame
        self._wakeup.set()

    async def _write_frames(self) -> None:
        # A plain await on each send: wrapping it in asyncio.wait_for would cost a task per frame and,
        # on Python 3.11, can swallow a cancellation, leaving the writer (and its connection) alive.
        loop = asyncio.get_running_loop()
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            frame, self._pending = self._pending, None
            if frame is None:
                continue
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


class WebSocketHub:
    def __init__(self, encoder: StateEncoder, stall_timeout: float = 10.0) -> None:
        self._encoder = encoder
        self._stall_timeout = stall_timeout
        self._connections: set[ClientConnection] = set()
        self._watchdog: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self._connections)

    async def publish(self, state: DashboardState) -> None:
        if not self._connections:
            return
        frame = self._encoder.encode(state)  # once per version, whatever the number of clients
        epoch, version = state.meta.epoch, state.meta.version
        for connection in list(self._connections):
            connection.offer(epoch, version, frame)

    def connect(self, socket: FrameSocket) -> ClientConnection:
        """Registers a client. Register first, then `greet` it with the state read after: a change
        in between then reaches it either way."""
        connection = ClientConnection(socket, self)
        self._connections.add(connection)
        if self._watchdog is None:
            self._watchdog = asyncio.create_task(self._close_stalled_clients(), name="ws-watchdog")
        return connection

    def greet(self, connection: ClientConnection, state: DashboardState) -> None:
        """Queues the current state as the client's first frame, unless a newer one is queued already."""
        connection.offer(state.meta.epoch, state.meta.version, self._encoder.encode(state))

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

    async def close(self) -> None:
        """Closes every client (1001) and stops every task: nothing outlives the hub."""
        if self._watchdog is not None:
            self._watchdog.cancel()
            await asyncio.gather(self._watchdog, return_exceptions=True)
            self._watchdog = None
        connections, self._connections = list(self._connections), set()
        await asyncio.gather(*(connection.shut() for connection in connections))
