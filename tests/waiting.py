"""Waiting on a condition instead of sleeping a fixed time: as short as the machine allows, as long
as it needs up to a timeout, and a failure that says what never happened."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from inspect import isawaitable
from typing import Any


async def wait_until(condition: Callable[[], Any], what: str, timeout: float = 10.0, every: float = 0.05) -> Any:
    """Polls `condition` (sync or async) until it returns something true, and returns that."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = condition()
            if isawaitable(result):
                result = await result
        except Exception as error:  # not ready yet (a refused connection, a server still starting)
            result, last_error = None, error
        else:
            last_error = None
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: not within {timeout} s" + (f" ({last_error})" if last_error else ""))
        await asyncio.sleep(every)
