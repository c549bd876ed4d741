"""Keeps the cyclic garbage collector out of a fan-out.

With 1,000 clients the process holds some 250,000 tracked objects (each connection keeps about 170:
its middleware frames, protocol state, task and outbox), and a full collection over them takes
50 to 150 ms. CPython starts one whenever an allocation crosses its threshold, which in a fan-out
is in the middle of 1,000 sends: every client behind that point waited for the whole pass (one
round in thirty in `python -m bench.run fanout`: the p99). So automatic collection is paused while
a change is handed to the connections, which send it there and then (see
`Connection._send_at_once`), and the collection the allocations asked for runs just after.
Since those sends no longer wake a writer task each (a future per client and round), collections
are rare during fan-outs anyway: 1 in 30 rounds of 1,000 clients, against 30 before (measured
with `gc.callbacks` in the server, 2026-11-30).
"""

from __future__ import annotations

import gc
from types import TracebackType


class CollectionPause:
    """`with pause:` around a fan-out. Re-entrant; a collector someone else turned off stays off."""

    def __init__(self) -> None:
        self._paused = False  # by us

    def __enter__(self) -> CollectionPause:
        if not self._paused and gc.isenabled():
            gc.disable()
            self._paused = True
        return self

    def __exit__(self, error_type: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.resume()

    def resume(self) -> None:
        if self._paused:
            self._paused = False
            gc.enable()
