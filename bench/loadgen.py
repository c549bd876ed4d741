"""Lean load-generating clients: raw HTTP/1.1 keep-alive and raw WebSocket frames on asyncio.

Written against the wire directly so that the client costs little next to the server it measures
(a full client library would spend more time per message than the server does).
"""

from __future__ import annotations

import asyncio
import base64
import os
import re
import struct
import time

_VERSION = re.compile(rb'"version":\s*(\d+)')
_CONTENT_LENGTH = re.compile(rb"content-length:\s*(\d+)", re.IGNORECASE)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class HttpConnection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    async def open(self) -> HttpConnection:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def request(self, method: str, path: str, body: bytes | None = None) -> int:
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + (body or b""))
        response_head = await self.reader.readuntil(b"\r\n\r\n")
        length = _CONTENT_LENGTH.search(response_head)
        await self.reader.readexactly(int(length.group(1)) if length else 0)
        return int(response_head[9:12])

    def close(self) -> None:
        self.writer.close()


class WsClient(asyncio.Protocol):
    """A WebSocket client that records when each state version arrived (monotonic ns) and how it closed."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.handshake_done = asyncio.get_running_loop().create_future()
        self.closed = asyncio.get_running_loop().create_future()
        self.arrivals: dict[int, int] = {}
        self.frames = 0
        self.close_code: int | None = None
        self.upgraded = False

    @classmethod
    async def connect(cls, host: str, port: int, path: str = "/ws") -> WsClient:
        loop = asyncio.get_running_loop()
        transport, client = await loop.create_connection(cls, host, port)
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        client.transport = transport
        await client.handshake_done
        return client

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        now = time.monotonic_ns()
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if not self.buffer.startswith(b"HTTP/1.1 101"):
                self.handshake_done.set_exception(ConnectionError(bytes(self.buffer[:80])))
                return
            del self.buffer[: end + 4]
            self.upgraded = True
            self.handshake_done.set_result(None)
        self._read_frames(now)

    def _read_frames(self, now: int) -> None:
        buffer, position = self.buffer, 0
        # Frames are consumed by moving `position`; the buffer is cut once at the end (cutting it per
        # frame is quadratic when a paused client resumes with megabytes waiting).
        while len(buffer) - position >= 2:
            opcode, length, offset = buffer[position] & 0x0F, buffer[position + 1] & 0x7F, 2
            if length == 126:
                if len(buffer) - position < 4:
                    break
                length, offset = struct.unpack_from("!H", buffer, position + 2)[0], 4
            elif length == 127:
                if len(buffer) - position < 10:
                    break
                length, offset = struct.unpack_from("!Q", buffer, position + 2)[0], 10
            if len(buffer) - position < offset + length:
                break
            payload = bytes(buffer[position + offset: position + offset + length])
            position += offset + length
            if opcode == 0x8:
                self.close_code = struct.unpack_from("!H", payload)[0] if len(payload) >= 2 else 1005
                self._send(0x8, payload[:2])
                self.transport.close()
            elif opcode == 0x9:
                self._send(0xA, payload)
            elif opcode == 0x1:
                self.frames += 1
                match = _VERSION.search(payload)
                if match:
                    self.arrivals.setdefault(int(match.group(1)), now)
        del buffer[:position]

    def _send(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.transport.write(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    def pause(self) -> None:
        """Stop reading: the kernel buffers fill and the server sees a client that takes nothing."""
        self.transport.pause_reading()

    def resume(self) -> None:
        self.transport.resume_reading()

    async def close(self) -> None:
        if not self.transport.is_closing():
            self._send(0x8, struct.pack("!H", 1000))
        await asyncio.wait({self.closed}, timeout=2)  # waits without cancelling anything
        if not self.closed.done():
            self.transport.abort()

    def connection_lost(self, exc) -> None:
        if not self.closed.done():
            self.closed.set_result(None)
        if not self.handshake_done.done():
            self.handshake_done.set_exception(ConnectionError("closed before the handshake"))
