from datetime import datetime, timezone

from src.domain.board import CalendarDraft, CommitmentDraft, PriorityDraft, replace_calendar, replace_commitments, replace_priorities
from src.domain.codes import REMEMBERED_OFF_BOARD, REMEMBERED_OFF_BOARD_CHARS, CodeBook, derive_key
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


def _titles(batch: int, count: int) -> list[PriorityDraft]:
    return [PriorityDraft(f"item {batch}-{n}") for n in range(count)]


def test_the_codes_of_items_gone_long_ago_are_forgotten_but_never_given_to_another_item():
    state = replace_priorities(empty(), _titles(0, 3), NOW)
    for batch in range(1, 6):
        state = replace_priorities(state, _titles(batch, REMEMBERED_OFF_BOARD), NOW)
    state = replace_priorities(state, [], NOW)
    book = state.codes.priorities
    assert len(book.numbers) <= REMEMBERED_OFF_BOARD and set(book.first_seen) == set(book.numbers)
    assert book.next_number == 3 + 5 * REMEMBERED_OFF_BOARD + 1
    # an item from the first batch, forgotten, comes back with a new number, not another item's
    state = replace_priorities(state, _titles(0, 1), NOW)
    assert state.priorities[0].id == f"P{3 + 5 * REMEMBERED_OFF_BOARD + 1}"


def test_an_item_that_comes_back_soon_keeps_its_code():
    state = replace_priorities(empty(), [PriorityDraft("Hiring plan")] + _titles(0, 10), NOW)
    state = replace_priorities(state, _titles(1, 50), NOW)
    state = replace_priorities(state, [], NOW)
    state = replace_priorities(state, [PriorityDraft("Hiring plan")], NOW)
    assert state.priorities[0].id == "P1"


def test_what_is_remembered_is_bounded_in_characters_too():
    long_titles = [PriorityDraft(f"{n} " + "x" * 1900) for n in range(200)]
    state = replace_priorities(empty(), long_titles, NOW)
    state = replace_priorities(state, [], NOW)
    remembered = sum(len(key) for key in state.codes.priorities.numbers)
    assert remembered <= REMEMBERED_OFF_BOARD_CHARS


def test_items_on_the_board_always_keep_their_codes_whatever_the_bounds():
    many = _titles(0, 1000)
    state = replace_priorities(empty(), many, NOW)
    state = replace_priorities(state, many, NOW)
    assert [p.id for p in state.priorities] == [f"P{n}" for n in range(1, 1001)]

