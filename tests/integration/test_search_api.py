"""Search through the running app: archives collected, then found by REST, commands and briefs."""

import json
import time

from tests.integration.conftest import isolated_settings


def write_archive(root):
    records = {
        "slack": [{"ts": "1764064800.000100", "text": "Q1 budget review moved to Thursday", "user_name": "dana",
                   "channel_name": "finance"},
                  {"ts": "1764068400.000100", "text": "cfo@example.com approved the hiring plan", "user_name": "lee",
                   "channel_name": "general"}],
        "drive": [{"id": "f1", "name": "Q1 budget review.xlsx", "modifiedTime": "2025-11-20T08:00:00Z"}],
    }
    for source, items in records.items():
        folder = root / source / "2025-11-25"
        folder.mkdir(parents=True)
        (folder / "data.jsonl").write_text("".join(json.dumps(item) + "\n" for item in items))


def collect(client):
    assert client.post("/api/trigger_collection?type=quick").status_code == 200
    for _ in range(100):
        if client.get("/api/system/status").json()["status"] in ("IDLE", "ERROR"):
            break
        time.sleep(0.05)
    return client.get("/api/system/status").json()


def test_archives_collected_are_found_by_search(serve, tmp_path):
    write_archive(tmp_path / "archive")
    with serve(isolated_settings(archive_dir=tmp_path / "archive")) as (client, _):
        status = collect(client)
        assert status["status"] == "IDLE" and status["last_sync"]
        body = client.get("/api/search", params={"q": "budget review"}).json()
        assert [r["source"] for r in body["results"]] and body["took_ms"] >= 0
        assert "<mark>budget</mark>" in body["results"][0]["snippet"]
        only_drive = client.get("/api/search", params={"q": "budget", "source": "drive"}).json()["results"]
        assert [r["source"] for r in only_drive] == ["drive"]
        stats = client.get("/api/search/stats").json()
        assert stats["total"] == 3 and stats["by_source"] == {"slack": 2, "drive": 1} and stats["archives"] == 2


def test_search_command_and_meeting_brief_read_the_index(serve, tmp_path):
    write_archive(tmp_path / "archive")
    with serve(isolated_settings(archive_dir=tmp_path / "archive")) as (client, _):
        collect(client)
        answer = client.post("/api/command", json={"command": "search hiring plan"}).json()
        assert "1 results for 'hiring plan'" in answer["message"] and "[slack 2025-11-25" in answer["message"]
        client.put("/api/calendar", json=[{"title": "Q1 budget review", "date": "2026-11-26", "time": "11:00",
                                           "attendees": ["cfo@example.com"]}])
        brief = client.post("/api/command", json={"command": "brief C1"}).json()
        assert brief["applied"]
        active = client.get("/api/state").json()["active_brief"]
        # A meeting brief cites conversations of the last 30 days (contract section 6, issue #15): the
        # archive's messages are a year old, so none is cited; the meeting's own line still is there.
        assert active["kind"] == "meeting" and active["sources"] == []
        assert "Q1 budget review" in active["text_content"]


def test_a_missing_archive_folder_ends_the_collection_in_error_naming_it(serve, tmp_path):
    with serve(isolated_settings(archive_dir=tmp_path / "nowhere")) as (client, _):
        status = collect(client)
    assert status["status"] == "ERROR" and "archives: archive folder not found" in status["message"]


def test_brief_text_is_plain_and_its_html_escapes_the_data_once(serve, tmp_path):
    root = tmp_path / "archive"
    folder = root / "slack" / "2025-11-25"
    folder.mkdir(parents=True)
    (folder / "data.jsonl").write_text(json.dumps({"ts": "1764064800", "text": "launch <b>plan</b> & more"}) + "\n")
    with serve(isolated_settings(archive_dir=root)) as (client, _):
        collect(client)
        client.post("/api/command", json={"command": "brief launch"})
        brief = client.get("/api/state").json()["active_brief"]
    assert "launch <b>plan</b> & more" in brief["text_content"]
    assert "launch &lt;b&gt;plan&lt;/b&gt; &amp; more" in brief["html_content"] and "<mark>" not in brief["html_content"]


def test_odd_queries_answer_cleanly(serve, tmp_path):
    write_archive(tmp_path / "archive")
    with serve(isolated_settings(archive_dir=tmp_path / "archive")) as (client, _):
        collect(client)
        for query in ["!@#$%^&*()", '"unbalanced', "budget\x00review", "-", "NOT OR AND"]:
            response = client.get("/api/search", params={"q": query})
            assert response.status_code == 200, query
        long = client.get("/api/search", params={"q": "x" * 10_000})
        assert long.status_code == 400 and long.json()["error"]["code"] == "validation_error"


def test_a_slack_export_collected_through_the_app_is_searchable(serve, tmp_path):
    from tests.collectors.test_slack_export import write_export

    export = write_export(tmp_path / "export")
    with serve(isolated_settings(slack_export=[str(export)])) as (client, _):
        status = collect(client)
        assert status["status"] == "IDLE", status
        results = client.get("/api/search", params={"q": "budget review", "source": "slack"}).json()["results"]
        assert results[0]["metadata"]["user_name"] == "Dana Whitfield"


def test_an_ics_calendar_collected_through_the_app_fills_the_board(serve, tmp_path):
    from datetime import date, timedelta

    day = (date.today() + timedelta(days=1)).strftime("%Y%m%d")
    (tmp_path / "cal.ics").write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:e1\nSUMMARY:Board prep\n"
        f"DTSTART;VALUE=DATE:{day}\nEND:VEVENT\nEND:VCALENDAR\n")
    with serve(isolated_settings(calendar_ics=[str(tmp_path / "cal.ics")])) as (client, _):
        assert collect(client)["status"] == "IDLE"
        calendar = client.get("/api/state").json()["calendar"]
    assert [(c["id"], c["title"], c["time"]) for c in calendar] == [("C1", "Board prep", None)]


def crafted_search_database(path):
    """The report's content: 100 messages of "run " 5,000 times, beside ordinary ones."""
    from src.search.database import SearchDatabase

    database = SearchDatabase(path)
    database.index_records_batch([{"ts": str(1764000000 + n), "text": "run " * 5000} for n in range(100)], "slack")
    database.index_records_batch([{"ts": str(1765000000 + n), "text": f"budget review {n}"} for n in range(500)],
                                 "slack")
    database.close()


def timed_search(server, query, timeout=30.0):
    import urllib.parse
    import urllib.request

    started = time.monotonic()
    with urllib.request.urlopen(f"{server.url}/api/search?{urllib.parse.urlencode({'q': query})}",
                                timeout=timeout) as response:
        body = json.loads(response.read())
    return time.monotonic() - started, body


def test_a_crafted_query_answers_within_a_second_on_a_real_server_and_holds_up_no_other_search(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from tests.live_server import live_server
    from tests.search.test_database import crafted_phrase

    crafted_search_database(tmp_path / "search.db")
    with live_server({"AICOS_SEARCH_DB": str(tmp_path / "search.db")}) as server:
        took, body = timed_search(server, crafted_phrase())
        assert took < 1.0 and body["results"][0]["snippet"].startswith("<mark>run</mark>")
        with ThreadPoolExecutor(7) as pool:
            crafted = [pool.submit(timed_search, server, crafted_phrase()) for _ in range(6)]
            took, body = pool.submit(timed_search, server, "budget review").result()
            assert took < 1.0 and len(body["results"]) == 20
            assert all(future.result()[0] < 10.0 for future in crafted)  # each was 37.8 s of CPU before
