"""Collections through the app with real collectors: the demo dataset, sources that turn out empty,
and a collector written elsewhere that reaches the index and the board through the collector hooks."""

from __future__ import annotations

import logging
import shutil
import time
from datetime import date

from src.demo import write_demo_dataset
from src.demo.dataset import PEOPLE, TOPICS
from tests.integration.conftest import isolated_settings


def wait_until_done(client, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        system = client.get("/api/system/status").json()
        if system["status"] in ("IDLE", "ERROR"):
            return system
        time.sleep(0.05)
    raise AssertionError(f"the collection did not end: {system}")


def collect(client, mode: str = "quick") -> dict:
    assert client.post(f"/api/trigger_collection?type={mode}").status_code == 200
    return wait_until_done(client)


def test_demo_mode_collects_the_demo_dataset_at_start(serve, tmp_path):
    dataset = write_demo_dataset(tmp_path / "demo")
    settings = isolated_settings(demo=True, slack_export=[str(dataset.slack_export)],
                                 calendar_ics=[str(dataset.calendar)])
    with serve(settings) as (client, _):
        system = wait_until_done(client)
        assert system["status"] == "IDLE" and system["last_sync"], system
        state = client.get("/api/state").json()
        today = [item for item in state["calendar"] if item["date"] == date.today().isoformat()]
        assert ("11:00", "Q1 budget review") in [(item["time"], item["title"]) for item in today]
        # Priorities and commitments are read from the demo person's conversations, not seeded.
        assert state["priorities"] and all(p["origin"]["source"] == "slack" for p in state["priorities"])
        assert any("hiring plan" in p["title"] for p in state["priorities"])
        assert state["priorities"][0]["status"] == "pending"
        assert state["commitments"]["owe"] and state["commitments"]["owed"]
        stats = client.get("/api/search/stats").json()
        assert stats["by_source"]["slack"] > 2_500 and stats["by_source"]["calendar"] > 10
        hit = client.get("/api/search", params={"q": "northwind redlines", "source": "slack"}).json()["results"][0]
        assert hit["metadata"]["user_name"] in {person[2] for person in PEOPLE}  # names, not ids
        assert hit["metadata"]["channel_name"] in TOPICS
        brief = client.post("/api/command", json={"command": "brief Q1 budget"}).json()
        assert brief["applied"] and client.get("/api/state").json()["active_brief"]["sources"]


def test_sources_that_turn_out_empty_say_so_and_lose_nothing(serve, tmp_path, caplog):
    dataset = write_demo_dataset(tmp_path / "demo")
    calendar_folder = tmp_path / "calendars"
    calendar_folder.mkdir()
    shutil.copy(dataset.calendar, calendar_folder / "work.ics")
    settings = isolated_settings(slack_export=[str(dataset.slack_export)], calendar_ics=[str(calendar_folder)])
    with serve(settings) as (client, _):
        assert collect(client)["status"] == "IDLE"
        calendar_before = client.get("/api/state").json()["calendar"]
        found_before = client.get("/api/search", params={"q": "northwind redlines"}).json()["results"]
        assert calendar_before and found_before

        shutil.rmtree(dataset.slack_export)
        dataset.slack_export.mkdir()
        (calendar_folder / "work.ics").unlink()
        with caplog.at_level(logging.ERROR):
            system = collect(client, "full")

        assert system["status"] == "ERROR"
        assert "slack:" in system["message"] and "holds no Slack export" in system["message"]
        assert "calendar:" in system["message"] and "no .ics files" in system["message"]
        assert "collector slack failed" in caplog.text and "collector calendar failed" in caplog.text
        assert client.get("/api/state").json()["calendar"] == calendar_before
        assert client.get("/api/search", params={"q": "northwind redlines"}).json()["results"] == found_before


def test_a_collector_written_elsewhere_reports_progress_indexes_and_fills_the_board(serve):
    settings = isolated_settings(collectors=["tests.collectors.outside_collector:CrmCollector"])
    with serve(settings) as (client, container):
        with client.websocket_connect("/ws") as live:
            live.receive_json()
            assert client.post("/api/trigger_collection?type=full").status_code == 200
            seen = []
            while not seen or seen[-1]["status"] not in ("IDLE", "ERROR"):
                seen.append(live.receive_json()["system"])
        progress = [s["message"] for s in seen if s["status"] == "COLLECTING"]
        assert {"crm: reading deals page 2", "crm: reading deals page 4"} <= set(progress)
        assert seen[-1]["status"] == "IDLE"

        hits = client.get("/api/search", params={"q": "globex renewal", "source": "crm"}).json()["results"]
        assert [hit["metadata"]["id"] for hit in hits] == ["deal-1"]
        (crm,) = container.collectors()
        assert (crm.outcomes[0].indexed, crm.outcomes[0].failed) == (2, 1)
        priorities = client.get("/api/state").json()["priorities"]
        assert [(p["id"], p["title"], p["status"]) for p in priorities] == [
            ("P1", "Call Globex about the renewal discount", "pending"),
            ("P2", "Send Initech the pilot extension", "partial"),
        ]


def test_a_collector_sending_the_board_a_bad_item_fails_with_its_name_and_the_reason(serve):
    settings = isolated_settings(collectors=["tests.collectors.outside_collector:BrokenCrmCollector"])
    with serve(settings) as (client, _):
        system = collect(client)
        assert system["status"] == "ERROR"
        assert system["message"].startswith("collection failed for crm: item 0 is not a priority")
        assert client.get("/api/state").json()["priorities"] == []
