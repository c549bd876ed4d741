"""The REST API of contract section 2, through create_app() with its real lifespan."""

import json

import pytest

from tests.fakes import FakeCollector
from tests.integration.conftest import isolated_settings

TODAY_ITEMS = [{"title": "Hiring plan", "key": "hiring"}, {"title": "Board deck"}]


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    return body["error"]


def test_health(client):
    assert client.get("/health").json() == {"status": "healthy", "version": "0.1.0", "websocket_clients": 0}


def test_the_state_document_has_every_part_of_the_contract(client):
    state = client.get("/api/state").json()
    assert set(state) == {"system", "calendar", "priorities", "commitments", "active_brief", "meta"}
    assert state["system"] == {"status": "IDLE", "progress": 0, "last_sync": None, "message": None}
    assert state["commitments"] == {"owe": [], "owed": []}
    assert state["meta"]["version"] == 0 and state["meta"]["updated_at"].endswith("Z")


def test_posting_status_and_progress_changes_both_in_one_version(client):
    response = client.post("/api/system/status", json={"status": "COLLECTING", "progress": 40, "message": "slack"})
    assert response.status_code == 200
    assert response.json() == {"success": True, "system": {
        "status": "COLLECTING", "progress": 40, "last_sync": None, "message": "slack"}}
    assert client.get("/api/system/status").json()["progress"] == 40
    assert client.get("/api/state").json()["meta"]["version"] == 1


@pytest.mark.parametrize("body", [
    {"status": "SLEEPING"}, {"progress": 150}, {"progress": -1}, {"progress": "50"}, {"progress": 50.5},
    {"progress": True}, {"progress": None}, {"status": None}, {}, {"message": 7}, {"progres": 5}, [1], "text",
])
def test_a_bad_status_body_is_a_400_and_changes_nothing(client, body):
    before = client.get("/api/state").json()
    error = assert_error(client.post("/api/system/status", json=body), 400, "validation_error")
    assert error["message"]
    assert client.get("/api/state").json() == before


@pytest.mark.parametrize("raw", [b"", b"{not json", b"\xff\xfe\x00binary", b"null"])
def test_an_empty_or_non_json_body_is_a_400(client, raw):
    response = client.post("/api/system/status", content=raw, headers={"Content-Type": "application/json"})
    assert_error(response, 400, "validation_error")
    assert client.get("/api/state").json()["meta"]["version"] == 0


def test_a_20_mb_body_is_a_413_and_the_server_keeps_serving(client):
    response = client.post("/api/system/status", content=b"x" * (20 * 1024 * 1024),
                           headers={"Content-Type": "application/json"})
    assert_error(response, 413, "payload_too_large")

    def chunks():
        for _ in range(40):
            yield b"x" * (512 * 1024)

    streamed = client.post("/api/command", content=chunks(), headers={"Content-Type": "application/json"})
    assert_error(streamed, 413, "payload_too_large")
    assert client.get("/health").status_code == 200


def test_unknown_routes_and_methods_use_the_envelope(client):
    assert_error(client.get("/api/nothing"), 404, "not_found")
    assert_error(client.delete("/api/state"), 405, "method_not_allowed")


def test_approve_keeps_the_case_and_answers_with_the_version(client):
    client.put("/api/priorities", json=TODAY_ITEMS)
    answer = client.post("/api/command", json={"command": "approve p1"}).json()
    assert answer["target"] == "P1" and answer["applied"] is True
    assert answer["version"] == client.get("/api/state").json()["meta"]["version"]
    assert client.get("/api/state").json()["priorities"][0]["status"] == "done"


def test_approve_on_an_empty_board_answers_200_not_applied(client):
    response = client.post("/api/command", json={"command": "approve P7"})
    assert response.status_code == 200
    assert response.json()["target"] == "P7" and response.json()["applied"] is False


@pytest.mark.parametrize("command, status, code", [
    ("explode P7", 400, "unknown_command"),
    ("approve C3", 400, "invalid_target"),
    ("approve 7", 400, "invalid_target"),
    ("", 400, "validation_error"),
    ("x" * 10_000, 400, "validation_error"),
])
def test_bad_commands_are_refused_and_change_nothing(client, command, status, code):
    client.put("/api/priorities", json=TODAY_ITEMS)
    before = client.get("/api/state").json()
    assert_error(client.post("/api/command", json={"command": command}), status, code)
    assert client.get("/api/state").json() == before


def test_an_unknown_command_lists_the_closest_verbs(client):
    error = assert_error(client.post("/api/command", json={"command": "aprove P1"}), 400, "unknown_command")
    assert "approve" in error["details"]


def test_a_chain_answers_every_result(client):
    client.put("/api/priorities", json=TODAY_ITEMS)
    answer = client.post("/api/command", json={"command": "approve P1 | partial P2 | brief"}).json()
    assert answer["action"] == "approve" and len(answer["results"]) == 3
    assert answer["results"][2]["action"] == "brief"
    assert client.get("/api/state").json()["active_brief"]["kind"] == "daily"


def test_replacing_the_board_assigns_codes_and_keeps_them_per_key(client):
    stored = client.put("/api/priorities", json=TODAY_ITEMS).json()
    assert [(p["id"], p["status"], p["new"]) for p in stored] == [("P1", "pending", True), ("P2", "pending", True)]
    again = client.put("/api/priorities", json=[{"title": "New"}, {"title": "Renamed", "key": "hiring"}]).json()
    assert [(p["id"], p["title"]) for p in again] == [("P3", "New"), ("P1", "Renamed")]

    calendar = client.put("/api/calendar", json=[
        {"title": "Budget review", "date": "2026-11-25", "time": "11:00", "attendees": ["cfo@example.com"]},
        {"title": "Standup", "start": "2026-11-25T09:00:00+01:00"},
    ]).json()
    assert [(c["id"], c["time"]) for c in calendar] == [("C1", "09:00"), ("C2", "11:00")]

    commitments = client.put("/api/commitments", json={
        "owe": [{"text": "Notes to Lee", "counterparty": "lee@example.com"}],
        "owed": [{"text": "Budget numbers", "due_date": "2026-11-20"}],
    }).json()
    assert [c["id"] for c in commitments["owe"]] == ["M1"] and commitments["owed"][0]["urgent"] is True


@pytest.mark.parametrize("path, body", [
    ("/api/calendar", [{"title": "No date"}]),
    ("/api/calendar", [{"title": "x", "date": "tomorrow"}]),
    ("/api/calendar", {"title": "not a list"}),
    ("/api/priorities", [{"title": 5}]),
    ("/api/priorities", [{"title": "x", "status": "finished"}]),
    ("/api/commitments", [{"text": "not an object"}]),
    ("/api/commitments", {"owe": [{"counterparty": "no text"}]}),
])
def test_a_bad_board_body_is_a_400_and_changes_nothing(client, path, body):
    before = client.get("/api/state").json()
    assert_error(client.put(path, json=body), 400, "validation_error")
    assert client.get("/api/state").json() == before


def test_trigger_collection_starts_and_a_second_is_a_409(serve):
    collector = FakeCollector(steps=200, delay=0.01)
    with serve(collectors=[collector]) as (client, container):
        started = client.post("/api/trigger_collection?type=full")
        assert started.status_code == 200 and started.json()["job"]["type"] == "full"
        assert client.get("/api/system/status").json()["status"] == "COLLECTING"
        assert_error(client.get("/api/trigger_collection"), 409, "conflict")
    # leaving the block ran the lifespan's shutdown, which cancelled the collection
    assert collector.runs == ["full"]


def test_trigger_collection_refuses_an_unknown_type(client):
    assert_error(client.get("/api/trigger_collection?type=weekly"), 400, "validation_error")


def test_search_routes_answer_in_the_contract_shape(serve, search_index):
    search_index.records = [{"id": "7", "source": "slack", "date": "2026-11-24", "content": "budget approved"}]
    with serve(search_index=search_index) as (client, _):
        body = client.get("/api/search", params={"q": "budget", "limit": 5}).json()
        assert body["query"] == "budget" and body["results"][0]["id"] == "7" and "took_ms" in body
        assert client.get("/api/search/stats").json()["total"] == 1
        assert_error(client.get("/api/search"), 400, "validation_error")
        assert_error(client.get("/api/search", params={"q": "x", "limit": 0}), 400, "validation_error")
        assert_error(client.get("/api/search", params={"q": "x", "since": "last week"}), 400, "validation_error")


def test_cors_allows_the_contract_origins_and_only_those(serve):
    with serve(isolated_settings(port=8000)) as (client, _):
        for origin in ("http://localhost:3000", "http://127.0.0.1:3000", "http://localhost:8000"):
            preflight = client.options("/api/command", headers={
                "Origin": origin, "Access-Control-Request-Method": "POST"})
            assert preflight.status_code == 200
            assert preflight.headers["access-control-allow-origin"] == origin
        refused = client.options("/api/command", headers={
            "Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
        assert_error(refused, 403, "forbidden")
        simple = client.get("/api/state", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in simple.headers


def test_an_unexpected_failure_is_a_500_without_a_traceback(serve):
    class ExplodingIndex:
        async def search(self, *args, **kwargs):
            raise RuntimeError("secret /home/me/path")

        async def stats(self):
            raise RuntimeError("secret /home/me/path")

    with serve(search_index=ExplodingIndex()) as (client, _):
        response = client.get("/api/search/stats")
    error = assert_error(response, 500, "internal")
    assert "secret" not in response.text and "Traceback" not in response.text
    assert len(error["request_id"]) == 16


def test_demo_data_fills_an_empty_board_at_start(serve):
    with serve(isolated_settings(demo=True)) as (client, _):
        state = client.get("/api/state").json()
    assert len(state["calendar"]) >= 4 and state["priorities"][0]["id"] == "P1"
    assert state["commitments"]["owe"] and state["commitments"]["owed"]


@pytest.mark.parametrize("body", [{"type": "full"}, {"mode": "full"}])
def test_trigger_collection_takes_the_mode_from_a_json_body(serve, body):
    collector = FakeCollector(steps=200, delay=0.01)
    with serve(collectors=[collector]) as (client, _):
        started = client.post("/api/trigger_collection", json=body)
        assert started.status_code == 200, started.text
        assert started.json()["job"]["type"] == "full"
    assert collector.runs == ["full"]


@pytest.mark.parametrize("body", [{"kind": "full"}, {"type": "weekly"}, {"type": "full", "mode": "quick"}, [1]])
def test_trigger_collection_refuses_a_bad_body_and_starts_nothing(serve, body):
    collector = FakeCollector(steps=1)
    with serve(collectors=[collector]) as (client, _):
        assert_error(client.post("/api/trigger_collection", json=body), 400, "validation_error")
        assert client.get("/api/system/status").json()["status"] == "IDLE"
    assert collector.runs == []


def test_a_chain_whose_second_command_applied_answers_applied_at_the_top(client):
    client.put("/api/priorities", json=TODAY_ITEMS)
    answer = client.post("/api/command", json={"command": "approve P9 | approve P1"}).json()
    assert [result["applied"] for result in answer["results"]] == [False, True]
    assert answer["applied"] is True
    nothing = client.post("/api/command", json={"command": "approve P9 | approve P1"}).json()
    assert nothing["applied"] is False  # P9 is not on the board and P1 is already done


def test_a_status_change_without_a_message_clears_the_message_of_the_status_before(client):
    client.post("/api/system/status", json={"status": "IDLE", "message": "quick collection finished"})
    changed = client.post("/api/system/status", json={"status": "COLLECTING", "progress": 40}).json()
    assert changed["system"]["message"] is None
    client.post("/api/system/status", json={"message": "slack"})
    same_status = client.post("/api/system/status", json={"status": "COLLECTING", "progress": 50}).json()
    assert same_status["system"]["message"] == "slack"  # still the same status: its message stays


LONE_SURROGATE = "\ud800"  # valid in a JSON string, not a character: it cannot be stored or sent back


@pytest.mark.parametrize("method, path, body", [
    ("post", "/api/system/status", {"message": f"slack {LONE_SURROGATE}"}),
    ("put", "/api/priorities", [{"title": f"Budget {LONE_SURROGATE}"}]),
    ("put", "/api/calendar", [{"title": "Standup", "date": "2026-11-25", "attendees": [LONE_SURROGATE]}]),
    ("put", "/api/commitments", {"owe": [{"text": "Deck", "counterparty": LONE_SURROGATE}]}),
    ("post", "/api/command", {"command": f"brief {LONE_SURROGATE}"}),
    ("post", "/api/command", {"command": f"search budget {LONE_SURROGATE}"}),
])
def test_a_lone_surrogate_is_a_400_and_the_state_stays_readable(client, method, path, body):
    before = client.get("/api/state").json()
    # json.dumps escapes it as the six characters \ud800, as a client's JSON encoder would
    response = client.request(method.upper(), path, content=json.dumps(body),
                              headers={"Content-Type": "application/json"})
    error = assert_error(response, 400, "validation_error")
    assert "unicode" in error["message"].lower()
    after = client.get("/api/state")
    assert after.status_code == 200 and after.json() == before


def test_a_lone_surrogate_through_the_use_cases_is_refused_too(serve):
    from src.domain.errors import InvalidInput

    with serve() as (client, container):
        with pytest.raises(InvalidInput):
            client.portal.call(lambda: container.update_status()(message=LONE_SURROGATE))
        assert client.get("/api/state").status_code == 200


def test_a_search_until_the_last_day_of_the_calendar_is_a_400(client):
    response = client.get("/api/search", params={"q": "x", "until": "9999-12-31"})
    assert "until" in assert_error(response, 400, "validation_error")["message"]
    assert client.get("/api/search", params={"q": "x", "until": "9999-12-30", "since": "0001-01-01"}).status_code == 200
