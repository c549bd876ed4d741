"""Switching a SQLite file to write-ahead logging when several processes may open it at once."""

from __future__ import annotations

import sqlite3
import time

WAIT_S = 5.0


def enter_wal_mode(connection: sqlite3.Connection, wait_s: float = WAIT_S) -> None:
    """`PRAGMA journal_mode = WAL`, tried again while another process holds the file: SQLite answers
    "database is locked" at once for this pragma instead of waiting out the busy timeout, so two
    workers opening a new file together (uvicorn --workers 2) would fail one start-up without it."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)
