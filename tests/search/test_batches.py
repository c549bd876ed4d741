"""Batches of records from many files: each file counts as indexed only with all of its records."""

import sqlite3

import pytest

from src.search.batches import ArchiveEntry


def archives(db):
    return dict(db._reader.execute("SELECT path, record_count FROM archives"))


def day(name, count):
    return [{"ts": f"17640648{n:02d}.0001", "text": f"{name} message {n}", "channel_name": name} for n in range(count)]


def test_records_of_many_files_share_batches_and_every_file_is_recorded(db):
    with db.batch_writer("slack", batch_size=5) as writer:
        for name in ("a", "b", "c"):
            writer.add(day(name, 3), ArchiveEntry(f"{name}.json", "sum", 3))
        writer.add([], ArchiveEntry("joins-only.json", "sum", 0))
    assert writer.result.indexed == 9 and db.get_stats()["total"] == 9
    assert archives(db) == {"a.json": 3, "b.json": 3, "c.json": 3, "joins-only.json": 0}
    assert db.archive_checksums("slack") == {path: "sum" for path in archives(db)}


def test_a_failed_batch_leaves_no_trace_and_its_files_are_not_marked_indexed(db, monkeypatch):
    real_write = db.write_rows
    calls = []

    def fail_second_batch(rows, files, source, on_progress=None):
        calls.append(len(rows))
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        real_write(rows, files, source, on_progress)

    monkeypatch.setattr(db, "write_rows", fail_second_batch)
    with pytest.raises(sqlite3.OperationalError):
        with db.batch_writer("slack", batch_size=4) as writer:
            writer.add(day("a", 4), ArchiveEntry("a.json", "sum", 4))  # batch 1: a whole
            writer.add(day("b", 2), ArchiveEntry("b.json", "sum", 2))
            writer.add(day("c", 2), ArchiveEntry("c.json", "sum", 2))  # batch 2: b and c, fails
            writer.add(day("d", 1), ArchiveEntry("d.json", "sum", 1))
    assert archives(db) == {"a.json": 4}
    assert db.get_stats()["total"] == 4


def test_a_file_split_across_batches_is_marked_with_its_last_records(db):
    seen_files = []
    real_write = db.write_rows

    def spy(rows, files, source, on_progress=None):
        seen_files.append((len(rows), [f.path for f in files]))
        real_write(rows, files, source, on_progress)

    db.write_rows = spy
    with db.batch_writer("slack", batch_size=4) as writer:
        writer.add(day("a", 2), ArchiveEntry("a.json", "sum", 2))
        writer.add(day("b", 7), ArchiveEntry("b.json", "sum", 7))
    assert seen_files == [(4, ["a.json"]), (4, []), (1, ["b.json"])]


def test_progress_is_told_as_rows_reach_the_index(db):
    told = []
    with db.batch_writer("slack", batch_size=3, on_written=lambda: told.append(writer.written)) as writer:
        writer.add(day("a", 7))
    assert told == [3, 6, 7]


def test_failures_are_reported_with_their_position_among_everything_added(db):
    with db.batch_writer("slack", batch_size=2) as writer:
        writer.add(day("a", 3))
        writer.add([{"ts": "1"}, *day("b", 1)])
    assert writer.result.indexed == 4 and [f["index"] for f in writer.result.failures] == [3]


def test_a_record_repeated_in_a_batch_keeps_its_last_version_even_when_it_is_dated_earlier(db):
    with db.batch_writer("slack", batch_size=10) as writer:
        writer.add([{"client_msg_id": "m1", "ts": "1764064900", "text": "first draft"},
                    {"client_msg_id": "m2", "ts": "1764064000", "text": "other note"},
                    {"client_msg_id": "m1", "ts": "1764064100", "text": "final version"}])
    assert [r.content for r in db.search("final")] == ["final version"] and db.search("draft") == []
    assert db.get_stats()["total"] == 2


def test_records_that_wait_for_the_end_are_prepared_while_the_batch_before_commits(monkeypatch):
    """Records handed over out of date order: each batch's rows are built while the writer
    commits the one before it, not all of them before anything is written."""
    import random
    import threading

    from src.search import batches
    from src.search.batches import BatchWriter

    real_index_row = batches.index_row
    prepared = threading.Event()

    def index_row(record, source, *args, **kwargs):
        prepared.set()
        return real_index_row(record, source, *args, **kwargs)

    commits_overlapped = []

    def write_rows(rows, archives, source, on_progress=None):
        prepared.clear()
        if on_progress is not None:
            on_progress(len(rows))  # the rows are in: only the FTS insert and the commit are left
        if len(commits_overlapped) < 3:  # the last of the 4 batches has nothing after it
            commits_overlapped.append(prepared.wait(timeout=5))

    monkeypatch.setattr(batches, "index_row", index_row)
    records = random.Random(8).sample(day("a", 40), 40)
    with BatchWriter(write_rows, "slack", batch_size=10, in_date_order=True) as writer:
        writer.add(records)
    assert writer.result.indexed == 40
    assert commits_overlapped == [True] * 3
