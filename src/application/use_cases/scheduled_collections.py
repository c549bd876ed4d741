"""A quick collection every AICOS_COLLECT_EVERY (contract section 7).

Runs fall on multiples of the period since the Unix epoch (every 15 minutes: :00, :15, :30, :45 UTC),
so every process agrees on the next one without talking, and `/api/system/status` can say when it
is. At each run time: skipped while a collection runs (in this process, or in any process sharing
the state, which then says COLLECTING or PROCESSING); otherwise the first process to take that run
time's lease starts it, and the others skip it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone

from src.application.ports import Clock, CollectionLease, StateRepository
from src.application.use_cases.trigger_collection import CollectionJobs, TriggerCollection
from src.domain.errors import Conflict
from src.domain.state import SystemStatus

logger = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_BUSY = (SystemStatus.COLLECTING, SystemStatus.PROCESSING)

STARTED = "started"
SKIPPED_RUNNING = "skipped: a collection is running"
SKIPPED_ELSEWHERE = "skipped: another process took it"


class ScheduledCollections:
    def __init__(self, trigger: TriggerCollection, jobs: CollectionJobs, state: StateRepository,
                 lease: CollectionLease, clock: Clock, period: timedelta) -> None:
        if period <= timedelta(0):
            raise ValueError("the period of scheduled collections must be positive")
        self._trigger = trigger
        self._jobs = jobs
        self._state = state
        self._lease = lease
        self._clock = clock
        self.period = period

    def next_run(self, after: datetime | None = None) -> datetime:
        """The first run time strictly after `after` (now when not given), in the clock's zone."""
        after = after or self._clock.now()
        periods = (after - _EPOCH) // self.period + 1
        return (_EPOCH + periods * self.period).astimezone(after.tzinfo)

    async def run_due(self, due: datetime) -> str:
        """What became of the run due at `due`: STARTED or why it was skipped."""
        if self._jobs.current is not None:
            return SKIPPED_RUNNING
        if (await self._state.load()).system.status in _BUSY:
            return SKIPPED_RUNNING
        if not await self._lease.acquire(f"collect:{int(due.timestamp())}", self.period):
            return SKIPPED_ELSEWHERE
        try:
            await self._trigger("quick")
        except Conflict:  # one started here between the check and now
            return SKIPPED_RUNNING
        return STARTED

    async def run(self, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        """Until cancelled: wait for each run time, then run it. A failing run is logged and the
        schedule goes on (the collection itself reports its sources' failures on the state)."""
        last: datetime | None = None
        while True:
            now = self._clock.now()
            due = self.next_run(max(now, last) if last is not None else now)  # a sleep may end early
            last = due
            await sleep(max(0.0, (due - self._clock.now()).total_seconds()))
            try:
                outcome = await self.run_due(due)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("the scheduled collection due at %s could not start", due.isoformat())
                continue
            logger.info("scheduled collection due at %s: %s", due.isoformat(), outcome)
