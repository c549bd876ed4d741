"""Replacing a part of the board, for processors outside the service and for collectors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from src.application.changes import StateChanges
from src.application.ports import Clock
from src.domain.board import (
    CalendarDraft,
    CommitmentDraft,
    PriorityDraft,
    replace_calendar,
    replace_commitments,
    replace_priorities,
)
from src.domain.items_with_origin import replace_commitments_with_origin, replace_priorities_with_origin
from src.domain.state import CalendarItem, Commitment, DashboardState, Priority


class _BoardChange:
    def __init__(self, changes: StateChanges, clock: Clock) -> None:
        self._changes = changes
        self._clock = clock

    async def _apply(self, change) -> DashboardState:
        now = self._clock.now()

        def unless_same(state: DashboardState) -> DashboardState | None:
            # A collector that sends the same board again changes nothing and wakes no client.
            new = change(state, now)
            return None if new == state else new

        applied = await self._changes.apply(unless_same)
        return applied.state


class ReplaceCalendar(_BoardChange):
    async def __call__(self, drafts: Sequence[CalendarDraft]) -> tuple[CalendarItem, ...]:
        state = await self._apply(lambda state, now: replace_calendar(state, drafts, now))
        return state.calendar


class ReplacePriorities(_BoardChange):
    async def __call__(self, drafts: Sequence[PriorityDraft]) -> tuple[Priority, ...]:
        state = await self._apply(lambda state, now: replace_priorities(state, drafts, now))
        return state.priorities


class ReplaceCommitments(_BoardChange):
    async def __call__(
        self, owe: Sequence[CommitmentDraft], owed: Sequence[CommitmentDraft]
    ) -> tuple[tuple[Commitment, ...], tuple[Commitment, ...]]:
        state = await self._apply(lambda state, now: replace_commitments(state, owe, owed, now))
        return state.owe, state.owed


class ReplaceItemsWithOrigin(_BoardChange):
    """The items with an `origin` of a part, sent in the wire shape by a collector that reads
    commitments and asks itself; the part's other items stay (src/domain/items_with_origin.py)."""

    async def priorities(self, items: Sequence[Mapping[str, Any]]) -> tuple[Priority, ...]:
        state = await self._apply(lambda state, now: replace_priorities_with_origin(state, items, now))
        return state.priorities

    async def commitments(
        self, owe: Sequence[Mapping[str, Any]], owed: Sequence[Mapping[str, Any]]
    ) -> tuple[tuple[Commitment, ...], tuple[Commitment, ...]]:
        state = await self._apply(lambda state, now: replace_commitments_with_origin(state, owe, owed, now))
        return state.owe, state.owed
