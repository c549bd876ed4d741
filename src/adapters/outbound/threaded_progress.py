"""Blocking collector work (file reading, SQLite writes) in a worker thread, its progress relayed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")
ThreadProgress = Callable[[float, str], None]


async def run_in_thread(
    work: Callable[[ThreadProgress], T],
    report: Callable[[float, str], Awaitable[None]],
    first_message: str,
    interval: float = 0.1,
) -> T:
    """Runs `work(progress)` in a thread; whatever it last passed to `progress` goes to `report`
    every `interval` seconds, on the event loop, until it is done. Its exception is raised here."""
    latest: list[Any] = [0.0, first_message]

    def progress(fraction: float, message: str) -> None:  # called from the worker thread
        latest[:] = [fraction, message]

    task = asyncio.ensure_future(asyncio.to_thread(work, progress))
    while not task.done():
        await report(latest[0], latest[1])
        await asyncio.wait({task}, timeout=interval)
    return task.result()
