"""Collections: at most one at a time, run in the background, reporting progress on the state."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from src.application.changes import StateChanges
from src.application.ports import Change, Clock, CollectionOutcome, Collector
from src.domain.commands import COLLECTION_TYPES
from src.domain.errors import Conflict, InvalidInput
from src.domain.state import MAX_MESSAGE_LENGTH, SystemStatus, iso_utc
from src.domain.system import change_system, collection_started

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CollectionJob:
    id: str
    mode: str
    started_at: datetime

    def to_document(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.mode, "status": "running", "started_at": iso_utc(self.started_at)}


class CollectionJobs:
    """The one collection slot and its background task; shutting down cancels the task and waits for it."""

    def __init__(self) -> None:
        self._current: CollectionJob | None = None
        self._task: asyncio.Task[None] | None = None
        # What each source's last run failed with: a schedule repeating the same failure logs its
        # traceback once, then one line per run, until the source works again.
        self.failing: dict[str, str] = {}

    @property
    def current(self) -> CollectionJob | None:
        return self._current

    def reserve(self, mode: str, now: datetime) -> CollectionJob:
        if self._current is not None:
            raise Conflict(f"a {self._current.mode} collection is already running (job {self._current.id})")
        self._current = CollectionJob(uuid.uuid4().hex[:12], mode, now)
        return self._current

    def release(self, job: CollectionJob) -> None:
        if self._current is job:
            self._current = None

    def launch(self, job: CollectionJob, work) -> None:
        self._task = asyncio.create_task(work, name=f"collection-{job.id}")
        self._task.add_done_callback(lambda _: self.release(job))

    async def wait(self) -> None:
        """Until the running collection, if any, has finished."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def close(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        await self.wait()


class _ThrottledProgress:
    """Progress reaches clients at most once per `interval`, however fast collectors report it."""

    def __init__(self, changes: StateChanges, clock: Clock, interval: float) -> None:
        self._changes = changes
        self._clock = clock
        self._interval = timedelta(seconds=interval)
        self._percent = 0
        self._last_sent: datetime | None = None

    async def report(self, percent: int, message: str, *, force: bool = False) -> None:
        self._percent = max(self._percent, min(percent, 100))
        now = self._clock.now()
        if not force and self._last_sent is not None and now - self._last_sent < self._interval:
            return
        self._last_sent = now
        percent = self._percent
        await self._changes.apply(
            lambda state: change_system(state, status=SystemStatus.COLLECTING, progress=percent, message=message)
        )


# What runs on the collected data once the collectors are done (DeriveItems): given the mode, it
# answers a summary for the collection's message (an object with `summary()`), or None.
AfterCollection = Callable[[str], Awaitable[Any]]


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_LENGTH else text[: MAX_MESSAGE_LENGTH - 1] + "…"


class TriggerCollection:
    """Starts a collection: `COLLECTING` at once, the collectors in the background, then `PROCESSING`
    and `IDLE` with `last_sync` (or `ERROR` naming the sources that failed and why)."""

    def __init__(
        self,
        changes: StateChanges,
        collectors: Sequence[Collector],
        jobs: CollectionJobs,
        clock: Clock,
        progress_interval: float = 0.1,
        after_collection: AfterCollection | None = None,
    ) -> None:
        self._changes = changes
        self._collectors = list(collectors)
        self._jobs = jobs
        self._clock = clock
        self._progress_interval = progress_interval
        self._after_collection = after_collection

    async def __call__(self, mode: str = "quick") -> CollectionJob:
        job = self.reserve(mode)
        try:
            await self._changes.apply(self.start_change(job))
        except BaseException:
            self.release(job)
            raise
        self.launch(job)
        return job

    # The three steps apart, so that a command chain can start a collection inside its one change.

    def reserve(self, mode: str) -> CollectionJob:
        if mode not in COLLECTION_TYPES:
            raise InvalidInput(f"collection type must be one of {', '.join(COLLECTION_TYPES)}", [{"field": "type"}])
        return self._jobs.reserve(mode, self._clock.now())

    @staticmethod
    def start_change(job: CollectionJob) -> Change:
        return lambda state: collection_started(state, job.mode)

    def release(self, job: CollectionJob) -> None:
        self._jobs.release(job)

    def launch(self, job: CollectionJob) -> None:
        self._jobs.launch(job, self._run(job))

    async def _run(self, job: CollectionJob) -> None:
        progress = _ThrottledProgress(self._changes, self._clock, self._progress_interval)
        failures: list[str] = []
        notes: list[str] = []  # warnings first, then summaries: the message is cut at its end
        summaries: list[str] = []
        total = len(self._collectors)
        try:
            for index, collector in enumerate(self._collectors):
                await progress.report(index * 100 // total, f"collecting {collector.name}", force=True)

                async def report(fraction: float, message: str | None, index=index, name=collector.name) -> None:
                    fraction = min(max(float(fraction), 0.0), 1.0)
                    await progress.report(int((index + fraction) * 100 / total), message or f"collecting {name}")

                try:
                    outcome = await collector.collect(job.mode, report)
                except asyncio.CancelledError:
                    raise
                except Exception as error:  # one source failing must not lose what the others gathered
                    said = f"{collector.name}: {str(error) or type(error).__name__}"
                    if self._jobs.failing.get(collector.name) == said:
                        logger.warning("collector %s still failing: %s", collector.name, said)
                    else:
                        logger.exception("collector %s failed", collector.name)
                    self._jobs.failing[collector.name] = said
                    failures.append(said)
                else:
                    self._jobs.failing.pop(collector.name, None)
                    if isinstance(outcome, CollectionOutcome):
                        for warning in outcome.warnings:
                            logger.warning("collector %s: %s", collector.name, warning)
                        notes += [f"{collector.name}: {warning}" for warning in outcome.warnings]
                        summaries += [f"{collector.name}: {outcome.summary}"] if outcome.summary else []
            await self._changes.apply(
                lambda state: change_system(
                    state, status=SystemStatus.PROCESSING, progress=100, message="processing collected data"
                )
            )
            summaries += await self._process(job)
            await self._changes.apply(self._finish(job, failures, notes + summaries, len(notes)))
        except asyncio.CancelledError:
            await self._changes.apply(
                lambda state: change_system(
                    state, status=SystemStatus.ERROR, message=f"{job.mode} collection interrupted"
                )
            )
            raise

    async def _process(self, job: CollectionJob) -> list[str]:
        """Runs what works on the collected data; its failure is logged and said, never fails the run
        (what the collectors gathered is indexed either way)."""
        if self._after_collection is None:
            return []
        try:
            outcome = await self._after_collection(job.mode)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            logger.exception("reading the collected messages failed")
            return [f"reading messages failed: {str(error) or type(error).__name__}"]
        return [outcome.summary()] if outcome is not None else []

    def _finish(self, job: CollectionJob, failures: list[str], notes: list[str], warnings: int) -> Change:
        if failures:
            message = _shorten("; ".join(["collection failed for " + "; ".join(failures), *notes]))
            return lambda state: change_system(state, status=SystemStatus.ERROR, message=message)
        sources = len(self._collectors)
        message = f"{job.mode} collection finished ({sources} source{'s' if sources != 1 else ''})"
        if warnings:
            message += f" with {warnings} warning{'s' if warnings != 1 else ''}"
        message = _shorten("; ".join([message, *notes]))
        now = self._clock.now()
        return lambda state: change_system(
            state, status=SystemStatus.IDLE, progress=100, message=message, last_sync=now
        )
