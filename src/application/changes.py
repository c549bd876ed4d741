"""The one path every change of the state takes: committed first, then broadcast."""

from __future__ import annotations

from src.application.ports import Applied, Broadcaster, Change, StateRepository


class StateChanges:
    def __init__(self, repository: StateRepository, broadcaster: Broadcaster) -> None:
        self._repository = repository
        self._broadcaster = broadcaster

    async def apply(self, change: Change) -> Applied:
        applied = await self._repository.apply(change)
        if applied.changed:
            await self._broadcaster.publish(applied.state)
        return applied
