"""Priorities ranked with their reasons, answered asks, and search hits that say who and where, through
the whole app on the labelled eval workspace (eval/board_workspace), with the clock on the Friday
evening of its week (2026-11-27 18:00 in New York)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from eval.board import CALENDAR, EXPORT, LABELS, run_collection
from tests.fakes import FixedClock
from tests.integration.conftest import isolated_settings

LABELLED = json.loads(LABELS.read_text())
FRIDAY_EVENING = datetime(2026, 11, 27, 18, 0, tzinfo=ZoneInfo("America/New_York"))


def ref_of(message: str) -> str:
    return next(item["ref"] for item in LABELLED["items"] if item["message"] == message)


@pytest.fixture
def collected(serve, tmp_path):
    settings = isolated_settings(data_dir=tmp_path / "data", slack_export=[str(EXPORT)], calendar_ics=[str(CALENDAR)],
                                 me=[LABELLED["me"]], timezone=LABELLED["timezone"])
    with serve(settings, clock=FixedClock(FRIDAY_EVENING)) as (client, _):
        state = run_collection(client, "full")
        assert state["system"]["status"] == "IDLE", state["system"]
        yield client, state


def priority(state: dict, message: str) -> dict:
    return next(p for p in state["priorities"] if p.get("origin", {}).get("ref") == ref_of(message))


def test_each_ask_says_who_asked_where_when_and_the_due_day(collected):
    _, state = collected
    assert priority(state, "fin1")["reason"] == "asked by Dana Lee in #finance 4 days ago, was due Wed"
    assert priority(state, "dd8")["reason"] == "asked by Dana Lee in a DM yesterday, due today"
    assert priority(state, "dn3")["reason"] == "asked by Nina Brooks in a DM 3 days ago, due Dec 9"


def test_the_most_urgent_open_asks_come_first_and_answered_ones_last(collected):
    _, state = collected
    derived = [p for p in state["priorities"] if p.get("origin")]
    statuses = [p["status"] for p in derived]
    assert statuses == sorted(statuses, key=lambda status: status == "done"), statuses
    open_ones = [p for p in derived if p["status"] != "done"]
    # Late, then due today (the travel policy, asked in a DM), then due later, then no due date.
    def rank(item: dict) -> int:
        return (0 if "was due" in item["reason"] else 1 if "due today" in item["reason"] else
                2 if item["due_date"] else 3)

    ranks = [rank(p) for p in open_ones]
    assert ranks == sorted(ranks) and ranks[0] == 0 and 1 in ranks and 3 in ranks, [
        (p["title"], p["reason"]) for p in open_ones]
    assert open_ones[ranks.index(1)]["origin"]["ref"] == ref_of("dd8")
    codes = [int(p["id"][1:]) for p in state["priorities"]]
    assert len(set(codes)) == len(codes)  # display order moved, each code is still its own


def test_an_ask_answered_in_its_thread_waits_no_more_and_one_held_open_still_waits(collected):
    _, state = collected
    for ask, answer in (("ops12", "ops13"), ("prd1", "prd3"), ("prd6", "prd8"), ("do6", "do7")):
        item = priority(state, ask)
        answered_by = next(label["closed_by"] for label in LABELLED["items"] if label["message"] == ask)
        assert (item["status"], item["closed_by"]) == ("done", answered_by), (ask, answer, item)
    for waiting in ("hir11", "eng12", "dd8"):  # "good q, let me think"; "what does lee think?"; no reply
        assert (priority(state, waiting)["status"], priority(state, waiting)["closed_by"]) == ("pending", None)


def test_search_hits_say_who_said_it_and_where_in_the_api_and_the_search_command(collected):
    client, _ = collected
    [insurance] = client.get("/api/search", params={"q": "renew insurance policy"}).json()["results"]
    assert insurance["metadata"]["byline"] == "Omar Haddad in #ops"
    assert (insurance["metadata"]["author"], insurance["metadata"]["where"]) == ("Omar Haddad", "#ops")
    travel = client.get("/api/search", params={"q": "travel policy draft"}).json()["results"][0]
    assert travel["metadata"]["byline"] == "Dana Lee, DM with Dana Lee"
    assert travel["metadata"]["conversation_kind"] == "dm"
    # A mention reads as the person's name in the snippet, never as <@U01ALEX>.
    [vendor] = client.get("/api/search", params={"q": "vendor budget approve"}).json()["results"]
    assert vendor["snippet"].startswith("@Alex Rivera can u <mark>approve</mark>") and "&lt;@" not in vendor["snippet"]
    answer = client.post("/api/command", json={"command": "search travel policy draft"}).json()
    assert "Dana Lee, DM with Dana Lee: " in answer["message"]

