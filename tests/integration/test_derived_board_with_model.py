"""A collection with a language model configured (the stand-in server): the board gets the ask the
built-in reader missed, and a failing model leaves the built-in board, the collection finishing."""

from __future__ import annotations

import logging
import shutil

import pytest

from eval.board import EXPORT, derived_items, run_collection
from src.testing.llm_stand_in import StandInModel, data_sent
from tests.integration.test_derived_board import find, label, settings_for

MISSED = label("fin13")  # "<@U01ALEX> need your sign off on the headcount variance before ... friday"


def model_reads(data):
    return {"readings": [
        {"id": m["id"], "kind": "ask_to_me", "counterparty": None, "due": "friday", "text": "need your sign off"}
        if "need your sign off" in m["text"] else {"id": m["id"], "kind": "none"} for m in data["messages"]]}


@pytest.fixture
def workspace(tmp_path):
    shutil.copytree(EXPORT, tmp_path / "export")
    return tmp_path / "export"


@pytest.fixture
def stand_in():
    with StandInModel() as server:
        server.json = model_reads
        yield server


def test_the_model_puts_the_missed_ask_on_the_board(serve, workspace, tmp_path, stand_in):
    settings = settings_for(workspace, tmp_path / "data", llm_url=stand_in.url, llm_model="stand-in", llm_timeout=2)
    with serve(settings) as (client, _):
        state = run_collection(client, "full")
    assert state["system"]["status"] == "IDLE", state["system"]["message"]
    item = find(state, MISSED["ref"])
    assert item is not None and item["due_date"] == MISSED["due_date"] and item["id"].startswith("P")
    sent = [m["id"] for request in stand_in.requests for m in data_sent(request["body"])["messages"]]
    assert MISSED["ref"] in sent and len(sent) < 154 / 2  # only what the reader was unsure of


def test_a_failing_model_leaves_the_built_in_board_and_the_collection_finishes(serve, workspace, tmp_path, stand_in,
                                                                                caplog):
    stand_in.mode = "500"
    settings = settings_for(workspace, tmp_path / "data", llm_url=stand_in.url, llm_model="stand-in", llm_timeout=2)
    with caplog.at_level(logging.WARNING), serve(settings) as (client, _):
        state = run_collection(client, "full")
    assert state["system"]["status"] == "IDLE", state["system"]["message"]
    assert find(state, MISSED["ref"]) is None and len(list(derived_items(state))) > 20
    assert "first reading stands" in caplog.text
