"""Patches between versions are valid RFC 6902 and turn one document into the next exactly."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import jsonpatch
from hypothesis import given, settings
from hypothesis import strategies as st

from src.adapters.outbound.state_patches import state_patch
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
from src.domain.briefs import daily_brief
from src.domain.state import DashboardState, PriorityStatus
from src.domain.system import change_system

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


def board() -> DashboardState:
    state = DashboardState.initial(NOW)
    state = replace_calendar(state, [CalendarDraft(f"Meeting {n}", date="2026-11-26", time=f"1{n}:00")
                                     for n in range(5)], NOW)
    state = replace_priorities(state, [PriorityDraft(f"Priority {n}") for n in range(6)], NOW)
    return replace_commitments(state, [CommitmentDraft(f"Owe {n}") for n in range(3)],
                               [CommitmentDraft(f"Owed {n}") for n in range(3)], NOW)


CHANGES = [
    lambda s, n: set_priority_status(s, f"P{n % 6 + 1}", PriorityStatus.DONE, NOW)[0],
    lambda s, n: set_priority_status(s, f"P{n % 6 + 1}", PriorityStatus.PARTIAL, NOW)[0],
    lambda s, n: complete_commitment(s, f"M{n % 6 + 1}", NOW)[0],
    lambda s, n: change_system(s, progress=n % 101, message=f"step {n}"),
    lambda s, n: change_system(s, status="COLLECTING"),
    lambda s, n: replace_priorities(s, [PriorityDraft(f"Priority {k}") for k in range(n % 8)], NOW),
    lambda s, n: replace_calendar(s, [CalendarDraft(f"Meeting {n}", date="2026-11-27")], NOW),
    lambda s, n: replace(s, active_brief=daily_brief(s, NOW)),
    lambda s, n: replace(s, active_brief=None),
    lambda s, n: with_derived_flags(s, NOW + timedelta(days=2)),
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(CHANGES) - 1), st.integers(0, 50)), min_size=1, max_size=25))
def test_applying_each_patch_to_the_previous_document_gives_the_next(steps):
    state = board()
    for which, n in steps:
        changed = CHANGES[which](state, n)
        if changed is None:
            continue
        new = changed.succeeding(state, NOW + timedelta(seconds=n))
        patched = jsonpatch.apply_patch(state.to_document(), state_patch(state, new))
        assert patched == new.to_document()
        state = new


def test_approving_one_priority_is_a_small_patch():
    state = board()
    changed, _ = set_priority_status(state, "P3", PriorityStatus.DONE, NOW)
    new = changed.succeeding(state, NOW + timedelta(seconds=1))
    ops = state_patch(state, new)
    assert {op["path"] for op in ops} == {"/priorities/2", "/meta/version", "/meta/updated_at"}


def test_a_snooze_and_its_end_reach_clients_as_patches():
    from datetime import date

    from src.domain.triage import snooze_item

    before = board()
    snoozed, _ = snooze_item(before, "P1", date(2026, 11, 27), NOW)
    snoozed = snoozed.next_version(NOW)
    document = jsonpatch.apply_patch(before.to_document(), state_patch(before, snoozed))
    assert document == snoozed.to_document() and document["priorities"][0]["snoozed_until"] == "2026-11-27"
    over = with_derived_flags(snoozed, NOW + timedelta(days=2)).next_version(NOW + timedelta(days=2))
    after = jsonpatch.apply_patch(document, state_patch(snoozed, over))
    assert after == over.to_document() and "snoozed_until" not in after["priorities"][0]
