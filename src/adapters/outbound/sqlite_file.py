"""A small SQLite file an adapter keeps (the brief log, the people directory): opened on first use,
in WAL mode (several processes may share it), its schema created, used by one thread at a time."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from src.search.sqlite_wal import enter_wal_mode


class SqliteFile:
    def __init__(self, path: str | Path, schema: str) -> None:
        self.path = Path(path)
        self._schema = schema
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """The connection, held alone for the `with` block (callers run in worker threads)."""
        with self._lock:
            if self._db is None:
                self._db = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
                enter_wal_mode(self._db)
                self._db.executescript(self._schema)
            yield self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
