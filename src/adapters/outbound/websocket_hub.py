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
    def __init__(self, socket: FrameSocket, hub: WebSocketHub, stall_timeout: float) -> None:
        self._socket = socket
        self._hub = hub
        self._stall_timeout = stall_timeout
        self._pending: str | None = None
        self._newest: tuple[str, int] | None = None  # (epoch, version) of the last frame queued
        self._wakeup = asyncio.Event()
        self._writer = asyncio.create_task(self._write_frames(), name="ws-writer")

    def offer(self, epoch: str, version: int, frame: str) -> None:
        """Queues `frame` unless a newer version of the same history is already queued or sent."""
        newest = self._newest
        if newest is not None and newest[0] == epoch and newest[1] >= version:
            return
        self._newest = (epoch, version)
        self._pending = frame
        self._wakeup.set()

    async def _write_frames(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            frame, self._pending = self._pending, None
            if frame is None:
                continue
            try:
                await asyncio.wait_for(self._socket.send_text(frame), self._stall_timeout)
            except TimeoutError:
                logger.info("closing a WebSocket client that took nothing for %.1f s", self._stall_timeout)
                self._hub.forget(self)
                # Waits for the client to read or go away; this task ends with the connection.
                await self._close_quietly(CLOSE_TOO_SLOW, "too slow")
                return
            except Exception:  # the socket is gone: closed, reset, or sent to after close
                self._hub.forget(self)
                return

    async def _close_quietly(self, code: int, reason: str) -> None:
        with contextlib.suppress(Exception):
            await self._socket.close(code, reason)

    async def stop(self) -> None:
        """Stops the writer; the hub forgets the connection. Safe to call more than once."""
        self._hub.forget(self)
        self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._writer

    async def shut(self, code: int = CLOSE_GOING_AWAY) -> None:
        await self.stop()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._close_quietly(code, "server shutting down"), 1.0)


class WebSocketHub:
    def __init__(self, encoder: StateEncoder, stall_timeout: float = 10.0) -> None:
        self._encoder = encoder
        self._stall_timeout = stall_timeout
        self._connections: set[ClientConnection] = set()

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
        connection = ClientConnection(socket, self, self._stall_timeout)
        self._connections.add(connection)
        return connection

    def greet(self, connection: ClientConnection, state: DashboardState) -> None:
        """Queues the current state as the client's first frame, unless a newer one is queued already."""
        connection.offer(state.meta.epoch, state.meta.version, self._encoder.encode(state))

    def forget(self, connection: ClientConnection) -> None:
        self._connections.discard(connection)

    async def close(self) -> None:
        """Closes every client (1001) and stops every writer: no task outlives the hub."""
        connections, self._connections = list(self._connections), set()
        await asyncio.gather(*(connection.shut() for connection in connections))
