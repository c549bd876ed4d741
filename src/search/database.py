"""SearchDatabase: full-text search over the collected records, on SQLite FTS5 (no server).

The schema is the deployment's (messages, messages_fts, archives, search_metadata), versioned by
`PRAGMA user_version` and migrated forward in place; what search quality needs on top of it (a
native id so re-indexing never duplicates, who and where a record is from) comes by migration.

Ranking: BM25 over content and context, among the most recent matches (so a word that is in half
the corpus still answers in milliseconds), then a bonus for the query's words standing in order
and close together.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from src.domain.slack_markup import render_slack_markup
from src.search.sqlite_wal import enter_wal_mode
from src.search.batches import ArchiveEntry, BatchResult, BatchWriter, last_per_native_id
from src.search.checkpoints import BackgroundCheckpoints
from src.search.candidates import Filters, best_candidates, candidate_queries
from src.search.query import ParsedQuery, parse_query
from src.search.ranking import Candidate, TermMatcher, highlight, rerank
from src.search.readers import ReaderPool

SCHEMA_VERSION = 4
RERANKED = 100  # best BM25 candidates that the proximity bonus re-orders (or the page's end, if further)
SNIPPET_SOURCE_CHARS = 12_000  # of a Slack record's text, what its snippet is cut from once rendered
RANKED_CHARS = 20_000  # of a record's text, what ranking reads (more than its WORDS_EXAMINED words)
# Any query over any content answers within a second: candidates are taken for at most
# CANDIDATES_BUDGET_S after the first, then re-ranked for at most RERANK_BUDGET_S (what is not
# reached keeps its BM25 order).
CANDIDATES_BUDGET_S = 0.25
RERANK_BUDGET_S = 0.15
SEARCHES_AT_ONCE = 8  # read connections for searches (each its own, so one costly search holds up no other)
FTS_HASHSIZE = 16 * 2**20  # bytes of pending FTS terms a writer holds in memory before writing them out

_V1 = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    content TEXT NOT NULL,
    source TEXT NOT NULL,
    date TEXT,
    metadata TEXT,
    created_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
    content, content='messages', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS messages_ai AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER IF NOT EXISTS messages_ad AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER IF NOT EXISTS messages_au AFTER UPDATE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TABLE IF NOT EXISTS archives (
    id INTEGER PRIMARY KEY,
    path TEXT UNIQUE NOT NULL,
    source TEXT,
    indexed_at TEXT,
    record_count INTEGER,
    checksum TEXT,
    status TEXT
);
CREATE TABLE IF NOT EXISTS search_metadata (key TEXT PRIMARY KEY, value TEXT);
CREATE INDEX IF NOT EXISTS idx_messages_source ON messages(source);
CREATE INDEX IF NOT EXISTS idx_messages_date ON messages(date);
"""

# v2: a native id per source (re-indexing updates instead of duplicating), and who/where a record
# is from, searchable as a second FTS column beside the content.
_V2 = """
ALTER TABLE messages ADD COLUMN native_id TEXT;
ALTER TABLE messages ADD COLUMN context TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN person TEXT;
ALTER TABLE messages ADD COLUMN channel TEXT;
CREATE UNIQUE INDEX idx_messages_native ON messages(source, native_id);
-- (source, date) serves every lookup the plain source index served, and the filtered ones too;
-- one index fewer to keep up is a tenth of indexing time.
CREATE INDEX idx_messages_source_date ON messages(source, date);
DROP INDEX IF EXISTS idx_messages_source;
DROP TRIGGER IF EXISTS messages_ai;
DROP TRIGGER IF EXISTS messages_ad;
DROP TRIGGER IF EXISTS messages_au;
DROP TABLE IF EXISTS messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5(
    content, context, content='messages', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER messages_ai AFTER INSERT ON messages
WHEN NOT EXISTS (SELECT 1 FROM search_metadata WHERE key = 'bulk_insert') BEGIN
    INSERT INTO messages_fts(rowid, content, context) VALUES (new.id, new.content, new.context);
END;
CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content, context) VALUES ('delete', old.id, old.content, old.context);
END;
CREATE TRIGGER messages_au AFTER UPDATE OF content, context ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content, context) VALUES ('delete', old.id, old.content, old.context);
    INSERT INTO messages_fts(rowid, content, context) VALUES (new.id, new.content, new.context);
END;
INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
INSERT OR REPLACE INTO search_metadata (key, value)
    SELECT 'first_id:' || source, MIN(id) FROM messages GROUP BY source;
"""

# v3: a Slack message's native id is `<conversation id>/<ts>` whichever way it arrived (an export, the
# Web API, a live event: contract section 7); rows indexed before by `client_msg_id` or
# `<channel name>:<ts>` take it, so the next collection replaces them instead of adding a second row.
_V3 = """
UPDATE OR IGNORE messages SET native_id =
    COALESCE(json_extract(metadata, '$.conversation_id'), json_extract(metadata, '$.channel_id'))
    || '/' || json_extract(metadata, '$.ts')
WHERE source = 'slack' AND json_valid(metadata)
    AND json_type(metadata, '$.ts') = 'text'
    AND COALESCE(json_extract(metadata, '$.conversation_id'), json_extract(metadata, '$.channel_id')) IS NOT NULL;
"""

# v4: one date index fewer. (source, date) answers every date filter, a source at a time (see
# _id_ranges), so the deployment's index on date alone only cost writes: one B-tree more per row
# inserted, a seventh of indexing time.
_V4 = """
DROP INDEX IF EXISTS idx_messages_date;
"""

MIGRATIONS = {1: _V1, 2: _V2, 3: _V3, 4: _V4}


class SearchDatabaseError(RuntimeError):
    """The database file cannot be used (missing folder, read-only, not a database)."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    id: int
    content: str
    source: str
    date: str | None
    snippet: str  # HTML: the text escaped, the matching words in <mark>
    score: float
    metadata: dict[str, Any]


class SearchDatabase:
    def __init__(self, db_path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(db_path)
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._writer: sqlite3.Connection | None = None
        self._sources_with_repeats: set[str] = set()  # sources whose rows may replace rows (write_rows)
        try:
            if not read_only:
                if not self.path.parent.is_dir():
                    raise SearchDatabaseError(f"the folder of the search database does not exist: {self.path.parent}")
                self._writer = self._connect(self.path)
                self._migrate()
                # A batch's checkpoint runs beside the writer, not inside its commit (_write_batch).
                self._checkpoints = BackgroundCheckpoints(lambda: self._connect(self.path))
            elif not self.path.exists():
                raise SearchDatabaseError(f"no search database at {self.path}")
            self._reader = self._connect(self.path, read_only=read_only)
            self._searchers = ReaderPool(lambda: self._connect(self.path, read_only=read_only), SEARCHES_AT_ONCE)
        except sqlite3.Error as error:
            raise SearchDatabaseError(f"cannot use the search database at {self.path}: {error}") from error

    def _writable(self) -> sqlite3.Connection:
        if self._writer is None:
            raise SearchDatabaseError(f"{self.path} was opened read-only")
        return self._writer

    @staticmethod
    def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
        uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 5000")
        if not read_only:
            enter_wal_mode(connection)
            connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA cache_size = -16000")  # 16 MB per connection
        return connection

    def close(self) -> None:
        # Under both locks: closing a connection while another thread steps on it crashes the process.
        if hasattr(self, "_searchers"):
            self._searchers.close()
        if hasattr(self, "_checkpoints"):
            self._checkpoints.close()
        with self._write_lock, self._read_lock:
            for name in ("_reader", "_writer"):
                connection = getattr(self, name, None)
                if connection is not None:
                    connection.close()

    # -- schema ---------------------------------------------------------------------------------------

    @staticmethod
    def _stored_version(db: sqlite3.Connection) -> int:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and db.execute("SELECT 1 FROM sqlite_master WHERE name = 'messages'").fetchone():
            return 1  # a deployment file that never set user_version holds the v1 schema
        return version

    def schema_version(self) -> int:
        return self._reader.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        db = self._writable()
        # One step a transaction, the version read again under the write lock: several processes
        # opening a new file together (uvicorn --workers 2) must not apply the same step twice.
        while True:
            db.execute("BEGIN IMMEDIATE")
            try:
                version = self._stored_version(db)
                if version > SCHEMA_VERSION:
                    raise SearchDatabaseError(
                        f"{self.path} has schema version {version}; this version reads up to {SCHEMA_VERSION}")
                if version == SCHEMA_VERSION:
                    db.execute("COMMIT")
                    break
                for statement in _statements(MIGRATIONS[version + 1]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version + 1}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        # FTS5 writes its pending terms out as a new segment whenever they pass 1 MB (its default), so
        # a 10,000-row batch made several segments, merged again later; room for a whole batch makes
        # one, a sixth less FTS insert time (measured). A setting in messages_fts_config, set once.
        if db.execute("SELECT 1 FROM messages_fts_config WHERE k = 'hashsize'").fetchone() is None:
            db.execute("INSERT INTO messages_fts (messages_fts, rank) VALUES ('hashsize', ?)", (FTS_HASHSIZE,))

    # -- indexing -------------------------------------------------------------------------------------

    def index_records_batch(self, records: Sequence[Any], source: str, batch_size: int = 10_000) -> BatchResult:
        """Indexes `records` from `source`, `batch_size` at a time, each batch one transaction. A record
        that cannot be indexed is counted and reported with its reason; it never fails the batch.
        Records that do not come in date order go in sorted by date across the call (see
        BatchWriter._hold_or_write). (Many small files at once: `batch_writer`.)"""
        with BatchWriter(self.write_rows, source, batch_size, in_date_order=True) as writer:
            writer.add(records)
        return writer.result

    def batch_writer(self, source: str, batch_size: int = 10_000,
                     on_written: Callable[[], None] | None = None) -> BatchWriter:
        """Records from many files in shared batches, each file's `archives` row with its records;
        `on_written()` is called as rows reach the index (from the writer thread)."""
        return BatchWriter(self.write_rows, source, batch_size, on_written)

    def write_rows(self, rows: list[tuple], archives: Sequence[ArchiveEntry], source: str,
                   on_progress: Callable[[int], None] | None = None) -> None:
        """One batch, one transaction, with the `archives` rows of the files it completes;
        `on_progress(rows written so far)` is called every few thousand rows; its last call (all
        rows) comes once only the FTS insert and the commit are left, two long statements that run
        without the GIL (BatchWriter times its Python work by it). New rows reach the FTS index in
        one INSERT ... SELECT at the end instead of one trigger call each (3.6 times faster,
        measured): the insert trigger stands aside while the `bulk_insert` marker exists, which no
        other connection ever sees, since it is removed before the commit. Rows that already existed
        are updated through the update trigger as usual."""
        if not rows and not archives:
            return
        rows = last_per_native_id(rows)  # a record twice in a batch: keep its last version
        if on_progress is not None:
            on_progress = _never_going_back(on_progress)  # a batch written again reports nothing twice
        with self._write_lock:
            db = self._writable()
            # Rows of a source that this process never saw indexed again go in by a plain INSERT, a
            # sixth cheaper than the upsert (7.1 against 8.8 µs a row, measured); the first repeat
            # of a native id undoes the transaction, which is written again by upsert, as every later
            # batch of that source is. (Not a savepoint around the rows: SQLite then copies every
            # page they touch to a journal of its own, five times the bytes written.)
            if source not in self._sources_with_repeats:
                try:
                    self._write_batch(db, rows, archives, source, on_progress, _INSERT_MESSAGE)
                    return
                except sqlite3.IntegrityError:  # a native id indexed before: these rows replace some
                    self._sources_with_repeats.add(source)
            self._write_batch(db, rows, archives, source, on_progress, _UPSERT_MESSAGE)

    def _write_batch(self, db: sqlite3.Connection, rows: list[tuple], archives: Sequence[ArchiveEntry],
                     source: str, on_progress: Callable[[int], None] | None, insert: str) -> None:
        self._checkpoints.before_writing()
        checkpoint_apart = len(rows) >= _CHECKPOINT_APART_ROWS
        if checkpoint_apart:  # this commit leaves the log to the checkpoints thread
            db.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            self._write_transaction(db, rows, archives, source, on_progress, insert)
        finally:
            if checkpoint_apart:
                db.execute(f"PRAGMA wal_autocheckpoint = {_SQLITE_AUTOCHECKPOINT_PAGES}")
        if checkpoint_apart:
            self._checkpoints.committed()

    @staticmethod
    def _write_transaction(db: sqlite3.Connection, rows: list[tuple], archives: Sequence[ArchiveEntry],
                           source: str, on_progress: Callable[[int], None] | None, insert: str) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            last_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM messages").fetchone()[0]
            db.execute("INSERT INTO search_metadata (key, value) VALUES ('bulk_insert', '1')")
            _execute_in_steps(db, insert, rows, on_progress)
            db.execute("DELETE FROM search_metadata WHERE key = 'bulk_insert'")
            # The first id of each source, for filters (see _id_ranges); the earliest one stays.
            # The new rows of a source are found from the rowid (`+source`: not by an index on
            # source, which would visit all its rows).
            for row_source in {row[1] for row in rows}:
                db.execute("INSERT OR IGNORE INTO search_metadata (key, value) SELECT ?, id FROM messages "
                           "WHERE id > ? AND +source = ? ORDER BY id LIMIT 1",
                           (f"first_id:{row_source}", last_id, row_source))
            db.executemany(_UPSERT_ARCHIVE, [(a.path, source, a.record_count, a.checksum, a.status)
                                             for a in archives])
            if on_progress is not None and rows:
                on_progress(len(rows))
            db.execute("INSERT INTO messages_fts (rowid, content, context) "
                       "SELECT id, content, context FROM messages WHERE id > ?", (last_id,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def remove_records(self, source: str, native_ids: Sequence[str]) -> int:
        """Removes the records of `source` with these native ids (an event or a Slack message deleted
        at its source); the delete trigger takes them out of the full-text index. Answers how many
        there were; ids not in the index are ignored."""
        if not native_ids:
            return 0
        with self._write_lock:
            db = self._writable()
            db.execute("BEGIN IMMEDIATE")
            try:
                # rowcount, not total_changes: the delete trigger's FTS changes are not records
                removed = db.executemany("DELETE FROM messages WHERE source = ? AND native_id = ?",
                                         [(source, native_id) for native_id in native_ids]).rowcount
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return removed

    def archive_checksums(self, source: str) -> dict[str, str]:
        """{path: checksum} of the files of `source` indexed whole, to skip the unchanged ones."""
        with self._read_lock:
            return dict(self._reader.execute(
                "SELECT path, checksum FROM archives WHERE source = ? AND status = 'indexed'", (source,)))

    def record_archive(self, path: str, source: str, record_count: int, checksum: str, status: str) -> None:
        with self._write_lock:
            self._writable().execute(_UPSERT_ARCHIVE, (path, source, record_count, checksum, status))

    # -- searching ------------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        source: str | None = None,
        date_range: tuple[str | None, str | None] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[SearchResult]:
        """Records matching a person's words, best first. Never raises on odd input: text that holds
        nothing searchable finds nothing. Bounded in time whatever the query and the content (see
        CANDIDATES_BUDGET_S): candidates, then ranking, then loading the page."""
        parsed = parse_query(query)
        if not parsed.match or limit <= 0:
            return []
        wanted = max(RERANKED, offset + limit)
        since, until = date_range or (None, None)
        with self._searchers.connection() as reader:
            candidates = _candidates(reader, parsed.match, Filters.of(source, since, until), wanted,
                                     CANDIDATES_BUDGET_S)
            texts = _texts_to_rank(reader, [record_id for record_id, _ in candidates])
            ranked = rerank([Candidate(record_id, bm25, texts[record_id]) for record_id, bm25 in candidates
                             if record_id in texts], parsed, deadline=time.monotonic() + RERANK_BUDGET_S)
            return _load_page(reader, ranked[offset: offset + limit], parsed)

    def get_stats(self) -> dict[str, Any]:
        with self._read_lock:
            by_source = dict(self._reader.execute("SELECT source, COUNT(*) FROM messages GROUP BY source"))
            archives = self._reader.execute("SELECT COUNT(*) FROM archives").fetchone()[0]
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return {
            "total": sum(by_source.values()), "by_source": by_source, "archives": archives,
            "size_bytes": size, "schema_version": SCHEMA_VERSION,
        }


_ROWS_PER_STEP = 2_000  # a progress call about every 0.1 s while a batch is written
# A batch this large is checkpointed by BackgroundCheckpoints after its commit; smaller writes (a live
# event, a file's archive row) leave it to SQLite, which checkpoints once the log passes 1,000 pages,
# rather than start a checkpoint, and its syncs, after every commit.
_CHECKPOINT_APART_ROWS = 1_000
_SQLITE_AUTOCHECKPOINT_PAGES = 1_000  # SQLite's default
_INSERT_MESSAGE = """
    INSERT INTO messages (content, source, date, metadata, native_id, context, person, channel)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)"""
_UPSERT_MESSAGE = _INSERT_MESSAGE + """
    ON CONFLICT (source, native_id) DO UPDATE SET
        content = excluded.content, date = excluded.date, metadata = excluded.metadata,
        context = excluded.context, person = excluded.person, channel = excluded.channel"""
_UPSERT_ARCHIVE = """
    INSERT INTO archives (path, source, indexed_at, record_count, checksum, status)
    VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?)
    ON CONFLICT (path) DO UPDATE SET source = excluded.source, indexed_at = excluded.indexed_at,
        record_count = excluded.record_count, checksum = excluded.checksum, status = excluded.status"""


def _execute_in_steps(db: sqlite3.Connection, statement: str, rows: list[tuple],
                      on_progress: Callable[[int], None] | None) -> None:
    for start in range(0, len(rows), _ROWS_PER_STEP):
        db.executemany(statement, rows[start:start + _ROWS_PER_STEP])
        if on_progress is not None and start + _ROWS_PER_STEP < len(rows):
            on_progress(start + _ROWS_PER_STEP)


def _never_going_back(on_progress: Callable[[int], None]) -> Callable[[int], None]:
    reported = 0

    def progress(rows_written: int) -> None:
        nonlocal reported
        if rows_written > reported:
            reported = rows_written
            on_progress(rows_written)

    return progress


def _candidates(reader: sqlite3.Connection, match: str, filters: Filters, wanted: int,
                budget_s: float) -> list[tuple[int, float]]:
    """(id, bm25) of the `wanted` best candidates, best first."""
    ranges = _id_ranges(reader, filters) if filters.conditions else []
    if filters.conditions and not ranges:
        return []
    return best_candidates(reader, candidate_queries(match, filters, ranges), wanted, budget_s)


def _id_ranges(reader: sqlite3.Connection, filters: Filters) -> list[tuple[int, int]]:
    """Id ranges that hold every row passing `filters` (one per source; wider is fine, the join
    is exact). A source alone: from its first id, recorded as it was indexed, to the last id of
    the table (rows other writers add only come later). With dates, the rows of the period, looked
    up source by source in the (source, date) index: the filter's source, or every source indexed."""
    if filters.source_only:
        recorded = reader.execute(
            "SELECT value FROM search_metadata WHERE key = ?", (f"first_id:{filters.source}",)).fetchone()
        last = reader.execute("SELECT MAX(id) FROM messages").fetchone()[0]
        return [] if last is None else [(int(recorded[0]) if recorded else 1, last)]
    sources = [filters.source] if filters.source else _indexed_sources(reader)
    period = " AND ".join(filters.date_conditions)
    ranges = []
    for source in sources:
        low, high = reader.execute(f"SELECT MIN(id), MAX(id) FROM messages WHERE source = ? AND {period}",
                                   (source, *filters.date_values)).fetchone()
        if low is not None:
            ranges.append((low, high))
    return ranges


def _indexed_sources(reader: sqlite3.Connection) -> list[str]:
    """Every source with records: each has its first id recorded as it was first indexed."""
    return [key.removeprefix("first_id:") for (key,) in reader.execute(
        "SELECT key FROM search_metadata WHERE key LIKE 'first_id:%'")]


def _texts_to_rank(reader: sqlite3.Connection, ids: list[int]) -> dict[int, str]:
    """The beginning of each record's text: all that ranking looks at (a record may hold 100,000
    characters; a page of them is enough to see whether the words stand together)."""
    if not ids:
        return {}
    return dict(reader.execute(
        f"SELECT id, substr(content, 1, {RANKED_CHARS}) FROM messages WHERE id IN ({','.join('?' * len(ids))})",
        ids))


def _load_page(reader: sqlite3.Connection, ranked: list[tuple[float, int]], parsed: ParsedQuery) -> list[SearchResult]:
    if not ranked:
        return []
    rows = {row[0]: row for row in reader.execute(
        f"SELECT id, content, source, date, metadata FROM messages WHERE id IN ({','.join('?' * len(ranked))})",
        [record_id for _, record_id in ranked])}
    matcher = TermMatcher(parsed.terms)
    page = []
    for relevance, record_id in ranked:
        if record_id not in rows:
            continue  # deleted since it was ranked
        _, content, record_source, record_date, metadata = rows[record_id]
        shown = _as_read(content, record_source)
        page.append(SearchResult(record_id, content, record_source, record_date,
                                 highlight(shown, parsed.terms, matcher=matcher), round(relevance, 4),
                                 _parse_metadata(metadata)))
    return page


def _as_read(content: str, source: str) -> str:
    """The text a snippet is cut from: a Slack message as Slack shows it (links as their label,
    `&lt;` as `<`), so the snippet never shows markup. Only the opening is rendered: highlighting
    reads the first WORDS_EXAMINED words, which a message's first SNIPPET_SOURCE_CHARS characters
    hold unless its words are very long (a page of 100 markup-heavy hits costs under 0.1 s)."""
    if source != "slack":
        return content
    return render_slack_markup(content[:SNIPPET_SOURCE_CHARS])


def _statements(script: str) -> Iterable[str]:
    """The statements of a migration script; trigger bodies keep their inner semicolons."""
    buffer = ""
    for line in script.strip().splitlines():
        buffer += line + "\n"
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""


def _parse_metadata(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {"value": value}
