"""Rules of `state.system`: what may be set, and the states a collection goes through."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from src.domain.errors import InvalidInput
from src.domain.state import DashboardState, SystemStatus, check_message, check_progress, parse_status


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def change_system(
    state: DashboardState,
    *,
    status: Any = UNSET,
    progress: Any = UNSET,
    message: Any = UNSET,
    last_sync: datetime | None | _Unset = UNSET,
) -> DashboardState | None:
    """The state with the given fields of `system` set together; None when nothing differs."""
    if status is UNSET and progress is UNSET and message is UNSET and last_sync is UNSET:
        raise InvalidInput("set at least one of status, progress, message")
    current = state.system
    if message is UNSET and status is not UNSET and parse_status(status) != current.status:
        # The old message described the old status ("quick collection finished"); it goes with it.
        message = None
    system = replace(
        current,
        status=current.status if status is UNSET else parse_status(status),
        progress=current.progress if progress is UNSET else check_progress(progress),
        message=current.message if message is UNSET else check_message(message),
        last_sync=current.last_sync if isinstance(last_sync, _Unset) else last_sync,
    )
    if system == current:
        return None
    return replace(state, system=system)


def collection_started(state: DashboardState, mode: str) -> DashboardState | None:
    return change_system(state, status=SystemStatus.COLLECTING, progress=0, message=f"starting {mode} collection")
