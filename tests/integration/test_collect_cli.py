"""`aicos collect`: in this process when no server answers, through the server when one does."""

import subprocess
import sys

import httpx2 as httpx

from tests.collectors.test_slack_export import write_export
from tests.live_server import ROOT, free_port, live_server


def run_collect(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "src.cli", "collect", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={"PATH": "/usr/bin:/bin", **env})


def test_without_a_server_it_collects_in_process_into_the_state_the_server_will_use(tmp_path):
    env = {"AICOS_DATA_DIR": str(tmp_path / "data"), "AICOS_SLACK_EXPORT": str(write_export(tmp_path / "export")),
           "AICOS_PORT": str(free_port())}
    result = run_collect(env, "--full")
    assert result.returncode == 0, result.stderr
    assert "IDLE: full collection finished" in result.stdout
    with live_server({**env}) as server:  # the server starts on what was collected
        state = httpx.get(server.url + "/api/state").json()
        assert state["system"]["last_sync"] is not None
        assert httpx.get(server.url + "/api/search", params={"q": "budget"}).json()["results"]


def test_with_a_server_up_it_collects_through_it(tmp_path):
    env = {"AICOS_SLACK_EXPORT": str(write_export(tmp_path / "export"))}
    with live_server(env) as server:
        result = run_collect({"AICOS_DATA_DIR": str(tmp_path / "elsewhere")}, "--port", str(server.port))
        assert result.returncode == 0, result.stderr
        assert "through the server" in result.stdout
        assert httpx.get(server.url + "/api/system/status").json()["last_sync"] is not None


def test_a_failing_source_ends_with_its_reason_and_exit_1(tmp_path):
    env = {"AICOS_DATA_DIR": str(tmp_path / "data"), "AICOS_SLACK_EXPORT": str(tmp_path / "missing"),
           "AICOS_PORT": str(free_port())}
    result = run_collect(env)
    assert result.returncode == 1 and "Slack export not found" in result.stdout
