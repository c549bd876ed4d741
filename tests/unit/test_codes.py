from datetime import datetime, timezone

from src.domain.board import CalendarDraft, CommitmentDraft, PriorityDraft, replace_calendar, replace_commitments, replace_priorities
from src.domain.codes import CodeBook, derive_key
from src.domain.state import DashboardState

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


def empty() -> DashboardState:
    return DashboardState.initial(NOW)


def test_new_keys_take_codes_in_display_order():
    book, codes = CodeBook("P").assign(["a", "b", "c"], NOW)
    assert codes == ["P1", "P2", "P3"]
    assert book.next_number == 4


def test_a_key_keeps_its_code_when_the_list_is_reordered_and_items_come_and_go():
    state = replace_priorities(empty(), [PriorityDraft("A", key="a"), PriorityDraft("B", key="b")], NOW)
    state = replace_priorities(state, [PriorityDraft("C", key="c"), PriorityDraft("B again", key="b")], NOW)
    assert [(p.id, p.key) for p in state.priorities] == [("P3", "c"), ("P2", "b")]


def test_a_code_is_never_reused_for_another_item():
    state = replace_priorities(empty(), [PriorityDraft("A", key="a")], NOW)
    state = replace_priorities(state, [], NOW)
    state = replace_priorities(state, [PriorityDraft("Z", key="z")], NOW)
    assert state.priorities[0].id == "P2"
    # and the old item coming back gets its old code
    state = replace_priorities(state, [PriorityDraft("A", key="a")], NOW)
    assert state.priorities[0].id == "P1"


def test_items_without_a_key_get_one_from_their_content():
    state = replace_priorities(empty(), [PriorityDraft("Ship  the Deck")], NOW)
    state = replace_priorities(state, [PriorityDraft("New one"), PriorityDraft("ship the deck")], NOW)
    assert [(p.id, p.title) for p in state.priorities] == [("P2", "New one"), ("P1", "ship the deck")]
    assert derive_key("Ship  the Deck") == "ship the deck"


def test_calendar_keys_derive_from_title_and_date():
    one = CalendarDraft("Standup", date="2026-11-25", time="09:00")
    other_day = CalendarDraft("Standup", date="2026-11-26", time="09:00")
    state = replace_calendar(empty(), [one, other_day], NOW)
    assert [c.key for c in state.calendar] == ["standup|2026-11-25", "standup|2026-11-26"]
    assert [c.id for c in state.calendar] == ["C1", "C2"]


def test_two_derived_keys_that_collide_both_stay_on_the_board():
    state = replace_calendar(empty(), [CalendarDraft("Standup", date="2026-11-25", time="09:00"),
                                       CalendarDraft("Standup", date="2026-11-25", time="17:00")], NOW)
    assert len({c.key for c in state.calendar}) == 2
    assert [c.id for c in state.calendar] == ["C1", "C2"]


def test_commitments_share_one_sequence_owe_first():
    owe = [CommitmentDraft("Send notes", key="n")]
    owed = [CommitmentDraft("Budget", key="b"), CommitmentDraft("Shortlist", key="s")]
    state = replace_commitments(empty(), owe, owed, NOW)
    assert [c.id for c in state.owe] == ["M1"]
    assert [c.id for c in state.owed] == ["M2", "M3"]
