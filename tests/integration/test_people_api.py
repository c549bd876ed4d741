"""GET /api/people through the app: a small Slack export, an .ics calendar and a roster collected
for real, one entry per human across them, open items from the board, bad parameters refused."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.integration.conftest import isolated_settings
from tests.integration.test_collections import collect

USERS = [
    {"id": "U01ALEX", "name": "alex", "real_name": "Alex Morgan",
     "profile": {"display_name": "alex", "email": "alex@example.com"}},
    {"id": "U02DANA", "name": "dana", "real_name": "Dana Whitfield",
     "profile": {"display_name": "dana", "email": "Dana@Example.com"}},
    {"id": "U04PRIYA", "name": "priya", "profile": {"display_name": "priya", "email": "cfo@example.com"}},
    {"id": "U05SAM", "name": "sam", "real_name": "Sam Ortiz", "profile": {"email": "sam@example.com"}},
    {"id": "U15SAM", "name": "sam2", "real_name": "Sam Ortiz", "profile": {"email": "sam.ortiz@contractor.example"}},
    {"id": "U13JIRA", "name": "jira", "is_bot": True, "profile": {"real_name": "Jira"}},
]


def calendar(today: date) -> str:
    day = today.strftime("%Y%m%d")
    return "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
        "BEGIN:VEVENT", "UID:budget@test", f"DTSTART:{day}T110000Z", f"DTEND:{day}T120000Z",
        "SUMMARY:Q1 budget review", "ORGANIZER;CN=Alex Morgan:mailto:alex@example.com",
        "ATTENDEE;CN=Dana W.:mailto:DANA@EXAMPLE.COM", "ATTENDEE:mailto:cfo@example.com",
        "ATTENDEE:mailto:kim.nguyen@partner.example", "ATTENDEE;CUTYPE=ROOM;CN=Room 4:mailto:room4@example.com",
        "END:VEVENT", "END:VCALENDAR", ""])


@pytest.fixture
def sources(tmp_path):
    export = tmp_path / "slack"
    (export / "finance").mkdir(parents=True)
    (export / "users.json").write_text(json.dumps(USERS))
    (export / "channels.json").write_text(json.dumps([{"id": "C1", "name": "finance", "members": ["U01ALEX", "U02DANA"]}]))
    (export / "finance" / "2026-11-24.json").write_text(json.dumps([
        {"type": "message", "user": "U02DANA", "text": "Budget numbers by Friday?", "ts": "1764000000.000100"}]))
    ics = tmp_path / "work.ics"
    ics.write_text(calendar(date.today()))
    roster = tmp_path / "archive" / "employees" / "2026-11-20"
    roster.mkdir(parents=True)
    (roster / "data.jsonl").write_text(json.dumps({"id": "E4", "real_name": "Priya Raman", "email": "CFO@example.com",
                                                   "title": "CFO"}) + "\n")
    return isolated_settings(slack_export=[str(export)], calendar_ics=[str(ics)], archive_dir=str(tmp_path / "archive"),
                             me=["U01ALEX", "alex@example.com"])


def people(client, **params) -> list[dict]:
    response = client.get("/api/people", params=params)
    assert response.status_code == 200, response.text
    return response.json()["people"]


def test_one_entry_per_human_across_slack_the_calendar_and_the_roster(serve, sources):
    with serve(sources) as (client, _):
        assert people(client) == [{"id": "slack:U01ALEX", "name": "Alex", "emails": ["alex@example.com"],
                                   "slack_ids": ["U01ALEX"], "open_items": 0}]  # before any collection: the person
        assert collect(client)["status"] == "IDLE"
        everyone = {p["id"]: p for p in people(client)}
        assert [(p["name"], p["emails"], p["slack_ids"]) for p in everyone.values()] == [
            ("Alex Morgan", ["alex@example.com"], ["U01ALEX"]),
            ("Dana Whitfield", ["dana@example.com"], ["U02DANA"]),
            ("Kim Nguyen", ["kim.nguyen@partner.example"], []),
            ("Priya Raman", ["cfo@example.com"], ["U04PRIYA"]),
            ("Sam Ortiz", ["sam@example.com"], ["U05SAM"]),
            ("Sam Ortiz", ["sam.ortiz@contractor.example"], ["U15SAM"]),
        ]
        assert everyone["email:kim.nguyen@partner.example"]["open_items"] == 0

        again = collect(client, "full")  # collecting again duplicates nobody
        assert again["status"] == "IDLE" and len(people(client)) == 6


def test_q_matches_the_start_of_any_word_of_name_email_slack_id_or_display_name(serve, sources):
    with serve(sources) as (client, _):
        collect(client)
        assert [p["name"] for p in people(client, q="RAM")] == ["Priya Raman"]
        assert [p["name"] for p in people(client, q="cfo@")] == ["Priya Raman"]
        assert [p["name"] for p in people(client, q="u02")] == ["Dana Whitfield"]
        assert [p["name"] for p in people(client, q="@priya")] == ["Priya Raman"]
        assert [p["slack_ids"] for p in people(client, q="sam ortiz")] == [["U05SAM"], ["U15SAM"]]
        assert people(client, q="zz") == []


def test_open_items_are_the_board_items_not_done_with_that_person(serve, sources):
    with serve(sources) as (client, _):
        collect(client)
        response = client.put("/api/commitments", json={
            "owe": [{"text": "Send Dana the Q1 deck", "counterparty": "Dana Whitfield"},
                    {"text": "Intro to Priya", "counterparty": "cfo@example.com", "status": "done"}],
            "owed": [{"text": "Budget numbers", "counterparty": "@dana"},
                     {"text": "Contract review", "counterparty": "Sam Ortiz"}]})
        assert response.status_code == 200
        counts = {p["id"]: p["open_items"] for p in people(client)}
        assert counts == {"slack:U01ALEX": 0, "slack:U02DANA": 2, "email:kim.nguyen@partner.example": 0,
                          "slack:U04PRIYA": 0, "slack:U05SAM": 0, "slack:U15SAM": 0}  # "Sam Ortiz" is two people


def test_people_survive_a_restart(serve, sources):
    with serve(sources) as (client, _):
        collect(client)
    with serve(sources) as (client, _):
        assert len(people(client)) == 6


@pytest.mark.parametrize("query,message", [
    ("q=" + "x" * 201, "q must be at most 200 characters"),
    ("q=dana%00", "q must be plain text"),
    ("name=dana", "unknown field 'name'"),
])
def test_bad_parameters_are_refused_in_the_envelope(client, query, message):
    response = client.get(f"/api/people?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith(message), error
