"""BackgroundCheckpoints on real SQLite files: the log is copied back beside the writer and stays bounded."""

import sqlite3
import time

from src.search.checkpoints import BackgroundCheckpoints

PAGE = 4096
FRAME = PAGE + 24  # a WAL frame: the page and its header


def connect(path):
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def writer(path):
    connection = connect(path)
    connection.execute("PRAGMA wal_autocheckpoint = 0")  # as the search writer: never checkpoints itself
    connection.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)")
    return connection


def write_batches(connection, checkpoints, batches, rows=40):
    for batch in range(batches):
        checkpoints.before_writing()
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany("INSERT INTO notes (body) VALUES (?)", [(f"{batch}:{n} " + "x" * 2_000,) for n in range(rows)])
        connection.execute("COMMIT")
        checkpoints.committed()


def test_a_long_load_keeps_the_log_bounded_and_loses_nothing(tmp_path):
    path = tmp_path / "notes.db"
    connection = writer(path)
    checkpoints = BackgroundCheckpoints(lambda: connect(path), max_log_frames=200)
    write_batches(connection, checkpoints, batches=80)  # each about 25 pages: 2,000 frames in all
    checkpoints.close()
    # Bounded by the limit and the batches written while the checkpoint caught up (a few), not by
    # all 2,000 frames that went through the log.
    assert (tmp_path / "notes.db-wal").stat().st_size < 600 * FRAME
    assert connection.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 80 * 40
    connection.close()
    reopened = sqlite3.connect(path)
    assert reopened.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 80 * 40


def test_the_log_is_copied_back_by_the_checkpoints_thread_not_by_the_writer(tmp_path):
    path = tmp_path / "notes.db"
    connection = writer(path)
    checkpoints = BackgroundCheckpoints(lambda: connect(path))
    before = path.stat().st_size
    write_batches(connection, checkpoints, batches=5)
    deadline = time.monotonic() + 10
    written = 5 * 40 * 2_000
    while path.stat().st_size < before + written and time.monotonic() < deadline:
        time.sleep(0.01)
    assert path.stat().st_size >= before + written  # the rows reached the database file
    checkpoints.close()
    connection.close()


def test_closing_stops_the_thread_and_later_commits_start_nothing(tmp_path):
    path = tmp_path / "notes.db"
    connection = writer(path)
    checkpoints = BackgroundCheckpoints(lambda: connect(path), max_log_frames=1)
    write_batches(connection, checkpoints, batches=2)
    checkpoints.close()
    assert checkpoints._thread is not None and not checkpoints._thread.is_alive()
    write_batches(connection, checkpoints, batches=2)  # the writer never waits on a closed one
    assert connection.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 4 * 40
    connection.close()


def test_a_large_batch_is_checkpointed_by_the_thread_and_a_small_write_by_sqlite_as_before(tmp_path):
    from src.search.database import SearchDatabase

    database = SearchDatabase(tmp_path / "search.db")
    database.index_records_batch([{"ts": "1764064800.000100", "text": "a live message"}], "slack")
    assert database._checkpoints._thread is None  # a live event starts no checkpoint (and no sync) of its own
    database.index_records_batch([{"ts": f"1764064900.{n:06d}", "text": f"exported {n}"} for n in range(1_500)],
                                 "slack")
    assert database._checkpoints._thread is not None
    assert database._writer.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1_000  # set back after it
    assert len(database.search("exported", limit=2_000)) == 1_500
    database.close()
