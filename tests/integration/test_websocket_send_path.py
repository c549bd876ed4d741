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


# -- the frames written straight to uvicorn's transport -------------------------------------------------

def test_a_frame_on_the_wire_is_what_websockets_itself_would_send():
    from websockets.frames import Frame, Opcode

    from src.adapters.websocket.asgi_socket import wire_frame

    for text in ("hi", "é" * 200, "x" * 70_000):  # the three length encodings, and UTF-8
        assert wire_frame(text) == Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


class FakeTransport:
    def __init__(self) -> None:
        self.written: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def is_closing(self) -> bool:
        return False


def uvicorn_protocol():
    """uvicorn's own sans-I/O WebSocket protocol (made as uvicorn makes it, so a uvicorn that renames
    what the direct write reads fails here), after a handshake, over a transport that records."""
    from uvicorn.config import Config
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    from uvicorn.server import ServerState
    from websockets.protocol import State

    async def app(scope, receive, send):
        pass

    config = Config(app=app, ws="websockets-sansio", ws_per_message_deflate=False)
    config.load()
    protocol = WebSocketsSansIOProtocol(config=config, server_state=ServerState(), app_state={},
                                        _loop=asyncio.get_running_loop())
    protocol.transport = FakeTransport()
    protocol.conn.state = State.OPEN  # as after the handshake
    protocol.handshake_complete = True
    assert protocol.writable.is_set() and not protocol.close_sent and not protocol.disconnected
    return protocol


def test_a_frame_the_connection_takes_at_once_is_written_straight_to_uvicorns_transport():
    async def scenario():
        protocol = uvicorn_protocol()

        async def receive():
            return {"type": "websocket.connect"}

        websocket = WebSocket({"type": "websocket", "path": "/ws", "headers": [], SEND_KEY: protocol.send},
                              receive, protocol.send)
        websocket.application_state = WebSocketState.CONNECTED
        socket = AsgiFrameSocket(websocket)
        taken = [socket.send_now("one")]
        protocol.writable.clear()  # the client's buffer is full: uvicorn paused writing
        taken.append(socket.send_now("two"))
        protocol.writable.set()
        protocol.close_sent = True  # a close is under way: nothing more goes straight out
        taken.append(socket.send_now("three"))
        return taken, protocol.transport.written

    taken, written = asyncio.run(scenario())
    assert taken == [True, False, False]  # the others go the ASGI way, which waits or fails
    assert written == [b"\x81\x03one"]


def test_without_uvicorns_own_send_nothing_is_written_straight():
    async def wrapped_send(message):  # a middleware that wraps the send: it must see every frame
        pass

    async def receive():
        return {"type": "websocket.connect"}

    websocket = WebSocket({"type": "websocket", "path": "/ws", "headers": [], SEND_KEY: wrapped_send},
                          receive, wrapped_send)
    assert AsgiFrameSocket(websocket).send_now("one") is False
