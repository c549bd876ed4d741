"""Briefs through the whole app (contract sections 4 and 6): the labelled workspace
(eval/board_workspace) collected by the real collectors, then `brief ...` through POST /api/command
with the clock set where a person would read each brief. The rules, not the figures
(`python -m eval.briefs` measures those)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from eval.board import CALENDAR, EXPORT, LABELS, message_stamps, run_collection
from eval.board_workspace import script
from tests.fakes import FixedClock
from tests.integration.conftest import isolated_settings

LABELLED = json.loads(LABELS.read_text())
ZONE = ZoneInfo(script.ZONE)
_, REFS = message_stamps(script)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The workspace collected once, the clock on Monday morning of its week; tests move the clock."""
    from dependency_injector import providers
    from fastapi.testclient import TestClient

    from src.bootstrap import create_app, create_container

    clock = FixedClock(datetime(2026, 11, 23, 7, 0, tzinfo=ZONE))
    settings = isolated_settings(data_dir=tmp_path_factory.mktemp("briefs"), slack_export=[str(EXPORT)],
                                 calendar_ics=[str(CALENDAR)], me=[LABELLED["me"]], timezone=LABELLED["timezone"])
    container = create_container(settings)
    container.clock.override(providers.Object(clock))
    with TestClient(create_app(container=container), base_url="http://localhost:8000") as client:
        state = run_collection(client, "full")
        assert state["system"]["status"] == "IDLE", state["system"]
        yield client, clock, state


def meeting(state, uid: str, day: str) -> dict:
    return next(m for m in state["calendar"] if m["key"].startswith(f"{uid}@") and m["date"] == script.DAYS[day])


def brief(client, command: str) -> tuple[dict, dict]:
    answer = client.post("/api/command", json={"command": command})
    assert answer.status_code == 200, answer.text
    return answer.json(), client.get("/api/state").json()["active_brief"]


def test_a_meeting_brief_cites_what_the_attendees_said_about_it_with_author_and_conversation(app):
    client, clock, state = app
    sync = meeting(state, "sync-q1", "Wed")
    clock.set(datetime.fromisoformat(sync["start"]) - timedelta(minutes=15))
    answer, active = brief(client, f"brief {sync['id']}")
    assert answer["applied"] and active["kind"] == "meeting" and active["target"] == sync["id"]
    cited = {source["ref"]: source for source in active["sources"]}
    assert REFS["fin1"] in cited and REFS["fin3b"] in cited
    assert (cited[REFS["fin1"]]["author"], cited[REFS["fin1"]]["conversation"]) == ("Dana Lee", "#finance")
    assert "Dana Lee <dana@acme.test>" in active["text_content"] and "Priya Shah <priya@acme.test>" in active["text_content"]
    assert "(summary written by built-in)" in active["text_content"]
    assert len(active["sources"]) <= 10


def test_no_brief_ever_cites_a_message_sent_after_it_was_made(app):
    client, clock, state = app
    for item in state["calendar"]:
        clock.set(datetime.fromisoformat(item["start"]) - timedelta(minutes=15))
        now = clock.now().astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        _, active = brief(client, f"brief {item['id']}")
        assert all(source["date"] <= now for source in active["sources"]), (item["title"], active["sources"])
    clock.set(datetime(2026, 11, 24, 12, 0, tzinfo=ZONE))
    for command in ("brief dana", "brief launch"):
        _, active = brief(client, command)
        assert all(source["date"] <= "2026-11-24T17:00:00Z" for source in active["sources"])


def test_a_one_on_one_cites_what_is_between_the_two_from_calendar_email_to_slack_name(app):
    client, clock, state = app
    one_on_one = meeting(state, "1on1-sam", "Wed")
    clock.set(datetime.fromisoformat(one_on_one["start"]) - timedelta(minutes=15))
    _, active = brief(client, f"brief {one_on_one['id']}")
    cited = [source["ref"] for source in active["sources"]]
    assert REFS["ds1"] in cited and REFS["hir1"] in cited
    assert "DM with Sam Patel" in [source["conversation"] for source in active["sources"]]


def test_a_recurring_meeting_names_its_last_occurrence(app):
    client, clock, state = app
    standup = meeting(state, "fin-standup", "Thu")
    clock.set(datetime.fromisoformat(standup["start"]) - timedelta(minutes=15))
    _, active = brief(client, f"brief {standup['id']}")
    assert "Last time\n- 2026-11-25 09:40" in active["text_content"]
    assert REFS["fin14"] in [source["ref"] for source in active["sources"]]


def test_a_person_brief_and_an_unknown_person(app):
    client, clock, _ = app
    clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=ZONE))
    answer, active = brief(client, "brief @dana")
    assert answer["applied"] and active["title"] == "Dana Lee" and "Person brief: Dana Lee" in active["text_content"]
    assert "Finance standup" in active["text_content"].split("Next meeting together")[1].split("Last conversations")[0]
    assert any(source["conversation"] == "DM with Dana Lee" for source in active["sources"])
    answer, still = brief(client, "brief @dnaa")
    assert answer["applied"] is False and "Dana Lee" in answer["suggestions"] and still == active


def test_the_daily_brief_names_every_meeting_of_the_day_and_every_ask_due_today_or_late(app):
    client, clock, state = app
    clock.set(datetime(2026, 11, 25, 7, 30, tzinfo=ZONE))
    answer, active = brief(client, "brief daily")
    assert answer["applied"] and active["kind"] == "daily"
    text = active["text_content"]
    for item in state["calendar"]:
        if item["date"] == "2026-11-25":
            assert f"{item['id']} {item['time']} {item['title']}" in text
    board = client.get("/api/state").json()
    for ask in board["priorities"]:
        if ask["status"] != "done" and ask["due_date"] and ask["due_date"] <= "2026-11-25":
            assert ask["id"] in text.split("Asks waiting on you")[1].split("You owe")[0]
