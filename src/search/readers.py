"""A few read connections to the search file, one per search at a time.

With one connection behind a lock, searches ran one after the other: six costly ones held up an
unrelated search for all their time. SQLite in WAL mode reads in parallel, and Python's sqlite3
lets go of the GIL while a statement runs, so each search takes a connection of its own.
(A queue of connections is all this needs; a general pool library would bring more than it gives.)
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class ReaderPool:
    def __init__(self, connect: Callable[[], sqlite3.Connection], size: int) -> None:
        self._connect = connect
        self._size = size
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()  # the warmest cache first
        self._opened = 0
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        connection = self._take()
        try:
            yield connection
        finally:
            self._idle.put(connection)

    def _take(self) -> sqlite3.Connection:
        with self._lock:
            if self._closed:
                raise sqlite3.ProgrammingError("the search database is closed")
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                if self._opened < self._size:
                    self._opened += 1
                    return self._connect()
        return self._idle.get()  # all in use: wait for one

    def close(self) -> None:
        """Closes every connection, waiting for those in use (closing one a search steps on would
        crash the process)."""
        with self._lock:
            self._closed = True
            opened = self._opened
        for _ in range(opened):
            self._idle.get().close()
