"""One process owns a data folder's SQLite state; the others find it (real `aicos serve` processes)."""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx2 as httpx

from tests.collectors.test_slack_export import write_export
from tests.live_server import ROOT, free_port, live_server


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "src.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin", **env})


def post_status(server, progress: int) -> httpx.Response:
    return httpx.post(server.url + "/api/system/status", json={"status": "IDLE", "progress": progress})


def test_a_second_server_on_the_same_data_folder_refuses_to_start_naming_the_first(tmp_path):
    data = {"AICOS_DATA_DIR": str(tmp_path / "data")}
    with live_server(data) as first:
        second = run_cli(data, "serve", "--port", str(free_port()))
        assert second.returncode == 2 and "Traceback" not in second.stderr
        assert f"aicos serve (pid {first.process.pid}, port {first.port})" in second.stderr
        assert post_status(first, 30).status_code == 200
        assert httpx.get(first.url + "/api/state").json()["system"]["progress"] == 30


def test_aicos_collect_beside_a_server_on_another_port_goes_through_it_and_the_server_keeps_working(tmp_path):
    data = {"AICOS_DATA_DIR": str(tmp_path / "data"), "AICOS_SLACK_EXPORT": str(write_export(tmp_path / "export"))}
    with live_server(data) as server:
        # AICOS_PORT says 8000's neighbour; the server listens elsewhere and says so in the data folder.
        result = run_cli({**data, "AICOS_PORT": str(free_port())}, "collect", "--full")
        assert result.returncode == 0, result.stderr
        assert f"collecting through the server at http://127.0.0.1:{server.port}" in result.stdout
        assert httpx.get(server.url + "/api/system/status").json()["last_sync"] is not None
        assert post_status(server, 40).status_code == 200


def test_aicos_collect_sends_the_token_only_to_the_recorded_server_and_never_prints_a_traceback(tmp_path):
    seen_authorization: list[str | None] = []

    class Foreign(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen_authorization.append(self.headers.get("Authorization"))
            body = json.dumps({"hello": "not AICoS"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args) -> None:
            pass

    foreign = ThreadingHTTPServer(("127.0.0.1", 0), Foreign)
    threading.Thread(target=foreign.serve_forever, daemon=True).start()
    try:
        result = run_cli({"AICOS_DATA_DIR": str(tmp_path / "data"), "AICOS_API_TOKEN": "secret-token-1234",
                          "AICOS_PORT": str(foreign.server_address[1]),
                          "AICOS_SLACK_EXPORT": str(write_export(tmp_path / "export"))}, "collect")
    finally:
        foreign.shutdown()
        foreign.server_close()
    assert "Traceback" not in result.stderr
    assert all(header is None for header in seen_authorization)
    assert result.returncode == 0 and "IDLE" in result.stdout  # collected in-process, not through the stranger


def test_aicos_slack_will_not_share_the_state_file_with_a_running_server(tmp_path):
    data = {"AICOS_DATA_DIR": str(tmp_path / "data")}
    with live_server(data) as server:
        result = run_cli({**data, "AICOS_PORT": str(free_port()), "AICOS_SLACK_APP_TOKEN": "xapp-1",
                          "AICOS_SLACK_BOT_TOKEN": "xoxb-1"}, "slack")
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert f"aicos serve (pid {server.process.pid}, port {server.port})" in result.stderr
        assert "AICOS_STATE_BACKEND=redis" in result.stderr


def test_aicos_token_gives_the_running_servers_address_and_says_it_takes_effect_at_restart(tmp_path):
    data = {"AICOS_DATA_DIR": str(tmp_path / "data")}
    with live_server(data) as server:
        result = run_cli(data, "token")
        assert result.returncode == 0, result.stderr
        assert f"http://localhost:{server.port}/?token=" in result.stdout
        assert "once restarted" in result.stdout
        assert httpx.get(server.url + "/api/state").status_code == 200  # as it says: not before


def test_the_server_file_goes_when_the_server_stops(tmp_path):
    data_dir = tmp_path / "data"
    with live_server({"AICOS_DATA_DIR": str(data_dir)}) as server:
        recorded = json.loads((data_dir / "server.json").read_text())
        assert (recorded["pid"], recorded["port"]) == (server.process.pid, server.port)
    assert not (data_dir / "server.json").exists()
    result = run_cli({"AICOS_DATA_DIR": str(data_dir), "AICOS_PORT": str(free_port())}, "token")
    assert "`aicos serve` requires it from its next start" in result.stdout


def test_data_files_are_private_even_under_umask_022(tmp_path):
    data_dir = tmp_path / "data"
    previous = os.umask(0o022)
    try:
        with live_server({"AICOS_DATA_DIR": str(data_dir)}) as server:
            assert post_status(server, 10).status_code == 200
            modes = {path.name: path.stat().st_mode & 0o777 for path in data_dir.iterdir()}
            folder = data_dir.stat().st_mode & 0o777
    finally:
        os.umask(previous)
    assert folder == 0o700
    assert {"state.db", "search.db"} <= set(modes)
    assert all(mode == 0o600 for mode in modes.values()), modes


def test_an_open_data_folder_from_before_is_made_private_at_start(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o755)
    (data_dir / "state.db").touch(mode=0o644)
    os.chmod(data_dir, 0o755)
    os.chmod(data_dir / "state.db", 0o644)
    with live_server({"AICOS_DATA_DIR": str(data_dir)}) as server:
        assert "0755" in server.log() or "0644" in server.log()
        assert data_dir.stat().st_mode & 0o777 == 0o700
        assert (data_dir / "state.db").stat().st_mode & 0o777 == 0o600
