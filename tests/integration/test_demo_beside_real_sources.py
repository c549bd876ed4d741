"""Demo items go on the board only when no source is configured (`make run` is `aicos serve --demo`)."""

import time

import httpx2 as httpx

from tests.collectors.test_slack_export import write_export
from tests.live_server import live_server

DEMO_PRIORITY = "Approve Q1 hiring plan"


def titles(server) -> list[str]:
    state = httpx.get(server.url + "/api/state").json()
    return [p["title"] for p in state["priorities"]] + [c["text"] for c in state["commitments"]["owe"]]


def test_serve_demo_with_a_real_source_says_it_ignores_the_demo_and_shows_none_of_it(tmp_path):
    env = {"AICOS_DATA_DIR": str(tmp_path / "data"), "AICOS_SLACK_EXPORT": str(write_export(tmp_path / "export"))}
    with live_server(env, args=("--demo",)) as server:
        assert DEMO_PRIORITY not in titles(server)
        assert "lee@example.com" not in httpx.get(server.url + "/api/state").text
        assert "--demo is ignored" in server.log() and "AICOS_SLACK_EXPORT" in server.log()


def test_demo_items_from_an_earlier_demo_run_leave_the_board_once_real_sources_are_configured(tmp_path):
    data = {"AICOS_DATA_DIR": str(tmp_path / "data")}
    with live_server(data, args=("--demo",)) as demo:
        deadline = time.monotonic() + 60
        while not any(p.get("origin") for p in httpx.get(demo.url + "/api/state").json()["priorities"]):
            assert time.monotonic() < deadline, "no priority was read from the demo's conversations"
            time.sleep(0.2)
        put = httpx.put(demo.url + "/api/priorities", json=[{"title": "Mine", "key": "mine"},
                                                            {"title": DEMO_PRIORITY, "key": "demo-p-hiring"}])
        assert put.status_code == 200
        assert len(titles(demo)) > 2  # the derived ones stay beside what the PUT sent
    with live_server({**data, "AICOS_SLACK_EXPORT": str(write_export(tmp_path / "export"))}) as real:
        assert titles(real) == ["Mine"]
