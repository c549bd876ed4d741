"""The socket a connection writes its frames to: the ASGI server's own `send`, reached once per
connection, instead of Starlette's `WebSocket.send_text` per frame.

Starlette's path costs three coroutines and a message per frame (`send_text`, `WebSocket.send`
with its state checks, the exception handler's `sender`) for nothing a sent frame needs: the
socket is accepted before a connection exists, and a connection sends nothing once it is closed.
In a fan-out to 1,000 clients that was a measurable share of the service's CPU beside a naive
loop's (issue #13). Accepting and closing still go through Starlette, so its state stays right.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, cast

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket

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

    def send_text(self, data: str) -> Coroutine[Any, Any, None]:
        return self._send({"type": "websocket.send", "text": data})

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        await self._websocket.close(code, reason)

