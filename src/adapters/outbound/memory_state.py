"""The in-memory `StateRepository`: the state lives as long as the process."""

from __future__ import annotations

from src.application.ports import Applied, Change, Clock
from src.domain.state import DashboardState


class InMemoryStateRepository:
    def __init__(self, clock: Clock, initial: DashboardState | None = None) -> None:
        self._clock = clock
        self._state = initial or DashboardState.initial(clock.now())

    async def load(self) -> DashboardState:
        return self._state

    async def apply(self, change: Change) -> Applied:
        # No await between reading and storing: on one event loop this is atomic without a lock.
        current = self._state
        changed = change(current)
        if changed is None:
            return Applied(current, False)
        return Applied(self._commit(changed), True)

    def _commit(self, changed: DashboardState) -> DashboardState:
        """Makes `changed` the next version: saved first, then current."""
        stored = changed.succeeding(self._state, self._clock.now())
        self._save(self._state, stored)
        self._state = stored
        return stored

    def _save(self, previous: DashboardState, stored: DashboardState) -> None:
        """Where a durable store writes `stored`; in memory there is nothing to do."""

    def close(self) -> None:
        """Nothing to release; the state goes with the process."""
