from __future__ import annotations

from datetime import datetime

from src.application.ports import StateRepository
from src.application.use_cases.scheduled_collections import ScheduledCollections
from src.domain.state import DashboardState, SystemState


class GetState:
    """The whole state document, as the dashboard shows it."""

    def __init__(self, repository: StateRepository) -> None:
        self._repository = repository

    async def __call__(self) -> DashboardState:
        return await self._repository.load()


class GetSystemStatus:
    """The system part of the state, and when the next scheduled quick collection runs (None without
    AICOS_COLLECT_EVERY): GET /api/system/status, from one use case (each dependency a route
    resolves costs it a tenth of its time)."""

    def __init__(self, repository: StateRepository, schedule: ScheduledCollections | None) -> None:
        self._repository = repository
        self._schedule = schedule

    async def __call__(self) -> tuple[SystemState, datetime | None]:
        system = (await self._repository.load()).system
        return system, self._schedule.next_run() if self._schedule is not None else None
