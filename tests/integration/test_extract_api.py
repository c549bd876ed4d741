"""POST /api/extract through create_app with the built-in reader (contract sections 2 and 6)."""

import json
import tempfile

import pytest

from tests.integration.conftest import isolated_settings

# One data folder for the module: the reader's model is trained once, then loaded from it.
DATA_DIR = tempfile.mkdtemp(prefix="aicos-extract-")


@pytest.fixture
def api(serve):
    with serve(isolated_settings(data_dir=DATA_DIR, me=["U01ALEX", "alex@example.com", "Alex Rivera"],
                                 timezone="America/New_York")) as (client, _):
        yield client


def extract(client, messages):
    return client.post("/api/extract", json={"messages": messages})


def test_an_ask_and_the_persons_will_do_in_one_thread_are_one_promise(api):
    response = extract(api, [
        {"id": "1", "text": "can you send me the q3 deck by friday?", "author": "Dana Lee", "thread": "t",
         "at": "2026-11-24T15:00:00-05:00"},
        {"id": "2", "text": "will do", "author": "alex@example.com", "thread": "t", "at": "2026-11-24T15:05:00-05:00"},
    ])
    assert response.status_code == 200
    assert response.json() == {"items": [{
        "message_id": "2", "kind": "promise_by_me", "text": "can you send me the q3 deck by friday?",
        "counterparty": "Dana Lee", "due_date": "2026-11-27", "confidence": response.json()["items"][0]["confidence"],
    }]}
    assert 0 <= response.json()["items"][0]["confidence"] <= 1


def test_a_due_date_is_the_persons_day_when_the_utc_date_differs(api):
    # 22:30 on Tuesday in New York is 03:30 on Wednesday in UTC: "tomorrow" is Wednesday the 25th.
    response = extract(api, [{"id": "m", "text": "can you send me the contract tomorrow?", "author": "U02DANA",
                              "at": "2026-11-25T03:30:00Z"}])
    [item] = response.json()["items"]
    assert (item["kind"], item["counterparty"], item["due_date"]) == ("ask_to_me", "U02DANA", "2026-11-25")


def test_a_message_to_someone_else_and_the_persons_own_promise(api):
    response = extract(api, [
        {"id": "a", "text": "can you send me the contract?", "author": "Dana Lee", "to": ["Sam Patel"]},
        {"id": "b", "text": "I'll send you the budget numbers tomorrow", "author": "U01ALEX", "to": ["Dana Lee"]},
    ])
    assert [(i["message_id"], i["kind"], i["counterparty"]) for i in response.json()["items"]] == [
        ("b", "promise_by_me", "Dana Lee")]


@pytest.mark.parametrize("text", ["", "   ", "<@U02DANA> *:tada:*", "```\n```", "¿Puedes enviarme el informe mañana?",
                                  "Kannst du mir bitte den Bericht schicken?"])
def test_empty_markup_only_and_other_languages_give_no_items(api, text):
    response = extract(api, [{"id": "m", "text": text, "author": "Dana Lee"}])
    assert (response.status_code, response.json()) == (200, {"items": []})


@pytest.mark.parametrize("body, field", [
    ({"messages": [{"id": str(n), "text": "hi", "author": "Dana"} for n in range(1001)]}, "messages"),
    ({"messages": [{"id": "1", "author": "Dana"}]}, "messages.0.text"),
    ({"messages": [{"id": "1", "text": "hi", "author": 5}]}, "messages.0.author"),
    ({"messages": [{"id": 1, "text": "hi", "author": "Dana"}]}, "messages.0.id"),
    ({"messages": [{"id": "1", "text": "hi", "author": "Dana", "to": "Sam"}]}, "messages.0.to"),
    ({"messages": [{"id": "1", "text": "hi", "author": "Dana", "to": [3]}]}, "messages.0.to.0"),
    ({"messages": [{"id": "1", "text": "hi", "author": "Dana", "cc": ["Sam"]}]}, "messages.0.cc"),
    ({"messages": [], "since": "today"}, "since"),
    ({"messages": [{"id": "1", "text": "hi", "author": "Dana", "at": "next tuesday"}]}, "messages.0.at"),
    ({"messages": [{"id": "1", "text": "hi", "author": "Dana"}, {"id": "1", "text": "yo", "author": "Sam"}]},
     "messages.1.id"),
    ({}, "messages"),
    ({"messages": [{"id": "1", "text": "can you send it? \ud800", "author": "Dana"}]}, "messages.0.text"),
    ({"messages": "can you send it?"}, "messages"),
])
def test_a_bad_body_is_a_400_in_the_envelope_and_changes_nothing(api, body, field):
    before = api.get("/api/state").json()["meta"]
    # Sent as JSON escapes (ensure_ascii): a lone surrogate is valid JSON, not valid UTF-8.
    response = api.post("/api/extract", content=json.dumps(body), headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"]
    assert field in [detail["field"] for detail in error["details"]]
    assert api.get("/api/state").json()["meta"] == before


def test_extracting_changes_nothing_in_the_state(api):
    before = api.get("/api/state").json()
    extract(api, [{"id": "m", "text": "can you approve my travel request by tomorrow?", "author": "Dana Lee"}])
    assert api.get("/api/state").json() == before


def test_without_aicos_me_messages_without_to_are_still_read_as_to_the_person(serve):
    with serve(isolated_settings(data_dir=DATA_DIR, timezone="America/New_York")) as (client, _):
        response = extract(client, [{"id": "m", "text": "could you review the offer letter today?", "author": "Dana Lee",
                                     "at": "2026-11-24T10:00:00-05:00"}])
    [item] = response.json()["items"]
    assert (item["kind"], item["counterparty"], item["due_date"]) == ("ask_to_me", "Dana Lee", "2026-11-24")
