"""The socket a connection writes its frames to: the ASGI server's own `send`, reached once per
connection, instead of Starlette's `WebSocket.send_text` per frame.

Starlette's path costs three coroutines and a message per frame (`send_text`, `WebSocket.send`
with its state checks, the exception handler's `sender`) for nothing a sent frame needs: the
socket is accepted before a connection exists, and a connection sends nothing once it is closed.
In a fan-out to 1,000 clients that was a measurable share of the service's CPU beside a naive
loop's (issue #13). Accepting and closing still go through Starlette, so its state stays right.

Under uvicorn's sans-I/O WebSocket protocol (what `aicos serve` runs), a frame that goes out at once
skips the ASGI send too (`send_now`): every client of a change is sent the same bytes (a server's
frames are not masked), built once per frame, written straight to the connection's transport,
when that connection is open, takes writes without waiting and uses no extension. Anything else
(a paused transport, a close under way, another server) goes the ASGI way, which waits or fails
as it should: the stalled-reader protection sees such a send as before.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Coroutine
from typing import Any, cast

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from websockets.protocol import State

try:  # uvicorn's sans-I/O protocol (its default since it has one); an older uvicorn takes the ASGI path
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
except ImportError:  # pragma: no cover - depends on the installed uvicorn
    WebSocketsSansIOProtocol = None  # type: ignore[assignment,misc]

# What the direct write reads of uvicorn's protocol: a uvicorn without one of them gets the ASGI path.
_PROTOCOL_PARTS = ("writable", "disconnected", "close_sent", "conn", "transport")
SEND_KEY = "aicos.websocket_send"  # in a WebSocket's scope: the server's send, kept by KeepWebSocketSend


class KeepWebSocketSend:
    """Pure ASGI middleware, added innermost: keeps the `send` a WebSocket comes with (the
    server's, as the middleware around it passes it on) in its scope, for `AsgiFrameSocket`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[SEND_KEY] = send
        await self.app(scope, receive, send)


class AsgiFrameSocket:
    """A `FrameSocket` over an accepted Starlette WebSocket: frames go to the ASGI send kept by
    `KeepWebSocketSend` (Starlette's own send when the app has not that middleware); closing goes
    through Starlette."""

    def __init__(self, websocket: WebSocket) -> None:
        self._websocket = websocket
        send = websocket.scope.get(SEND_KEY, websocket.send)
        # An ASGI send is an async function: what it returns is a coroutine, which `Connection`
        # may start at once and finish in its writer.
        self._send = cast(Callable[[Message], Coroutine[Any, Any, None]], send)
        protocol = getattr(send, "__self__", None)
        # Only uvicorn's own send, unwrapped, and a connection without extensions (no compression).
        self._protocol = (protocol if WebSocketsSansIOProtocol is not None
                          and isinstance(protocol, WebSocketsSansIOProtocol)
                          and getattr(send, "__func__", None) is WebSocketsSansIOProtocol.send
                          and all(hasattr(protocol, name) for name in _PROTOCOL_PARTS)
                          and not protocol.conn.extensions else None)

    def send_now(self, data: str) -> bool:
        """Writes `data` as one text frame at once if the connection takes it without waiting;
        False (nothing written) when it must go through `send_text`."""
        protocol = self._protocol
        if (protocol is None or not protocol.writable.is_set() or protocol.disconnected or protocol.close_sent
                or protocol.conn.state is not State.OPEN):
            return False
        protocol.transport.write(wire_frame(data))
        return True

    def send_text(self, data: str) -> Coroutine[Any, Any, None]:
        return self._send({"type": "websocket.send", "text": data})

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        await self._websocket.close(code, reason)


_WIRE_FRAMES: dict[str, bytes] = {}  # the frames of the last few changes, as bytes on the wire
_WIRE_FRAMES_KEPT = 16


def wire_frame(text: str) -> bytes:
    """`text` as one unmasked, final WebSocket text frame (RFC 6455 5.2), made once for all the
    clients of a change."""
    frame = _WIRE_FRAMES.get(text)
    if frame is None:
        payload = text.encode()
        size = len(payload)
        if size < 126:
            header = struct.pack("!BB", 0x81, size)
        elif size < 2**16:
            header = struct.pack("!BBH", 0x81, 126, size)
        else:
            header = struct.pack("!BBQ", 0x81, 127, size)
        frame = header + payload
        if len(_WIRE_FRAMES) >= _WIRE_FRAMES_KEPT:
            _WIRE_FRAMES.clear()
        _WIRE_FRAMES[text] = frame
    return frame
