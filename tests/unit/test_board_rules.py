from datetime import datetime, timedelta, timezone

import pytest

from src.domain.board import (
    CalendarDraft,
    CommitmentDraft,
    PriorityDraft,
    complete_commitment,
    replace_calendar,
    replace_commitments,
    replace_priorities,
    set_priority_status,
    with_derived_flags,
)
from src.domain.errors import InvalidInput
from src.domain.state import CommitmentStatus, DashboardState, PriorityStatus

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
TODAY = "2026-11-25"


def board() -> DashboardState:
    state = DashboardState.initial(NOW)
    state = replace_priorities(state, [PriorityDraft("Hiring plan", key="h"), PriorityDraft("Deck", key="d")], NOW)
    return replace_commitments(state, [CommitmentDraft("Notes", due_date=TODAY)], [CommitmentDraft("Budget")], NOW)


def test_approve_marks_a_priority_done_and_partial_marks_it_partial():
    state, outcome = set_priority_status(board(), "P1", PriorityStatus.DONE, NOW)
    assert outcome.applied and state.priorities[0].status == PriorityStatus.DONE
    state, outcome = set_priority_status(state, "P2", PriorityStatus.PARTIAL, NOW)
    assert outcome.applied and state.priorities[1].status == PriorityStatus.PARTIAL


def test_a_code_not_on_the_board_changes_nothing_and_says_why():
    state, outcome = set_priority_status(board(), "P7", PriorityStatus.DONE, NOW)
    assert state is None and not outcome.applied and "P7" in outcome.message


def test_approving_twice_changes_nothing_the_second_time():
    state, _ = set_priority_status(board(), "P1", PriorityStatus.DONE, NOW)
    again, outcome = set_priority_status(state, "P1", PriorityStatus.DONE, NOW)
    assert again is None and not outcome.applied and "already done" in outcome.message


def test_completing_a_commitment_in_either_column():
    state, outcome = complete_commitment(board(), "M2", NOW)
    assert outcome.applied and state.owed[0].status == CommitmentStatus.DONE
    assert state.owe[0].status == CommitmentStatus.PENDING


def test_a_pending_commitment_due_today_is_urgent_until_done():
    state = board()
    assert state.owe[0].urgent and not state.owed[0].urgent
    state, _ = complete_commitment(state, "M1", NOW)
    assert not state.owe[0].urgent


def test_an_overdue_open_priority_has_the_alert_mark():
    state = replace_priorities(DashboardState.initial(NOW), [PriorityDraft("Late", due_date="2026-11-20")], NOW)
    assert state.priorities[0].alert
    done, _ = set_priority_status(state, "P1", PriorityStatus.DONE, NOW)
    assert not done.priorities[0].alert


def test_a_meeting_starting_within_15_minutes_has_the_alert_mark():
    state = replace_calendar(DashboardState.initial(NOW), [
        CalendarDraft("Soon", date=TODAY, time="09:10"),
        CalendarDraft("Later", date=TODAY, time="12:00"),
        CalendarDraft("Started", date=TODAY, time="08:30"),
        CalendarDraft("All day", date=TODAY),
    ], NOW)
    assert {c.title: c.alert for c in state.calendar} == {
        "Soon": True, "Later": False, "Started": False, "All day": False}


def test_items_are_new_for_a_day_and_refresh_clears_the_mark():
    state = board()
    assert all(p.new for p in state.priorities)
    refreshed = with_derived_flags(state, NOW + timedelta(hours=25))
    assert not any(p.new for p in refreshed.priorities)


def test_calendar_is_shown_in_time_order_and_takes_date_and_time_from_start():
    state = replace_calendar(DashboardState.initial(NOW), [
        CalendarDraft("Late", start="2026-11-25T16:00:00+01:00"),
        CalendarDraft("Early", date=TODAY, time="08:30"),
    ], NOW)
    assert [(c.title, c.date, c.time) for c in state.calendar] == [("Early", TODAY, "08:30"), ("Late", TODAY, "16:00")]


@pytest.mark.parametrize("draft, field", [
    (CalendarDraft("", date=TODAY), "title"),
    (CalendarDraft("No date"), "date"),
    (CalendarDraft("Bad date", date="25/11/2026"), "date"),
    (CalendarDraft("Bad time", date=TODAY, time="9am"), "time"),
    (CalendarDraft("Bad start", start="yesterday"), "start"),
    (CalendarDraft("Bad attendees", date=TODAY, attendees="a@b.c"), "attendees"),
])
def test_a_bad_calendar_item_is_refused_with_its_field(draft, field):
    with pytest.raises(InvalidInput) as refused:
        replace_calendar(DashboardState.initial(NOW), [draft], NOW)
    assert refused.value.details == [{"index": 0, "field": field}]


def test_a_bad_priority_status_and_a_repeated_key_are_refused():
    with pytest.raises(InvalidInput, match="status"):
        replace_priorities(DashboardState.initial(NOW), [PriorityDraft("A", status="finished")], NOW)
    with pytest.raises(InvalidInput, match="twice"):
        replace_priorities(DashboardState.initial(NOW), [PriorityDraft("A", key="k"), PriorityDraft("B", key="k")], NOW)
