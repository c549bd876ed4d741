from __future__ import annotations

from typing import Any

from src.application.changes import StateChanges
from src.domain.state import SystemState
from src.domain.system import UNSET, change_system


class UpdateStatus:
    """Sets any of status, progress and message of `state.system` as one change and one broadcast."""

    def __init__(self, changes: StateChanges) -> None:
        self._changes = changes

    async def __call__(self, *, status: Any = UNSET, progress: Any = UNSET, message: Any = UNSET) -> SystemState:
        applied = await self._changes.apply(
            lambda state: change_system(state, status=status, progress=progress, message=message)
        )
        return applied.state.system
