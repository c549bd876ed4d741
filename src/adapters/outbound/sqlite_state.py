"""The SQLite `StateRepository`: the state survives restarts (file `AICOS_DATA_DIR/state.db`).

Every change is committed before `apply` returns, so before it is broadcast or answered; in WAL
mode a committed change survives the process being killed. The epoch is kept, so clients can tell
the history goes on. A collection that was running when the process died is not running any more:
on opening, such a state comes back as ERROR saying it was interrupted.

One process owns the file (the server); several processes sharing one state is what the Redis
backend is for. The SQLite calls are short and made on the event loop's thread, which keeps each
`apply` atomic without a lock.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from src.adapters.outbound.state_codec import decode_state, encode_state
from src.application.ports import Applied, Change, Clock
from src.domain.state import DashboardState, SystemStatus
from src.domain.system import change_system

INTERRUPTED = "interrupted: the service stopped during a collection"


class SqliteStateRepository:
    def __init__(self, path: str | Path, clock: Clock) -> None:
        self._clock = clock
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY CHECK (id = 1), epoch TEXT NOT NULL, "
            "version INTEGER NOT NULL, body BLOB NOT NULL)"
        )
        row = self._db.execute("SELECT body FROM state WHERE id = 1").fetchone()
        if row is None:
            self._state = DashboardState.initial(clock.now())
            self._db.execute("INSERT INTO state (id, epoch, version, body) VALUES (1, ?, ?, ?)",
                             (self._state.meta.epoch, 0, encode_state(self._state)))
        else:
            self._state = decode_state(row[0])
            self._recover_interrupted_collection()

    def _recover_interrupted_collection(self) -> None:
        if self._state.system.status in (SystemStatus.COLLECTING, SystemStatus.PROCESSING):
            self._store(change_system(self._state, status=SystemStatus.ERROR, message=INTERRUPTED))

    async def load(self) -> DashboardState:
        return self._state

    async def apply(self, change: Change) -> Applied:
        current = self._state
        changed = change(current)
        if changed is None:
            return Applied(current, False)
        return Applied(self._store(changed), True)

    def _store(self, changed: DashboardState) -> DashboardState:
        current = self._state
        stored = changed.succeeding(current, self._clock.now())
        updated = self._db.execute(
            "UPDATE state SET epoch = ?, version = ?, body = ? WHERE id = 1 AND version = ?",
            (stored.meta.epoch, stored.meta.version, encode_state(stored), current.meta.version),
        ).rowcount
        if updated != 1:
            raise RuntimeError("the stored state changed under this process; is another one using the file?")
        self._state = stored
        return stored

    def close(self) -> None:
        self._db.close()
