"""The `/ws` endpoint, protocol v1: the full state on connect and after every change."""

from typing import Annotated

from fastapi import APIRouter, WebSocket

from src.adapters.inbound.http.injection import provided
from src.adapters.outbound.websocket_hub import WebSocketHub
from src.application.use_cases.get_state import GetState

router = APIRouter()

CLOSE_UNSUPPORTED = 4400


@router.websocket("/ws")
async def state_stream(
    websocket: WebSocket,
    hub: Annotated[WebSocketHub, provided("websocket_hub")],
    get_state: Annotated[GetState, provided("get_state")],
) -> None:
    await websocket.accept()
    protocol = websocket.query_params.get("protocol", "1")
    if protocol != "1":
        await websocket.close(CLOSE_UNSUPPORTED, f"protocol {protocol[:20]} is not supported")
        return
    connection = hub.connect(websocket)
    try:
        hub.greet(connection, await get_state())
        # v1 clients have nothing to say: whatever they send (text, binary, garbage) is read and dropped.
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass
    finally:
        await connection.stop()
