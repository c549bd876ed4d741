"""A SQLite state whose file another process changed: the owner reloads it and goes on, never 500 forever."""

from src.adapters.outbound.sqlite_state import SqliteStateRepository
from src.domain.board import PriorityDraft, replace_priorities
from src.domain.system import change_system
from tests.fakes import FixedClock


async def test_a_change_after_the_file_changed_underneath_lands_on_the_stored_state(tmp_path):
    clock = FixedClock()
    server = SqliteStateRepository(tmp_path / "state.db", clock)
    await server.apply(lambda state: change_system(state, progress=5))
    intruder = SqliteStateRepository(tmp_path / "state.db", clock)  # e.g. an old `aicos collect`
    await intruder.apply(lambda state: replace_priorities(state, [PriorityDraft("Hiring plan")], clock.now()))
    await intruder.apply(lambda state: change_system(state, progress=60))
    intruder.close()

    applied = await server.apply(lambda state: change_system(state, message="after"))

    assert applied.changed and applied.state.meta.version == 4
    assert [p.title for p in applied.state.priorities] == ["Hiring plan"]  # what the other process stored
    assert (applied.state.system.progress, applied.state.system.message) == (60, "after")
    assert (await server.load()) == applied.state
    again = await server.apply(lambda state: change_system(state, progress=70))
    assert again.state.meta.version == 5
    server.close()
    assert (await SqliteStateRepository(tmp_path / "state.db", clock).load()) == again.state
