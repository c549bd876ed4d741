"""A real server stopped in the middle of collecting a Slack export: it stops at once without a
crash, the index stays sound, the next start says the collection was interrupted, and a `quick`
collection then picks up what was not indexed."""

import json
import signal
import sqlite3
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from bench.corpus import write_slack_export
from tests.live_server import live_server

MESSAGES = 40_000


@pytest.fixture(scope="module")
def export():
    return write_slack_export(Path(tempfile.mkdtemp(prefix="aicos-export-")), MESSAGES, seed=3)


def get(server, path):
    with urllib.request.urlopen(server.url + path, timeout=10) as response:
        return json.loads(response.read())


def post(server, path):
    urllib.request.urlopen(urllib.request.Request(server.url + path, method="POST"), timeout=10).close()


def test_sigterm_mid_collection_stops_cleanly_and_the_next_start_says_interrupted(export):
    environment = {"AICOS_SLACK_EXPORT": str(export), "AICOS_DATA_DIR": tempfile.mkdtemp(prefix="aicos-live-")}
    with live_server(environment) as server:
        post(server, "/api/trigger_collection?type=full")
        deadline = time.monotonic() + 20
        while "messages indexed" not in (get(server, "/api/system/status")["message"] or ""):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        exit_code = server.process.wait(15)
        assert exit_code in (0, -signal.SIGTERM), server.log()  # not -11: no thread wrote into a closed file
        assert time.monotonic() - started < 5
        assert "Traceback" not in server.log()

    index = sqlite3.connect(Path(environment["AICOS_DATA_DIR"]) / "search.db")
    assert index.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    indexed_before = index.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
    index.close()
    assert indexed_before < MESSAGES

    with live_server(environment) as server:
        system = get(server, "/api/system/status")
        assert (system["status"], system["message"]) == ("ERROR", "full collection interrupted")
        post(server, "/api/trigger_collection?type=quick")
        deadline = time.monotonic() + 60
        while get(server, "/api/system/status")["status"] != "IDLE":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert get(server, "/api/search/stats")["by_source"] == {"slack": MESSAGES}
