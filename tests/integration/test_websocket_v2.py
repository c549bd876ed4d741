"""WebSocket protocol v2: hello, snapshot, patches, resume, commands, ping, heartbeats, bad frames."""

import time

import jsonpatch
import pytest

from src.adapters.outbound.state_encoder import StateEncoder
from src.adapters.websocket.history import PatchHistory
from src.adapters.websocket.hub import WebSocketHub
from tests.integration.conftest import isolated_settings


def frames_until(ws, kind: str, limit: int = 20) -> list[dict]:
    seen = []
    for _ in range(limit):
        frame = ws.receive_json()
        seen.append(frame)
        if frame["type"] == kind:
            return seen
    raise AssertionError(f"no {kind} frame in {seen}")


def test_hello_then_a_snapshot_then_one_patch_per_change(client):
    with client.websocket_connect("/ws?protocol=2") as ws:
        hello = ws.receive_json()
        assert hello["type"] == "hello" and hello["protocol"] == 2 and hello["heartbeat_s"] > 0
        snapshot = ws.receive_json()
        assert snapshot["type"] == "snapshot" and snapshot["state"] == client.get("/api/state").json()
        assert (snapshot["epoch"], snapshot["version"]) == (hello["epoch"], hello["version"])
        client.put("/api/priorities", json=[{"title": "Hiring plan"}, {"title": "Deck"}])
        client.post("/api/command", json={"command": "approve P2"})
        document = snapshot["state"]
        for _ in range(2):
            patch = ws.receive_json()
            assert patch["type"] == "patch" and patch["from"] == document["meta"]["version"]
            document = jsonpatch.apply_patch(document, patch["ops"])
            assert document["meta"]["version"] == patch["to"]
        assert document == client.get("/api/state").json()


def test_a_resume_within_the_history_replays_exactly_the_missed_patches(client):
    with client.websocket_connect("/ws?protocol=2") as ws:
        ws.receive_json()
        snapshot = ws.receive_json()
    for n in range(5):
        client.post("/api/system/status", json={"progress": n + 1})
    with client.websocket_connect("/ws?protocol=2") as ws:
        ws.receive_json()
        ws.send_json({"type": "resume", "epoch": snapshot["epoch"], "version": snapshot["version"]})
        patches = [ws.receive_json() for _ in range(5)]
        ws.send_json({"type": "ping", "id": "p1"})
        assert ws.receive_json() == {"type": "pong", "id": "p1"}  # nothing else was queued before it
    assert [p["type"] for p in patches] == ["patch"] * 5
    assert [p["from"] for p in patches] == list(range(snapshot["version"], snapshot["version"] + 5))
    document = snapshot["state"]
    for patch in patches:
        document = jsonpatch.apply_patch(document, patch["ops"])
    assert document == client.get("/api/state").json()


@pytest.mark.parametrize("resume", [
    {"epoch": "made-up", "version": 1},
    {"version": 10_000},  # from the future
    {"version": -1},
])
def test_a_resume_that_cannot_be_served_gets_one_snapshot_marked_not_recovered(client, resume):
    client.post("/api/system/status", json={"progress": 3})
    epoch = client.get("/api/state").json()["meta"]["epoch"]
    with client.websocket_connect("/ws?protocol=2") as ws:
        ws.receive_json()
        ws.send_json({"type": "resume", "epoch": epoch, **resume})
        snapshot = ws.receive_json()
    assert snapshot["type"] == "snapshot" and snapshot["recovered"] is False
    assert snapshot["state"] == client.get("/api/state").json()


def test_a_trimmed_history_means_a_snapshot_never_a_partial_replay(serve):
    with serve(websocket_hub=WebSocketHub(StateEncoder(), history=PatchHistory(max_count=3))) as (client, _):
        with client.websocket_connect("/ws?protocol=2") as ws:
            ws.receive_json()
            snapshot = ws.receive_json()
        for n in range(6):
            client.post("/api/system/status", json={"progress": n + 1})
        with client.websocket_connect("/ws?protocol=2") as ws:
            ws.receive_json()
            ws.send_json({"type": "resume", "epoch": snapshot["epoch"], "version": snapshot["version"]})
            answer = ws.receive_json()
    assert answer["type"] == "snapshot" and answer["recovered"] is False and answer["state"]["system"]["progress"] == 6


def test_commands_over_the_socket_answer_like_the_rest_api(client):
    client.put("/api/priorities", json=[{"title": "Hiring plan"}])
    with client.websocket_connect("/ws?protocol=2") as ws:
        frames_until(ws, "snapshot")
        ws.send_json({"type": "command", "id": 7, "command": "approve p1"})
        seen = frames_until(ws, "result")
        result = seen[-1]
        assert result["id"] == 7 and result["applied"] is True and result["target"] == "P1"
        ws.send_json({"type": "command", "id": "x", "command": "aprove P1"})
        error = frames_until(ws, "result")[-1]
        assert error["error"]["code"] == "unknown_command" and "approve" in error["error"]["details"]


@pytest.mark.parametrize("bad", ["not json", "[1, 2]", '{"no": "type"}', '{"type": "dance"}',
                                 '{"type": "resume", "epoch": 5}', '{"type": "command"}'])
def test_a_bad_frame_gets_an_error_frame_and_the_connection_stays(client, bad):
    with client.websocket_connect("/ws?protocol=2") as ws:
        frames_until(ws, "snapshot")
        ws.send_text(bad)
        error = ws.receive_json()
        assert error["type"] == "error" and error["error"]["code"] == "validation_error"
        ws.send_bytes(b"\x00\x01")
        assert ws.receive_json()["type"] == "error"
        client.post("/api/system/status", json={"progress": 42})
        assert ws.receive_json()["type"] == "patch"


def test_idle_clients_get_heartbeats_at_the_advertised_interval(serve):
    with serve(isolated_settings(ws_heartbeat_s=0.2)) as (client, _):
        with client.websocket_connect("/ws?protocol=2") as ws:
            assert ws.receive_json()["heartbeat_s"] == 0.2
            frames_until(ws, "snapshot")
            started = time.monotonic()
            assert ws.receive_json()["type"] == "heartbeat"
            assert time.monotonic() - started < 2


def test_v1_clients_keep_getting_full_documents_beside_v2_clients(client):
    with client.websocket_connect("/ws") as v1, client.websocket_connect("/ws?protocol=2") as v2:
        assert "system" in v1.receive_json()
        frames_until(v2, "snapshot")
        client.post("/api/system/status", json={"progress": 11})
        assert v1.receive_json()["system"]["progress"] == 11
        assert v2.receive_json()["type"] == "patch"
