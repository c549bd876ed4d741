"""Commands on the wire: the list the dashboard completes from, and dismiss/snooze through REST."""

import pytest

from tests.integration.conftest import isolated_settings
from tests.integration.test_rest_api import assert_error

ITEMS = [{"title": "Hiring plan", "key": "hiring", "due_date": "2026-11-25"}, {"title": "Board deck", "key": "deck"}]


def test_get_api_commands_lists_every_verb_with_what_may_follow_it(client):
    response = client.get("/api/commands")
    assert response.status_code == 200
    commands = {c["verb"]: c for c in response.json()["commands"]}
    assert set(commands) >= {"approve", "partial", "done", "complete", "brief", "search", "refresh", "quick",
                             "full", "collect", "status", "help", "dismiss", "snooze"}
    assert commands["approve"]["codes"] == "P" and commands["brief"]["words"] == ["daily"]
    assert commands["snooze"]["usage"] == "snooze Pn|Mn <when>" and commands["snooze"]["help"]


def test_get_api_commands_needs_the_token_like_every_data_route(serve):
    with serve(isolated_settings(api_token="s3cret")) as (client, _):
        assert_error(client.get("/api/commands"), 401, "unauthorized")
        assert client.get("/api/commands", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_a_dismissed_item_does_not_come_back_with_the_next_put(client):
    client.put("/api/priorities", json=ITEMS)
    answer = client.post("/api/command", json={"command": "dismiss p1"}).json()
    assert answer["action"] == "dismiss" and answer["target"] == "P1" and answer["applied"] is True
    stored = client.put("/api/priorities", json=ITEMS).json()
    assert [(p["id"], p["key"]) for p in stored] == [("P2", "deck")]


@pytest.mark.parametrize("command", ["snooze P1", "snooze P1 someday", "snooze P1 2020-01-01"])
def test_a_snooze_without_a_day_to_come_is_a_400_and_changes_nothing(client, command):
    client.put("/api/priorities", json=ITEMS)
    before = client.get("/api/state").json()
    error = assert_error(client.post("/api/command", json={"command": command}), 400, "validation_error")
    assert "snooze" in error["message"]
    assert client.get("/api/state").json() == before


def test_snooze_answers_with_the_day_it_comes_back(client):
    client.put("/api/priorities", json=ITEMS)
    answer = client.post("/api/command", json={"command": "snooze P2 2099-12-07"}).json()
    assert answer["applied"] is True and answer["until"] == "2099-12-07" and "snoozed until" in answer["message"]


def test_a_bad_put_is_still_refused_whole_when_it_repeats_a_dismissed_item(client):
    client.put("/api/priorities", json=ITEMS)
    client.post("/api/command", json={"command": "dismiss P1"})
    before = client.get("/api/state").json()
    bad = [{**ITEMS[0], "status": "someday"}, ITEMS[1]]
    error = assert_error(client.put("/api/priorities", json=bad), 400, "validation_error")
    assert error["message"].startswith("item 0")
    assert client.get("/api/state").json() == before
