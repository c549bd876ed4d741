"""The `/ws` endpoint. Protocol v1 (default): the full state on connect and after every change.
Protocol v2 (`/ws?protocol=2`): typed frames, patches, resume and commands; see docs/websocket-v2.md.

The endpoint owns its socket and its connection (outbox and writer) from accept to close; the hub
only delivers changes to it, and may close it (stalled, over its cap)."""

import asyncio
from collections.abc import MutableMapping
from typing import Annotated, Any

from fastapi import APIRouter, WebSocket

from src.adapters.inbound.http.errors import domain_error
from src.adapters.inbound.http.injection import provided
from src.adapters.inbound.rate_limit import CommandRateLimiter
from src.adapters.websocket import frames
from src.adapters.websocket.asgi_socket import AsgiFrameSocket
from src.adapters.websocket.connection import V1Connection, V2Connection
from src.adapters.websocket.hub import WebSocketHub
from src.application.use_cases.execute_command import ExecuteCommand
from src.application.use_cases.get_state import GetState
from src.config import Settings
from src.domain.errors import DomainError

router = APIRouter()

CLOSE_UNSUPPORTED = 4400
CLOSE_TRY_AGAIN_LATER = 1013
RESUME_WAIT_S = 0.5  # how long a v2 client has, after hello, to say it resumes before it gets a snapshot


@router.websocket("/ws")
async def state_stream(
    websocket: WebSocket,
    hub: Annotated[WebSocketHub, provided("websocket_hub")],
    get_state: Annotated[GetState, provided("get_state")],
    execute_command: Annotated[ExecuteCommand, provided("execute_command")],
    rate_limiter: Annotated[CommandRateLimiter, provided("command_rate_limiter")],
    settings: Annotated[Settings, provided("settings")],
) -> None:
    await websocket.accept()
    protocol = websocket.query_params.get("protocol", "1")
    if protocol not in ("1", "2"):
        await websocket.close(CLOSE_UNSUPPORTED, f"protocol {protocol[:20]} is not supported")
        return
    socket = AsgiFrameSocket(websocket)
    connection = V2Connection(socket) if protocol == "2" else V1Connection(socket)
    try:
        if not hub.admit(connection, settings.max_connections):  # REST keeps answering; it may come back later
            await websocket.close(CLOSE_TRY_AGAIN_LATER, "too many connections")
            return
        if isinstance(connection, V2Connection):
            await V2Client(connection, hub, get_state, execute_command, rate_limiter, websocket).serve(websocket)
        else:
            hub.greet(connection, await get_state())
            await _read_until_disconnect(websocket)  # v1 clients have nothing to say: read and dropped
    finally:
        hub.remove(connection)
        await connection.stop()


async def _read_until_disconnect(websocket: WebSocket) -> None:
    while (await websocket.receive())["type"] != "websocket.disconnect":
        pass


class V2Client:
    """One v2 client's conversation: hello, the wait for a resume, then an answer to each frame."""

    def __init__(self, connection: V2Connection, hub: WebSocketHub, get_state: GetState,
                 execute_command: ExecuteCommand, rate_limiter: CommandRateLimiter, websocket: WebSocket) -> None:
        self._connection = connection
        self._hub = hub
        self._frames = hub.frames
        self._get_state = get_state
        self._execute_command = execute_command
        self._rate_limiter = rate_limiter
        self._address = websocket.client.host if websocket.client else "unknown"  # as POST /api/command keys it

    async def serve(self, websocket: WebSocket) -> None:
        connection = self._connection
        connection.answer(self._frames.hello(await self._get_state(), self._hub.heartbeat_s))
        first: MutableMapping[str, Any] | None = None
        try:
            async with asyncio.timeout(RESUME_WAIT_S):
                first = await websocket.receive()
        except TimeoutError:
            pass
        if first is not None and first["type"] == "websocket.disconnect":
            return
        frame = frames.parse(first) if first is not None else None
        resume = frames.resume_point(frame) if isinstance(frame, dict) and frame["type"] == "resume" else None
        self._hub.start_v2(connection, await self._get_state(), resume if isinstance(resume, tuple) else None)
        if frame is not None and (resume is None or isinstance(resume, str)):
            await self._answer(frame)
        while (message := await websocket.receive())["type"] != "websocket.disconnect":
            # Once the server has closed it (stalled, over its cap), its frames are read and dropped
            # until it goes, so that nothing it sends is answered or queued.
            if not connection.closed:
                await self._answer(frames.parse(message))

    async def _answer(self, frame: dict[str, Any] | str) -> None:
        """Answers one client frame. A bad frame gets an `error` frame; the connection stays up."""
        answer = self._connection.answer
        if isinstance(frame, str):
            answer(self._frames.error("validation_error", frame))
            return
        kind, id_ = frame["type"], frame.get("id")
        if kind == "ping":
            answer(self._frames.pong(id_))
        elif kind == "resume":
            point = frames.resume_point(frame)
            if isinstance(point, str):
                answer(self._frames.error("validation_error", point))
            else:
                self._hub.catch_up(self._connection, await self._get_state(), point)
        elif kind == "command":
            answer(await self._command(frame, id_))
        else:
            answer(self._frames.error("validation_error", f"unknown frame type {kind[:40]!r}", id_))

    async def _command(self, frame: dict[str, Any], id_: Any) -> str:
        if not isinstance(frame.get("command"), str):
            return self._frames.error("validation_error", 'command needs "command" (a string)', id_)
        if not self._rate_limiter.allow(self._address):
            error = {"code": "rate_limited", "message": self._rate_limiter.refusal(), "details": []}
            return self._frames.failed_result(id_, error)
        try:
            answer = await self._execute_command(frame["command"])
        except DomainError as error:
            return self._frames.failed_result(id_, domain_error(error)[1])
        return self._frames.result(id_, answer.to_document())
