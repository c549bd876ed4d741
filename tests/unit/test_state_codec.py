"""The stored form of the state: its own format, independent of the wire, and older formats still read."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import orjson

from src.adapters.outbound.sqlite_state import SqliteStateRepository
from src.adapters.outbound.state_codec import FORMAT, decode_state, encode_state
from src.domain.items import ItemKind
from src.domain.state import CalendarItem, Commitment, DashboardState, Priority
from src.domain.triage import dismiss_item, snooze_item
from tests.fakes import FixedClock
from tests.integration.test_state_persistence import NOW, rich_state

DATA = Path(__file__).resolve().parents[1] / "data"


def decided_state() -> DashboardState:
    state, _ = dismiss_item(rich_state(), "M2", NOW)
    state, _ = snooze_item(state, "P2", date(2026, 11, 30), NOW)
    state, _ = snooze_item(state, "M1", date(2026, 12, 7), NOW)
    return state


def test_the_persons_decisions_are_stored_with_the_state():
    state = decided_state()
    again = decode_state(encode_state(state))
    assert again == state
    assert again.decisions.commitments.dismissed == frozenset({"budget|"})
    assert again.decisions.priorities.snoozed_until == {"hiring plan": date(2026, 11, 30)}


async def test_decisions_survive_a_restart_of_the_sqlite_store(tmp_path):
    clock = FixedClock(NOW)
    first = SqliteStateRepository(tmp_path / "state.db", clock)
    await first.apply(lambda state: decided_state())
    before = await first.load()
    first.close()
    again = SqliteStateRepository(tmp_path / "state.db", clock)
    assert (await again.load()).decisions == before.decisions
    again.close()


def test_renaming_fields_on_the_wire_changes_nothing_stored(monkeypatch):
    state = decided_state()
    stored = encode_state(state)

    def renamed(kind, old, new):
        wire = kind.to_document
        monkeypatch.setattr(kind, "to_document", lambda item: {
            (new if name == old else name): value for name, value in wire(item).items()})

    renamed(Priority, "title", "name")
    renamed(Commitment, "text", "summary")
    renamed(CalendarItem, "attendees", "people")
    assert encode_state(state) == stored
    assert decode_state(stored) == state


def test_a_state_stored_in_format_1_is_read_with_its_codes_and_no_decisions():
    body = (DATA / "state-format-1.json").read_bytes()
    assert orjson.loads(body)["format"] == 1 < FORMAT
    state = decode_state(body)
    assert [(p.id, p.key, p.status.value) for p in state.priorities] == [("P2", "hiring plan", "partial")]
    assert [c.id for c in state.owe] == ["M1"] and state.owe[0].source_urgent
    assert state.calendar[0].source_alert and state.calendar[0].attendees == ("ceo@example.com",)
    assert state.codes.priorities.numbers == {"g": 1, "hiring plan": 2} and state.codes.priorities.next_number == 3
    assert state.active_brief.sources[0].snippet == "budget deck"
    assert state.decisions.priorities.dismissed == frozenset()
    # Written again, it is the current format, and reads back the same.
    assert orjson.loads(encode_state(state))["format"] == FORMAT
    assert decode_state(encode_state(state)) == state


def test_an_unknown_format_is_refused_rather_than_misread():
    body = orjson.loads(encode_state(rich_state()))
    try:
        decode_state(orjson.dumps({**body, "format": 99}))
    except ValueError as refused:
        assert "99" in str(refused)
    else:
        raise AssertionError("format 99 was read")


def test_an_empty_state_stores_and_reads_back():
    state = replace(DashboardState.initial(NOW), calendar=())
    assert decode_state(encode_state(state)) == state


def test_derived_items_are_stored_with_their_origin_and_read_back():
    from src.domain.derivation import apply_derived
    from tests.unit.test_derivation import derived

    state = apply_derived(decided_state(), [derived("D1/1", reason="asked by Dana Lee in a DM", closed_by="D1/2"),
                                            derived("D1/3", ItemKind.PROMISE_BY_ME, "send the deck")], NOW)
    again = decode_state(encode_state(state))
    assert again == state
    assert again.priorities[-1].origin.ref == "D1/1" and again.priorities[-1].closed_by == "D1/2"


def test_a_state_stored_in_format_2_is_read_with_its_decisions():
    body = (DATA / "state-format-2.json").read_bytes()
    assert orjson.loads(body)["format"] == 2 < FORMAT
    state = decode_state(body)
    # a new epoch each run; the brief stored then was written by the briefs of the time
    assert replace(state, meta=None, active_brief=None) == replace(decided_state(), meta=None, active_brief=None)
    assert state.active_brief.title == decided_state().active_brief.title and state.active_brief.sources == ()
    assert all(item.origin is None for item in (*state.priorities, *state.commitments))
