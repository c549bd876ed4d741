"""Keeps the cyclic garbage collector out of a fan-out.

With 1,000 clients the process holds some 250,000 tracked objects (each connection keeps about 170:
its middleware frames, protocol state, task and outbox), and a full collection over them takes
50 to 150 ms. CPython starts one whenever an allocation crosses its threshold, which in a fan-out
is in the middle of 1,000 sends: every client behind that point waited for the whole pass (one
round in thirty in `python -m bench.run fanout`: the p99). So automatic collection is paused from
the moment a change is handed to the connections until their writers have each had their turn
(one pass of the event loop), and the collection the allocations asked for runs just after.
"""

from __future__ import annotations

import asyncio
import gc


class CollectionPause:
    def __init__(self) -> None:
        self._paused = False  # by us: a collector someone else turned off stays off

    def during_fan_out(self) -> None:
        """Pauses automatic collection until the writers woken by this fan-out have run: they were
        scheduled first, so a callback scheduled now runs after all of them."""
        if self._paused or not gc.isenabled():
            return
        gc.disable()
        self._paused = True
        asyncio.get_running_loop().call_soon(self.resume)

    def resume(self) -> None:
        if self._paused:
            self._paused = False
            gc.enable()
