"""Item codes are remembered for items that come back, within bounds: a long history of boards must
not make every later change slower or the state file bigger (issue #12, item 5)."""

import statistics
import time
from dataclasses import replace
from datetime import datetime, timezone
from types import MappingProxyType

from src.adapters.outbound.state_codec import decode_state, encode_state
from src.domain.codes import REMEMBERED_OFF_BOARD, CodeBook
from src.domain.state import DashboardState
from tests.integration.conftest import isolated_settings

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
HISTORY_PUTS = 40
ITEMS_PER_PUT = 1000
TITLE_LENGTH = 950
# A status change on an empty board takes about 3 ms here; with every key ever seen remembered it took
# 240 ms after this history (80 times as long). Compared with a fresh board in the same run, so that a
# busy test machine slows both alike.
SLOWER_THAN_FRESH_AT_MOST = 8
STATE_FILES_BUDGET_BYTES = 16 * 1024 * 1024  # state.db and its WAL reached 317 MB


def _board(batch: int) -> list[dict]:
    return [{"title": f"{batch}-{n} ".ljust(TITLE_LENGTH, "x")} for n in range(ITEMS_PER_PUT)]


def _median_status_change_s(client, count: int = 15) -> float:
    durations = []
    for n in range(count):
        started = time.perf_counter()
        assert client.post("/api/system/status", json={"progress": n}).status_code == 200
        durations.append(time.perf_counter() - started)
    return statistics.median(durations)


def test_a_long_history_of_boards_does_not_slow_later_changes_nor_grow_the_state_file(serve):
    with serve(isolated_settings(state_backend="sqlite")) as (client, _):
        budget_s = SLOWER_THAN_FRESH_AT_MOST * _median_status_change_s(client)
    settings = isolated_settings(state_backend="sqlite")
    with serve(settings) as (client, _):
        for batch in range(HISTORY_PUTS):
            assert client.put("/api/priorities", json=_board(batch)).status_code == 200
        assert client.put("/api/priorities", json=[]).status_code == 200
        assert _median_status_change_s(client) < budget_s
        returning = client.put("/api/priorities", json=[{"title": _board(HISTORY_PUTS - 1)[-1]["title"]}]).json()
        assert returning[0]["id"] == f"P{HISTORY_PUTS * ITEMS_PER_PUT}"  # seen last, came back: same code
    files = sum(path.stat().st_size for path in settings.data_dir.glob("state.db*"))
    assert files < STATE_FILES_BUDGET_BYTES
    with serve(settings) as (client, _):  # after a restart too
        assert _median_status_change_s(client) < budget_s
        new = client.put("/api/priorities", json=[{"title": "a new item"}]).json()
        assert new[0]["id"] == f"P{HISTORY_PUTS * ITEMS_PER_PUT + 1}"  # the counter never goes back


def test_a_state_stored_with_every_key_ever_seen_is_bounded_when_read_again():
    numbers = {f"old {n}": n for n in range(1, 5001)}
    book = CodeBook("P", MappingProxyType(numbers), MappingProxyType({key: NOW for key in numbers}), 5001)
    unbounded = DashboardState.initial(NOW)
    unbounded = replace(unbounded, codes=replace(unbounded.codes, priorities=book))
    restored = decode_state(encode_state(unbounded))
    assert len(restored.codes.priorities.numbers) == REMEMBERED_OFF_BOARD
    assert "old 5000" in restored.codes.priorities.numbers  # the most recent are the ones kept
    assert restored.codes.priorities.next_number == 5001
