"""A `ConversationStore` in SQLite (`AICOS_DATA_DIR/conversations.db`): Slack as it arrived from an
export, the Web API's backfill and live events, one row per message keyed by conversation and `ts`.

A file of its own, like people.db: the search database's schema is the deployment's. WAL, so the
reader's `workspace()` never waits on a writer; the blocking calls run in worker threads. Whether an
arriving copy replaces the kept one is decided in the upsert itself (its edit time against the kept
one's, and no tombstone for it), so writers from several processes cannot undo each other.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Callable, TypeVar

from src.domain.conversations import (
    ChatMessage,
    Conversation,
    Workspace,
    WorkspaceUser,
    concerns,
    edit_time,
    is_private_to,
)
from src.domain.items import Person
from src.search.sqlite_wal import enter_wal_mode

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT, handles TEXT NOT NULL, title TEXT);
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, members TEXT NOT NULL, permalink_base TEXT);
CREATE TABLE IF NOT EXISTS messages (
    conversation TEXT NOT NULL, ts TEXT NOT NULL, sent REAL NOT NULL, written REAL NOT NULL,
    user TEXT, author TEXT NOT NULL, text TEXT NOT NULL, thread_ts TEXT, is_bot INTEGER NOT NULL,
    files TEXT, edited TEXT,
    PRIMARY KEY (conversation, ts)
) WITHOUT ROWID;
-- A thread's replies and a DM's exchange around a moment, for briefs (`excerpts`), without a scan.
CREATE INDEX IF NOT EXISTS messages_by_thread ON messages (conversation, thread_ts);
CREATE INDEX IF NOT EXISTS messages_by_time ON messages (conversation, sent);
CREATE TABLE IF NOT EXISTS deleted (conversation TEXT NOT NULL, ts TEXT NOT NULL, PRIMARY KEY (conversation, ts))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cursors (conversation TEXT PRIMARY KEY, cursor TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS party_conversations (id TEXT PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS party_threads (conversation TEXT, thread TEXT, PRIMARY KEY (conversation, thread));
"""

# `written`: the edit time. A copy replaces the kept one when it is at least as new and differs;
# a message deleted before is never put back (the SELECT's WHERE; it also lets SQLite parse the
# ON CONFLICT clause after a SELECT).
_PUT_MESSAGE = """
INSERT INTO messages (conversation, ts, sent, written, user, author, text, thread_ts, is_bot, files, edited)
SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
WHERE NOT EXISTS (SELECT 1 FROM deleted WHERE deleted.conversation = ?1 AND deleted.ts = ?2)
ON CONFLICT (conversation, ts) DO UPDATE SET
    written = excluded.written, user = excluded.user, author = excluded.author, text = excluded.text,
    thread_ts = excluded.thread_ts, is_bot = excluded.is_bot, files = excluded.files, edited = excluded.edited
WHERE excluded.written >= messages.written AND (
    excluded.text IS NOT messages.text OR excluded.author IS NOT messages.author OR excluded.user IS NOT messages.user
    OR excluded.thread_ts IS NOT messages.thread_ts OR excluded.is_bot IS NOT messages.is_bot
    OR excluded.files IS NOT messages.files OR excluded.edited IS NOT messages.edited)
"""
_MESSAGE_COLUMNS = "conversation, ts, user, author, text, thread_ts, is_bot, files, edited"


def _row(conversation_id: str, message: ChatMessage) -> tuple:
    return (conversation_id, message.ts, float(message.ts), edit_time(message), message.user, message.author,
            message.text, message.thread_ts, int(message.is_bot),
            json.dumps(message.files) if message.files else None, message.edited)


def _message(row: tuple) -> ChatMessage:
    _, ts, user, author, text, thread_ts, is_bot, files, edited = row
    return ChatMessage(ts, user, author, text, thread_ts, bool(is_bot), tuple(json.loads(files)) if files else (),
                       edited)


# Columns added after the first stores were written: (table, column, its declaration).
_LATER_COLUMNS = (("users", "title", "TEXT"), ("conversations", "permalink_base", "TEXT"))


def _add_missing_columns(db: sqlite3.Connection) -> None:
    for table, column, declaration in _LATER_COLUMNS:
        if column not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")


class SqliteConversations:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()  # one connection, used from worker threads one at a time
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA busy_timeout = 5000")
        enter_wal_mode(self._db)
        self._db.execute("PRAGMA synchronous = NORMAL")
        with self._lock:
            self._db.executescript(_SCHEMA)
            _add_missing_columns(self._db)
        # Briefs read excerpts on a connection of their own: in WAL mode a reader never waits for a
        # collection writing a big batch, nor does it queue behind it on the writer's lock.
        self._read_lock = threading.Lock()
        self._reader = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._reader.execute("PRAGMA busy_timeout = 5000")

    def close(self) -> None:
        with self._read_lock:
            self._reader.close()
        with self._lock:
            self._db.close()

    def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work(db)` in one transaction, under the lock."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                result = work(self._db)
                self._db.execute("COMMIT")
                return result
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    async def put_users(self, users: Sequence[WorkspaceUser]) -> None:
        rows = [(u.id, u.name, u.email, json.dumps(u.handles), u.title) for u in users]
        await asyncio.to_thread(self._write, lambda db: db.executemany(
            "INSERT OR REPLACE INTO users (id, name, email, handles, title) VALUES (?, ?, ?, ?, ?)", rows))

    async def put_conversation(self, conversation: Conversation) -> None:
        row = (conversation.id, conversation.name, conversation.kind, json.dumps(conversation.members),
               conversation.permalink_base)
        await asyncio.to_thread(self._write, lambda db: db.execute(
            "INSERT OR REPLACE INTO conversations (id, name, kind, members, permalink_base) VALUES (?, ?, ?, ?, ?)",
            row))

    async def put_messages(self, conversation_id: str, messages: Sequence[ChatMessage]) -> int:
        return await asyncio.to_thread(self.put_messages_now, conversation_id, messages)

    def put_messages_now(self, conversation_id: str, messages: Sequence[ChatMessage]) -> int:
        """`put_messages` in the calling thread (a collector already in a worker thread)."""
        rows = [_row(conversation_id, message) for message in messages]

        def put(db: sqlite3.Connection) -> int:
            before = db.total_changes
            db.executemany(_PUT_MESSAGE, rows)
            return db.total_changes - before

        return self._write(put)

    async def delete_message(self, conversation_id: str, ts: str) -> bool:
        def delete(db: sqlite3.Connection) -> bool:
            db.execute("INSERT OR IGNORE INTO deleted (conversation, ts) VALUES (?, ?)", (conversation_id, ts))
            return db.execute("DELETE FROM messages WHERE conversation = ? AND ts = ?",
                              (conversation_id, ts)).rowcount > 0

        return await asyncio.to_thread(self._write, delete)

    async def delete_absent(self, conversation_id: str, first_ts: str, last_ts: str,
                            present: Collection[str]) -> list[str]:
        kept = set(present)

        def delete(db: sqlite3.Connection) -> list[str]:
            found = [ts for (ts,) in db.execute(
                "SELECT ts FROM messages WHERE conversation = ? AND sent BETWEEN ? AND ? ORDER BY sent",
                (conversation_id, float(first_ts), float(last_ts)))]
            gone = [ts for ts in found if ts not in kept]
            db.executemany("INSERT OR IGNORE INTO deleted (conversation, ts) VALUES (?, ?)",
                           [(conversation_id, ts) for ts in gone])
            db.executemany("DELETE FROM messages WHERE conversation = ? AND ts = ?",
                           [(conversation_id, ts) for ts in gone])
            return gone

        return await asyncio.to_thread(self._write, delete)

    async def cursor(self, conversation_id: str) -> str | None:
        def read() -> str | None:
            with self._lock:
                row = self._db.execute("SELECT cursor FROM cursors WHERE conversation = ?", (conversation_id,)).fetchone()
            return row[0] if row else None

        return await asyncio.to_thread(read)

    async def set_cursor(self, conversation_id: str, cursor: str) -> None:
        await asyncio.to_thread(self._write, lambda db: db.execute(
            "INSERT OR REPLACE INTO cursors (conversation, cursor) VALUES (?, ?)", (conversation_id, cursor)))

    async def excerpts(self, threads: Collection[tuple[str, str]], around: Collection[tuple[str, str]] = (),
                       within_s: float = 0.0) -> Workspace:
        return await asyncio.to_thread(self._excerpts, list(dict.fromkeys(threads)), list(dict.fromkeys(around)),
                                       within_s)

    def _excerpts(self, threads: list[tuple[str, str]], around: list[tuple[str, str]], within_s: float) -> Workspace:
        picked: dict[str, dict[str, ChatMessage]] = {}
        with self._read_lock:
            db = self._reader
            db.execute("BEGIN")  # one snapshot
            try:
                users = tuple(WorkspaceUser(id_, name, email, tuple(json.loads(handles)), title)
                              for id_, name, email, handles, title
                              in db.execute("SELECT id, name, email, handles, title FROM users"))
                found = [row for conversation_id, root in threads for row in db.execute(
                    f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation = ? AND ts = ? UNION ALL "
                    f"SELECT {_MESSAGE_COLUMNS} FROM messages INDEXED BY messages_by_thread "  # SQLite would scan the channel
                    "WHERE conversation = ? AND thread_ts = ? AND ts != ?",
                    (conversation_id, root, conversation_id, root, root))]
                found += [row for conversation_id, ts in around for row in db.execute(
                    f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation = ? AND sent BETWEEN ? AND ?",
                    (conversation_id, float(ts) - within_s, float(ts) + within_s))]
                for row in found:
                    picked.setdefault(row[0], {})[row[1]] = _message(row)
                headers = {row[0]: row for row in db.execute(
                    f"SELECT id, name, kind, members, permalink_base FROM conversations WHERE id IN "
                    f"({','.join('?' * len(picked))})", list(picked))} if picked else {}
            finally:
                db.execute("COMMIT")
        conversations = []
        for conversation_id, messages in picked.items():
            header = headers.get(conversation_id)
            name, kind, members, link_base = (header[1], header[2], tuple(json.loads(header[3])), header[4]) \
                if header else (conversation_id, "channel", (), None)
            ordered = tuple(sorted(messages.values(), key=lambda m: float(m.ts)))
            conversations.append(Conversation(conversation_id, name, kind, members, ordered, link_base))
        return Workspace(users, tuple(conversations))

    async def workspace(self, conversation_ids: Collection[str] | None = None,
                        party: Person | None = None) -> Workspace:
        wanted = None if conversation_ids is None else list(dict.fromkeys(conversation_ids))
        return await asyncio.to_thread(self._workspace, wanted, party)

    def _workspace(self, wanted: list[str] | None, party: Person | None) -> Workspace:
        with self._lock:
            db = self._db
            db.execute("BEGIN")  # one snapshot: users, headers and messages as of the same moment
            try:
                users = tuple(WorkspaceUser(id_, name, email, tuple(json.loads(handles)), title)
                              for id_, name, email, handles, title
                              in db.execute("SELECT id, name, email, handles, title FROM users"))
                headers = {row[0]: row for row in db.execute(
                    "SELECT id, name, kind, members, permalink_base FROM conversations")}
                among, values = "", []
                if wanted is not None:
                    among, values = f"conversation IN ({','.join('?' * len(wanted))})", list(wanted)
                if party is not None:
                    among = (f"{among} AND " if among else "") + self._party_messages(db, party, users, headers, among,
                                                                                      values)
                rows = db.execute(f"SELECT {_MESSAGE_COLUMNS} FROM messages {'WHERE ' + among if among else ''} "
                                  "ORDER BY conversation, sent", values)
                by_conversation: dict[str, list[ChatMessage]] = {}
                for row in rows:
                    by_conversation.setdefault(row[0], []).append(_message(row))
            finally:
                db.execute("COMMIT")
        if wanted is not None:
            for conversation_id in wanted:
                if conversation_id in headers:
                    by_conversation.setdefault(conversation_id, [])
        conversations = []
        for conversation_id, messages in by_conversation.items():
            header = headers.get(conversation_id)
            name, kind, members, link_base = (header[1], header[2], tuple(json.loads(header[3])), header[4]) \
                if header else (conversation_id, "channel", (), None)
            conversations.append(Conversation(conversation_id, name, kind, members, tuple(messages), link_base))
        return Workspace(users, tuple(conversations))

    @staticmethod
    def _party_messages(db: sqlite3.Connection, party: Person, users: tuple[WorkspaceUser, ...],
                        headers: dict[str, tuple], among: str, values: list[str]) -> str:
        """Fills the temp tables with the person's private conversations and the threads that concern
        them; answers the condition that keeps only their messages. The person's own messages are found
        by SQL with a cheap test (`is_me`, an @ in the text), and only those rows become Python objects."""
        known = Workspace(users, ())
        db.execute("DELETE FROM party_conversations")
        db.execute("DELETE FROM party_threads")
        db.executemany("INSERT INTO party_conversations (id) VALUES (?)", [
            (id_,) for id_, name, kind, members, _ in headers.values()
            if is_private_to(party, known, Conversation(id_, name, kind, tuple(json.loads(members)), ()))])
        if not party.identities:  # no one: nothing concerns them (a use case wanting headers and users only)
            return "0"
        db.create_function("is_me", 1, party.is_me, deterministic=True)
        candidates = db.execute(
            "SELECT conversation, COALESCE(thread_ts, ts), user, author, text FROM messages WHERE "
            + (f"{among} AND " if among else "") + "(instr(text, '@') > 0 OR is_me(user) OR is_me(author))", values)
        db.executemany("INSERT OR IGNORE INTO party_threads (conversation, thread) VALUES (?, ?)", [
            (conversation, thread) for conversation, thread, user, author, text in candidates
            if concerns(party, user, author, text)])
        return ("(conversation IN (SELECT id FROM party_conversations) OR EXISTS (SELECT 1 FROM party_threads t "
                "WHERE t.conversation = messages.conversation AND t.thread = COALESCE(messages.thread_ts, messages.ts)))")
