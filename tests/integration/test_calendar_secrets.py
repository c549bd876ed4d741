"""Credentials never show: a real server with a CalDAV account whose password is wrong and a secret
calendar address that is refused. After the failures, the password and the address's secret are in
none of the server's log, its answers (state, status, dashboard) or the files of its data folder."""

import base64
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.live_server import live_server
from tests.radicale_server import USER, event, radicale_server

LINK_SECRET = "f00dfacecafe0123456789abcdef4711"
WRONG_PASSWORD = "wrong-but-secret-Pa55"


class _Refusing(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(401)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def refusing_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_no_credential_shows_after_caldav_and_link_failures(tmp_path, refusing_server):
    with radicale_server(tmp_path / "radicale") as radicale:
        radicale.client().principal().make_calendar(name="Work").save_event(
            event("a@x", "Budget review", "20261125T150000Z"))
        link = f"{refusing_server}/calendar/ical/alex%40example.com/private-{LINK_SECRET}/basic.ics"
        env = {"AICOS_CALDAV_URL": radicale.url, "AICOS_CALDAV_USERNAME": USER,
               "AICOS_CALDAV_PASSWORD": WRONG_PASSWORD, "AICOS_CALENDAR_ICS": link,
               "AICOS_STATE_BACKEND": "sqlite"}  # the state in a file of the data folder, greppable
        with live_server(env, args=("--log-level", "debug")) as server:
            httpx.post(server.url + "/api/trigger_collection", json={"type": "quick"}).raise_for_status()
            deadline = time.monotonic() + 30
            while (status := httpx.get(server.url + "/api/system/status").json())["status"] != "ERROR":
                assert time.monotonic() < deadline, status
                time.sleep(0.1)
            assert "refused the username or password" in status["message"]
            assert "private-***/basic.ics: the server answered 401" in status["message"]
            answers = [httpx.get(server.url + path).text for path in ("/api/state", "/api/system/status", "/")]
            data_dir = next(Path(p) for p in _data_dirs(server))
        log = server.log()
    files = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    assert b"refused the username or password" in files  # the state file, with the failure in it
    basic = base64.b64encode(f"{USER}:{WRONG_PASSWORD}".encode()).decode()
    for secret in (WRONG_PASSWORD, LINK_SECRET, basic):
        assert secret not in log, secret
        assert all(secret not in answer for answer in answers), secret
        assert secret.encode() not in files, secret
    assert "collector calendar failed" in log  # the failure itself was logged, without them


def _data_dirs(server):
    """The server's data folder (live_server gives each server one, in its environment)."""
    environ = Path(f"/proc/{server.process.pid}/environ").read_bytes().split(b"\0")
    return [entry.split(b"=", 1)[1].decode() for entry in environ if entry.startswith(b"AICOS_DATA_DIR=")]
