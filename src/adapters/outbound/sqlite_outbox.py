"""The outbox in SQLite (`AICOS_DATA_DIR/outbox.db`, beside the state): one row per post key.

Recording is `INSERT OR IGNORE` and taking an attempt is a read and a conditional write inside one
`BEGIN IMMEDIATE` transaction (SQLite's write lock), so of several processes on one file exactly one
records a key and one takes an attempt. Each call opens a short connection: posts are a few a day,
and `aicos outbox` reads the file beside a running server (WAL lets it).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from src.adapters.outbound.outbox_codec import decode_post, encode_post, epoch_s
from src.domain.outbox import Post
from src.search.sqlite_wal import enter_wal_mode

KEEP_FOR = timedelta(days=40)  # what `aicos outbox` can show; older posts are forgotten


class SqliteOutbox:
    def __init__(self, path: str | Path) -> None:
        self._path = str(path)
        with self._closing() as db:
            enter_wal_mode(db)
            db.execute("CREATE TABLE IF NOT EXISTS posts (key TEXT PRIMARY KEY, created_at REAL NOT NULL, "
                       "status TEXT NOT NULL, due_at REAL NOT NULL, body TEXT NOT NULL)")
            db.execute("CREATE INDEX IF NOT EXISTS posts_by_status ON posts (status, due_at)")

    def _connection(self) -> sqlite3.Connection:
        return sqlite3.connect(self._path, timeout=10, isolation_level=None)

    @staticmethod
    def _row(post: Post) -> tuple[str, float, str, float, str]:
        # due_at: when it next needs attention (an attempt, or a lease running out).
        due = post.lease_until if post.status == "sending" else post.next_attempt_at or post.created_at
        return post.key, post.created_at.timestamp(), post.status.value, epoch_s(due), encode_post(post)

    async def record(self, post: Post) -> bool:
        db = self._connection()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM posts WHERE created_at < ?", ((post.created_at - KEEP_FOR).timestamp(),))
            inserted = db.execute("INSERT OR IGNORE INTO posts (key, created_at, status, due_at, body) "
                                  "VALUES (?, ?, ?, ?, ?)", self._row(post)).rowcount
            db.execute("COMMIT")
            return inserted == 1
        finally:
            db.close()

    async def take(self, key: str, now: datetime) -> Post | None:
        db = self._connection()
        try:
            db.execute("BEGIN IMMEDIATE")  # the write lock first: no other process reads between
            row = db.execute("SELECT body FROM posts WHERE key = ?", (key,)).fetchone()
            post = decode_post(row[0]) if row else None
            if post is None or not post.can_be_taken(now):
                db.execute("ROLLBACK")
                return None
            db.execute("UPDATE posts SET status = ?, due_at = ?, body = ? WHERE key = ?",
                       self._row(post.taken(now))[2:] + (key,))
            db.execute("COMMIT")
            return post
        finally:
            db.close()

    async def update(self, post: Post) -> None:
        with self._closing() as db:
            db.execute("UPDATE posts SET status = ?, due_at = ?, body = ? WHERE key = ?",
                       self._row(post)[2:] + (post.key,))

    async def get(self, key: str) -> Post | None:
        with self._closing() as db:
            row = db.execute("SELECT body FROM posts WHERE key = ?", (key,)).fetchone()
        return decode_post(row[0]) if row else None

    async def waiting(self, now: datetime) -> list[Post]:
        with self._closing() as db:
            rows = db.execute("SELECT body FROM posts WHERE status IN ('pending', 'sending') AND due_at <= ?",
                              (now.timestamp(),)).fetchall()
        return [post for post in map(decode_post, (row[0] for row in rows)) if post.can_be_taken(now)]

    async def posts(self, limit: int = 200) -> list[Post]:
        with self._closing() as db:
            rows = db.execute("SELECT body FROM posts ORDER BY created_at DESC LIMIT ?", (limit,)).fetchall()
        return [decode_post(row[0]) for row in rows]

    def _closing(self) -> _Closing:
        return _Closing(self._connection())


class _Closing:
    """`with`: the connection, closed after (sqlite3's own `with` commits but never closes)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> sqlite3.Connection:
        return self._db

    def __exit__(self, *exc_info: object) -> None:
        self._db.close()
