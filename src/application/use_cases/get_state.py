from __future__ import annotations

from src.application.ports import StateRepository
from src.domain.state import DashboardState


class GetState:
    """The whole state document, as the dashboard shows it."""

    def __init__(self, repository: StateRepository) -> None:
        self._repository = repository

    async def __call__(self) -> DashboardState:
        return await self._repository.load()
