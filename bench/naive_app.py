"""The naive baseline: the minimal FastAPI broadcast most tutorials write, measured beside the service.

A list of sockets and `for ws in clients: await ws.send_text(...)` inside the request: correct for a
few well-behaved clients, and the point of comparison for every figure in `make bench`.
"""

import json
from typing import Annotated, Any

from fastapi import Body, FastAPI, WebSocket, WebSocketDisconnect

app = FastAPI()
state = {
    "system": {"status": "IDLE", "progress": 0, "last_sync": None, "message": None},
    "calendar": [], "priorities": [], "commitments": {"owe": [], "owed": []}, "active_brief": None,
    "meta": {"epoch": "naive", "version": 0, "updated_at": None},
}
clients: list[WebSocket] = []


@app.get("/health")
async def health():
    return {"status": "healthy", "websocket_clients": len(clients)}


@app.get("/api/state")
async def get_state():
    return state


@app.get("/api/system/status")
async def get_status():
    return state["system"]


@app.post("/api/system/status")
async def post_status(body: dict):
    state["system"].update({k: v for k, v in body.items() if k in ("status", "progress", "message")})
    state["meta"]["version"] += 1
    message = json.dumps(state)
    for ws in list(clients):
        try:
            await ws.send_text(message)
        except Exception:
            clients.remove(ws)
    return {"success": True, "system": state["system"]}


@app.put("/api/{part}")
async def put_part(part: str, body: Annotated[Any, Body()]):
    # Just enough to give the baseline the same board (and frame size) as the service in a benchmark.
    if part == "commitments":
        state["commitments"] = body
    elif part in ("calendar", "priorities"):
        state[part] = body
    return body


@app.websocket("/ws")
async def stream(ws: WebSocket):
    await ws.accept()
    clients.append(ws)
    try:
        await ws.send_text(json.dumps(state))
        while True:
            await ws.receive_text()
    except WebSocketDisconnect:
        pass
    finally:
        if ws in clients:
            clients.remove(ws)
