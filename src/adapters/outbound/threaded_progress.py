"""Blocking collector work (file reading, SQLite writes) in a worker thread, its progress relayed."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")
ThreadProgress = Callable[[float, str], None]


class WorkCancelled(Exception):
    """Raised inside the worker thread, at its next progress call, once its collection is cancelled."""


async def run_in_thread(
    work: Callable[[ThreadProgress], T],
    report: Callable[[float, str], Awaitable[None]],
    first_message: str,
    interval: float = 0.1,
) -> T:
    """Runs `work(progress)` in a thread; whatever it last passed to `progress` goes to `report`
    every `interval` seconds, on the event loop, until it is done. Its exception is raised here.

    Cancelled (a server shutting down), it stops the work at its next `progress` call and waits for
    it, so the thread never goes on writing into a database that is being closed."""
    latest: list[Any] = [0.0, first_message]
    stop = threading.Event()

    def progress(fraction: float, message: str) -> None:  # called from the worker thread
        if stop.is_set():
            raise WorkCancelled("the collection was cancelled")
        latest[:] = [fraction, message]

    task = asyncio.ensure_future(asyncio.to_thread(work, progress))
    try:
        while not task.done():
            await report(latest[0], latest[1])
            await asyncio.wait({task}, timeout=interval)
    except asyncio.CancelledError:
        stop.set()
        await asyncio.wait({task})
        if not task.cancelled():
            task.exception()  # retrieved: WorkCancelled, as asked
        raise
    return task.result()
