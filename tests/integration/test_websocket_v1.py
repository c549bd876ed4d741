"""WebSocket protocol v1 (contract section 3) through create_app() and its lifespan."""

import pytest
from starlette.websockets import WebSocketDisconnect


def test_a_client_gets_the_full_state_on_connect(client):
    with client.websocket_connect("/ws") as ws:
        assert ws.receive_json() == client.get("/api/state").json()


def test_one_post_setting_status_and_progress_is_one_message_carrying_both(client):
    with client.websocket_connect("/ws") as ws:
        first = ws.receive_json()
        client.post("/api/system/status", json={"status": "COLLECTING", "progress": 30})
        client.post("/api/system/status", json={"message": "marker"})
        second, third = ws.receive_json(), ws.receive_json()
    assert second["meta"]["version"] == first["meta"]["version"] + 1
    assert (second["system"]["status"], second["system"]["progress"]) == ("COLLECTING", 30)
    assert third["system"]["message"] == "marker"  # nothing came in between


def test_every_client_sees_every_change(client):
    with client.websocket_connect("/ws") as one, client.websocket_connect("/ws") as two:
        one.receive_json(), two.receive_json()
        client.put("/api/priorities", json=[{"title": "Hiring plan"}])
        client.post("/api/command", json={"command": "approve P1"})
        for ws in (one, two):
            assert ws.receive_json()["priorities"][0]["status"] == "pending"
            assert ws.receive_json()["priorities"][0]["status"] == "done"


def test_garbage_and_binary_frames_are_ignored_and_the_connection_stays(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_text("not json {{{")
        ws.send_text('{"type": "resume", "version": -1}')
        ws.send_bytes(b"\x00\xff\x10binary")
        ws.send_text("")
        client.post("/api/system/status", json={"progress": 9})
        assert ws.receive_json()["system"]["progress"] == 9
    assert client.get("/api/state").json()["system"]["progress"] == 9


def test_a_disconnected_client_leaves_the_hub(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        assert client.get("/health").json()["websocket_clients"] == 1
    client.post("/api/system/status", json={"progress": 1})  # a send after the client left never raises
    assert client.get("/health").json()["websocket_clients"] == 0


def test_an_unknown_protocol_is_refused_with_a_reason(client):
    with client.websocket_connect("/ws?protocol=9") as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4400
