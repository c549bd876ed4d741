"""The state survives restarts: the SQLite repository, and a real server killed mid-stream."""

import asyncio
import signal
from dataclasses import replace
from datetime import datetime, timezone

import httpx2 as httpx

from src.adapters.outbound.sqlite_state import INTERRUPTED, SqliteStateRepository
from src.adapters.outbound.state_codec import decode_state, encode_state
from src.domain.board import CalendarDraft, CommitmentDraft, PriorityDraft, replace_calendar, replace_commitments, replace_priorities
from src.domain.briefs import daily_brief
from src.domain.state import DashboardState
from src.domain.system import change_system
from tests.fakes import FixedClock
from tests.live_server import live_server

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


def rich_state() -> DashboardState:
    state = DashboardState.initial(NOW)
    state = replace_calendar(state, [CalendarDraft("Board prep", date="2026-11-25", time="09:10",
                                                   attendees=["ceo@example.com"], alert=True)], NOW)
    state = replace_priorities(state, [PriorityDraft("Gone", key="g")], NOW)
    state = replace_priorities(state, [PriorityDraft("Hiring plan", status="partial", due_date="2026-11-20")], NOW)
    state = replace_commitments(state, [CommitmentDraft("Notes", "lee@example.com", urgent=True)],
                                [CommitmentDraft("Budget")], NOW)
    state = change_system(state, status="IDLE", message="done", last_sync=NOW)
    return replace(state, active_brief=daily_brief(state, NOW)).next_version(NOW)


def test_the_stored_form_keeps_everything_including_codes_and_source_flags():
    state = rich_state()
    assert decode_state(encode_state(state)) == state


async def test_a_reopened_store_has_the_same_state_epoch_and_codes(tmp_path):
    clock = FixedClock()
    first = SqliteStateRepository(tmp_path / "state.db", clock)
    await first.apply(lambda state: replace_priorities(state, [PriorityDraft("A", key="a")], clock.now()))
    await first.apply(lambda state: replace_priorities(state, [], clock.now()))
    before = await first.load()
    first.close()
    again = SqliteStateRepository(tmp_path / "state.db", clock)
    assert await again.load() == before
    applied = await again.apply(lambda state: replace_priorities(state, [PriorityDraft("B", key="b")], clock.now()))
    assert applied.state.priorities[0].id == "P2"  # P1 stays A's, even after a restart
    assert applied.state.meta.epoch == before.meta.epoch
    again.close()


async def test_a_collection_left_running_by_a_dead_process_comes_back_as_interrupted(tmp_path):
    clock = FixedClock()
    first = SqliteStateRepository(tmp_path / "state.db", clock)
    await first.apply(lambda state: change_system(state, status="COLLECTING", progress=40))
    version = (await first.load()).meta.version
    first.close()
    again = SqliteStateRepository(tmp_path / "state.db", clock)
    state = await again.load()
    assert state.system.status.value == "ERROR" and state.system.message == INTERRUPTED
    assert state.meta.version == version + 1
    again.close()


async def test_every_approval_answered_200_survives_a_sigkill(tmp_path):
    env = {"AICOS_DATA_DIR": str(tmp_path)}  # no AICOS_STATE_BACKEND: `aicos serve` defaults to sqlite
    priorities = [{"title": f"Priority {n}", "key": f"p{n}"} for n in range(1, 301)]
    answered: list[str] = []
    with live_server(env) as server:
        httpx.put(server.url + "/api/priorities", json=priorities).raise_for_status()
        epoch = httpx.get(server.url + "/api/state").json()["meta"]["epoch"]

        async def approve_all() -> None:
            async with httpx.AsyncClient(base_url=server.url) as client:
                for n in range(1, 301):
                    try:
                        response = await client.post("/api/command", json={"command": f"approve P{n}"})
                    except httpx.HTTPError:
                        return  # the server is gone
                    if response.status_code == 200 and response.json()["applied"]:
                        answered.append(f"P{n}")

        async def kill_midway() -> None:
            while len(answered) < 60:
                await asyncio.sleep(0.005)
            server.process.send_signal(signal.SIGKILL)

        await asyncio.gather(approve_all(), kill_midway())
        server.process.wait()
    assert 60 <= len(answered) < 300
    with live_server(env) as restarted:
        state = httpx.get(restarted.url + "/api/state").json()
    done = {p["id"] for p in state["priorities"] if p["status"] == "done"}
    assert set(answered) <= done
    assert state["meta"]["epoch"] == epoch
