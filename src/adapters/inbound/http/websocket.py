"""The `/ws` endpoint. Protocol v1 (default): the full state on connect and after every change.
Protocol v2 (`/ws?protocol=2`): typed frames, patches, resume and commands; see docs/websocket-v2.md.
"""

import asyncio
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, WebSocket

from src.adapters.inbound.http.errors import domain_error
from src.adapters.inbound.http.injection import provided
from src.adapters.outbound.websocket_hub import V2Connection, WebSocketHub
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
    settings: Annotated[Settings, provided("settings")],
) -> None:
    await websocket.accept()
    if len(hub) >= settings.max_connections:  # REST keeps answering; this client may come back later
        await websocket.close(CLOSE_TRY_AGAIN_LATER, "too many connections")
        return
    protocol = websocket.query_params.get("protocol", "1")
    if protocol == "2":
        await _stream_v2(websocket, hub, get_state, execute_command)
    elif protocol == "1":
        await _stream_v1(websocket, hub, get_state)
    else:
        await websocket.close(CLOSE_UNSUPPORTED, f"protocol {protocol[:20]} is not supported")


async def _stream_v1(websocket: WebSocket, hub: WebSocketHub, get_state: GetState) -> None:
    connection = hub.connect(websocket)
    try:
        hub.greet(connection, await get_state())
        # v1 clients have nothing to say: whatever they send (text, binary, garbage) is read and dropped.
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass
    finally:
        await connection.stop()


def _frame(kind: str, **fields: Any) -> str:
    return orjson.dumps({"type": kind, **fields}).decode()


def _error(code: str, message: str, id_: Any = None) -> str:
    fields = {"error": {"code": code, "message": message, "details": []}}
    return _frame("error", **({"id": id_} if id_ is not None else {}), **fields)


def _parse(message: dict[str, Any]) -> dict[str, Any] | str:
    """The client's frame as an object, or the reason it is not one."""
    text = message.get("text")
    if text is None:
        return "frames must be JSON text, not binary"
    try:
        frame = orjson.loads(text)
    except orjson.JSONDecodeError:
        return "frame is not valid JSON"
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        return 'frame must be a JSON object with a "type"'
    return frame


def _resume_point(frame: dict[str, Any]) -> tuple[str, int] | str:
    epoch, version = frame.get("epoch"), frame.get("version")
    if not isinstance(epoch, str) or not isinstance(version, int) or isinstance(version, bool):
        return 'resume needs "epoch" (a string) and "version" (an integer)'
    return epoch, version


async def _stream_v2(websocket: WebSocket, hub: WebSocketHub, get_state: GetState,
                     execute_command: ExecuteCommand) -> None:
    connection = hub.open_v2(websocket)
    try:
        state = await get_state()
        connection.send(_frame("hello", protocol=2, epoch=state.meta.epoch, version=state.meta.version,
                               heartbeat_s=hub.heartbeat_s))
        first: dict[str, Any] | None = None
        try:
            async with asyncio.timeout(RESUME_WAIT_S):
                first = await websocket.receive()
        except TimeoutError:
            pass
        if first is not None and first["type"] == "websocket.disconnect":
            return
        frame = _parse(first) if first is not None else None
        resume = _resume_point(frame) if isinstance(frame, dict) and frame["type"] == "resume" else None
        hub.start_v2(connection, await get_state(), resume if isinstance(resume, tuple) else None)
        if frame is not None and (resume is None or isinstance(resume, str)):
            await _handle(connection, frame, hub, get_state, execute_command)
        while (message := await websocket.receive())["type"] != "websocket.disconnect":
            await _handle(connection, _parse(message), hub, get_state, execute_command)
    finally:
        await connection.stop()


async def _handle(connection: V2Connection, frame: dict[str, Any] | str, hub: WebSocketHub,
                  get_state: GetState, execute_command: ExecuteCommand) -> None:
    """Answers one client frame. A bad frame gets an `error` frame; the connection stays up."""
    if isinstance(frame, str):
        connection.send(_error("validation_error", frame))
        return
    kind, id_ = frame["type"], frame.get("id")
    if kind == "ping":
        connection.send(_frame("pong", id=id_))
    elif kind == "resume":
        point = _resume_point(frame)
        if isinstance(point, str):
            connection.send(_error("validation_error", point))
        else:
            hub.catch_up(connection, await get_state(), point)
    elif kind == "command":
        if not isinstance(frame.get("command"), str):
            connection.send(_error("validation_error", 'command needs "command" (a string)', id_))
            return
        try:
            answer = await execute_command(frame["command"])
        except DomainError as error:
            connection.send(_frame("result", id=id_, error=domain_error(error)[1]))
        else:
            connection.send(_frame("result", id=id_, **answer.to_document()))
    else:
        connection.send(_error("validation_error", f"unknown frame type {kind[:40]!r}", id_))
