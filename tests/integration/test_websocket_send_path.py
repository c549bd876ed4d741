"""Frames go to the ASGI server's own send, kept once per connection, not through Starlette's
per-frame `WebSocket.send` (its state checks and wrappers were a measurable share of a fan-out's
CPU, issue #13); accepting and closing still go through Starlette."""

import asyncio

from starlette.websockets import WebSocket, WebSocketState

from src.adapters.websocket.asgi_socket import SEND_KEY, AsgiFrameSocket


def test_state_frames_reach_clients_without_starlettes_per_frame_send(client, monkeypatch):
    through_starlette = []
    original = WebSocket.send

    async def counting_send(self, message):
        through_starlette.append(message["type"])
        await original(self, message)

    monkeypatch.setattr(WebSocket, "send", counting_send)
    with client.websocket_connect("/ws") as v1, client.websocket_connect("/ws?protocol=2") as v2:
        assert v1.receive_json()["meta"]["version"] >= 0
        assert v2.receive_json()["type"] == "hello"
        v2.send_json({"type": "ping", "id": 1})
        v2.receive_json()  # the snapshot, once the wait for a resume is over
        assert v2.receive_json() == {"type": "pong", "id": 1}
        client.post("/api/system/status", json={"message": "marker"})
        assert v1.receive_json()["system"]["message"] == "marker"
        assert v2.receive_json()["type"] == "patch"
    assert "websocket.send" not in through_starlette  # every frame above took the short path
    assert "websocket.accept" in through_starlette  # the handshake is still Starlette's


def test_a_close_goes_through_starlette_and_leaves_its_state_right():
    sent = []

    async def server_send(message):
        sent.append(message)

    async def receive():
        return {"type": "websocket.connect"}

    async def scenario():
        websocket = WebSocket({"type": "websocket", "path": "/ws", "headers": [], SEND_KEY: server_send},
                              receive, server_send)
        await websocket.accept()
        socket = AsgiFrameSocket(websocket)
        await socket.send_text("one")
        await socket.close(4008, "too slow")
        return websocket

    websocket = asyncio.run(scenario())
    assert [m["type"] for m in sent] == ["websocket.accept", "websocket.send", "websocket.close"]
    assert sent[1]["text"] == "one" and sent[2]["code"] == 4008
    assert websocket.application_state == WebSocketState.DISCONNECTED


def test_without_the_kept_send_frames_go_through_starlette():
    # An app that mounts the endpoint without KeepWebSocketSend still works, the long way.
    through_starlette = []

    async def server_send(message):
        through_starlette.append(message)

    async def receive():
        return {"type": "websocket.connect"}

    async def scenario():
        websocket = WebSocket({"type": "websocket", "path": "/ws", "headers": []}, receive, server_send)
        await websocket.accept()
        await AsgiFrameSocket(websocket).send_text("two")

    asyncio.run(scenario())
    assert through_starlette[-1] == {"type": "websocket.send", "text": "two"}
