"""`BriefLog` implementations: in memory, and in SQLite (`AICOS_DATA_DIR/briefs.db`), so "since the
last daily brief" survives a restart. A file of its own, like people.db: the state's stored form and
the search database's schema stay as they are."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from pathlib import Path

from src.adapters.outbound.sqlite_file import SqliteFile
from src.domain.briefs import DailyMark


class InMemoryBriefLog:
    def __init__(self) -> None:
        self._last: DailyMark | None = None

    async def last_daily(self) -> DailyMark | None:
        return self._last

    async def record_daily(self, mark: DailyMark) -> None:
        self._last = mark

    def close(self) -> None:
        """Nothing to release."""


_SCHEMA = "CREATE TABLE IF NOT EXISTS daily_marks (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL, open_keys TEXT NOT NULL)"


class SqliteBriefLog:
    """One row, replaced at each daily brief. The file is opened on first use."""

    def __init__(self, path: str | Path) -> None:
        self._file = SqliteFile(path, _SCHEMA)

    async def last_daily(self) -> DailyMark | None:
        return await asyncio.to_thread(self._read)

    def _read(self) -> DailyMark | None:
        with self._file.connection() as db:
            row = db.execute("SELECT at, open_keys FROM daily_marks WHERE id = 1").fetchone()
        if row is None:
            return None
        return DailyMark(datetime.fromisoformat(row[0]), frozenset(json.loads(row[1])))

    async def record_daily(self, mark: DailyMark) -> None:
        await asyncio.to_thread(self._write, mark)

    def _write(self, mark: DailyMark) -> None:
        with self._file.connection() as db:
            db.execute(
                "INSERT INTO daily_marks (id, at, open_keys) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET at = excluded.at, open_keys = excluded.open_keys",
                (mark.at.isoformat(), json.dumps(sorted(mark.open_keys))))

    def close(self) -> None:
        self._file.close()
