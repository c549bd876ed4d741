"""A pass run every few seconds in the background for as long as the app lives (the outreach's
schedule). Stopping lets a pass that is under way finish, within a grace time, so a post being sent
at shutdown is recorded as sent (or not) rather than cut in the middle."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)


class Repeating:
    def __init__(self, run: Callable[[], Awaitable[None]], every_s: float, name: str) -> None:
        self._run = run
        self._every_s = every_s
        self._name = name
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=self._name)

    async def _loop(self) -> None:
        failing = False
        while not self._stopping.is_set():
            try:
                await self._run()
                failing = False
            except Exception as error:  # noqa: BLE001 - one failed pass (Redis away...) must not end the schedule
                if not failing:  # said once per spell of failures, not every few seconds
                    logger.warning("%s: a pass failed (%s: %s); trying again every %s s", self._name,
                                   type(error).__name__, error, self._every_s)
                failing = True
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._every_s)

    async def stop(self, grace_s: float) -> None:
        self._stopping.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace_s)
        except asyncio.TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
