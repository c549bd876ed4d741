"""The SQLite `StateRepository`: the state survives restarts (file `AICOS_DATA_DIR/state.db`).

Every change is committed before `apply` returns, so before it is broadcast or answered; in WAL
mode a committed change survives the process being killed. The epoch is kept, so clients can tell
the history goes on. A collection that was running when the process died is not running any more:
on opening, such a state comes back as ERROR saying it was interrupted.

One process owns the file (the server; `aicos` commands hold a lock on it, see src/ownership.py);
several processes sharing one state is what the Redis backend is for. Should something else write
the file anyway, the next change reloads what it stored and runs on that. The SQLite calls are short and made on the event loop's thread, which keeps each
`apply` atomic without a lock.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from src.search.sqlite_wal import enter_wal_mode
from src.adapters.outbound.memory_state import InMemoryStateRepository
from src.adapters.outbound.state_codec import decode_state, encode_state
from src.application.ports import Applied, Change, Clock
from src.domain.state import DashboardState, SystemStatus
from src.domain.system import change_system

INTERRUPTED = "interrupted: the service stopped during a collection"
logger = logging.getLogger(__name__)


class StoredStateChanged(Exception):
    """The file's version is not the one this process last stored: another process wrote it."""


class SqliteStateRepository(InMemoryStateRepository):
    """Keeps the current state in memory, as the in-memory repository does, and saves each version
    to the file before it becomes current."""

    def __init__(self, path: str | Path, clock: Clock) -> None:
        self._path = path
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        enter_wal_mode(self._db)
        self._db.execute("PRAGMA synchronous = NORMAL")
        # The WAL is emptied at each checkpoint; this lets it shrink back too, after a burst of big states.
        self._db.execute("PRAGMA journal_size_limit = 4194304")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY CHECK (id = 1), epoch TEXT NOT NULL, "
            "version INTEGER NOT NULL, body BLOB NOT NULL)"
        )
        row = self._db.execute("SELECT body FROM state WHERE id = 1").fetchone()
        super().__init__(clock, decode_state(row[0]) if row else None)
        if row is None:
            self._db.execute("INSERT INTO state (id, epoch, version, body) VALUES (1, ?, ?, ?)",
                             (self._state.meta.epoch, self._state.meta.version, encode_state(self._state)))
        elif self._state.system.status in (SystemStatus.COLLECTING, SystemStatus.PROCESSING):
            interrupted = change_system(self._state, status=SystemStatus.ERROR, message=INTERRUPTED)
            if interrupted is not None:  # always, as the status changes; None would mean no change
                self._commit(interrupted)

    async def apply(self, change: Change) -> Applied:
        try:
            return await super().apply(change)
        except StoredStateChanged:
            # Another process wrote the file (the lock keeps the CLI's own commands out; something else
            # did not): what it stored wins, and the change runs again on it, so writes go on instead
            # of failing until a restart.
            self._reload()
            return await super().apply(change)

    def _reload(self) -> None:
        row = self._db.execute("SELECT body FROM state WHERE id = 1").fetchone()
        if row is None:
            raise RuntimeError(f"the state row is gone from {self._path}")
        logger.warning("%s was changed by another process; reloaded its version %s",
                       self._path, decode_state(row[0]).meta.version)
        self._state = decode_state(row[0])

    def _save(self, previous: DashboardState, stored: DashboardState) -> None:
        updated = self._db.execute(
            "UPDATE state SET epoch = ?, version = ?, body = ? WHERE id = 1 AND version = ?",
            (stored.meta.epoch, stored.meta.version, encode_state(stored), previous.meta.version),
        ).rowcount
        if updated != 1:
            raise StoredStateChanged(self._path)

    def close(self) -> None:
        self._db.close()
