"""Writing records to the index in batches, from one list or from many small files.

A Slack export holds one file per channel and day: 85,000 files of a few messages each for 340,000
messages. One transaction per file spends the time on commits; here records from many files share
a batch (one transaction), and each file's row in `archives` is written in the transaction that
holds its last records, so a file is marked indexed only once all of it is in. Rows are prepared
in the caller's thread while the previous batch is written in a worker thread, so reading files
and writing the index overlap. The overlap is timed: the rows go in one `executemany` step per row,
each taking the GIL back, so Python in the caller's thread then would leave the writer waiting for
the GIL at every row (a switch interval, 5 ms, each: both threads ran one after the other, no
faster than in one thread). The caller waits while a batch's rows go in and works while its FTS
insert and commit run, two long statements without the GIL (about 60% of the writing time).
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from src.search.records import RecordIdentity, UnusableRecord, index_row, record_identity

_UNUSABLE = (UnusableRecord, TypeError, ValueError)  # a record's failure, reported; never the batch's


class BatchResult(dict[str, Any]):
    """What a batch did: the dict the deployment's `index_records_batch` always returned
    ({"indexed", "errors", "error_details"}: its callers index it and store it as JSON), with
    attribute names for this code. `error_details` holds the first 100 failures, {"index", "reason"}."""

    def __init__(self) -> None:
        super().__init__(indexed=0, errors=0, error_details=[])

    @property
    def indexed(self) -> int:
        return self["indexed"]

    @indexed.setter
    def indexed(self, count: int) -> None:
        self["indexed"] = count

    @property
    def failed(self) -> int:
        return self["errors"]

    @property
    def failures(self) -> list[dict[str, Any]]:
        return self["error_details"]

    def add_failure(self, index: int, reason: str) -> None:
        self["errors"] += 1
        if len(self.failures) < 100:
            self.failures.append({"index": index, "reason": reason})

    def add_late_failures(self, failures: list[tuple[int, str]]) -> None:
        """Failures found after later records' ones (held records, at the end), as (index, reason):
        the details still hold the first 100 by position. Those already detailed are the first
        of theirs, so the first 100 of them with these are the first 100 of all."""
        self["errors"] += len(failures)
        detailed = [(failure["index"], failure["reason"]) for failure in self.failures] + failures
        self["error_details"] = [{"index": index, "reason": reason}
                                 for index, reason in sorted(detailed, key=operator.itemgetter(0))[:100]]


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """A file's row in `archives`: written with the file's records."""

    path: str
    checksum: str
    record_count: int
    status: str = "indexed"


def prepare_rows(records: Sequence[Any], first_index: int, source: str, result: BatchResult,
                 positions: list[int] | None = None) -> list[tuple]:
    """The rows to store for `records`; the ones that cannot be indexed go to `result` with why.
    `positions`, when given, gets each row's position among all records (as `first_index` counts)."""
    rows = []
    for offset, record in enumerate(records):
        try:
            rows.append(_row(record, source))
        except _UNUSABLE as error:
            result.add_failure(first_index + offset, str(error))
            continue
        if positions is not None:
            positions.append(first_index + offset)
    return rows


def _row(record: Any, source: str, identity: RecordIdentity | None = None) -> tuple:
    """The row `write_rows` stores for `record` (its `index_row` and JSON); raises _UNUSABLE."""
    row = index_row(record, source, identity)
    return (row.content, source, row.date, _json(record), row.native_id, row.context, row.person, row.channel)


def _json(record: Any) -> str:
    return orjson.dumps(record, default=str).decode()


class RowWriter(Protocol):
    """Writes one batch in one transaction with the `archives` rows of the files it completes,
    calling `on_progress(rows written so far)` as it goes (SearchDatabase.write_rows)."""

    def __call__(self, rows: list[tuple], archives: Sequence[ArchiveEntry], source: str,
                 on_progress: Callable[[int], None] | None = None) -> None: ...


class BatchWriter:
    """`add()` records (and the file they came from); every `batch_size` records become one
    transaction. Use it as a context manager: leaving the block writes what is left and waits for
    it; a failed batch raises there (or at the next `add`) and later batches are not written."""

    def __init__(self, write_rows: RowWriter, source: str, batch_size: int = 10_000,
                 on_written: Callable[[], None] | None = None, in_date_order: bool = False) -> None:
        self._write_rows = write_rows
        # With `in_date_order` (records handed over at once, no files: index_records_batch), batches
        # whose records do not come in date order are held and go in at the end, all of them
        # sorted by date (see _hold_or_write).
        self._in_date_order = in_date_order
        self._held: _HeldRecords | None = None  # records waiting for the end
        self._last_written: str | None = None  # the date of the last row written
        self._added: list[Any] = []  # with `in_date_order`: every record added, by position
        self._source = source
        self._batch_size = batch_size
        self._on_written = on_written
        self.result = BatchResult()
        self.written = 0  # rows written so far (from the writer thread), for progress
        self._records: list[Any] = []
        self._archives: list[ArchiveEntry] = []
        self._next_index = 0  # the position of the next record among all added, for failure reports
        self._handed = 0  # rows handed to the writer so far, for progress
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-writer")
        self._writing: Future[None] | None = None
        self._rows_in = threading.Event()  # set once the batch being written is past its row inserts
        self._rows_in.set()

    def add(self, records: Sequence[Any], archive: ArchiveEntry | None = None) -> None:
        self._rows_in.wait()  # see the module's doc: no Python here while the writer inserts rows
        self._records.extend(records)
        if self._in_date_order:
            self._added.extend(records)
        if archive is not None:
            self._archives.append(archive)
        while len(self._records) >= self._batch_size:
            self._flush(self._batch_size)

    def _flush(self, count: int) -> None:
        self._rows_in.wait()  # add() calls it in a loop, once per batch: each waits for its turn
        batch, self._records = self._records[:count], self._records[count:]
        # The files whose last records are in this batch; with records still pending, the last
        # file added waits for the batch that holds the rest of it.
        archives, self._archives = (self._archives, []) if not self._records else (self._archives[:-1],
                                                                                    self._archives[-1:])
        first_index, self._next_index = self._next_index, self._next_index + len(batch)
        if self._held is not None:  # past the first batch out of date order: all the rest waits
            self._hold(batch, first_index)
            return
        positions: list[int] | None = [] if self._in_date_order else None
        rows = prepare_rows(batch, first_index, self._source, self.result, positions)
        if positions is not None:
            self._hold_or_write(rows, positions)
        else:
            self.result.indexed += len(rows)
            # Deduplicated here, so that the writer's last progress call (all rows in) is recognised.
            rows = last_per_native_id(rows)
            rows.sort(key=_date)  # see _date; after deduplication, which keeps the last
            self._submit(rows, archives)

    def _hold_or_write(self, rows: list[tuple], positions: list[int]) -> None:
        """Rows in date order after what was written go in now (records collected day after day);
        from the first batch that is not, this batch and all later ones wait for `close()`, which
        writes them sorted by date across all of them. Random order then costs what time
        order costs (the date and native-id indexes filled in order, not every page of them
        rewritten by every batch: 340,000 shuffled records wrote 2.8 GB to the WAL, in time order
        0.9 GB), and record ids follow dates, which "newest first" and the filters' id ranges rely on.
        A held record keeps only its position and identity (`record_identity`: its native id and
        date, what sorting and deduplicating need): the rest of its row and its JSON are built at
        the end, one batch while the writer commits the one before, as records in time order are
        (see the module's doc), instead of all of them before anything is written. Holding costs
        no copy of every record, nor an object a record that the garbage collector would track
        (see _HeldRecords)."""
        dates = [_date(row) for row in rows]
        after_the_written = not dates or self._last_written is None or self._last_written <= dates[0]
        if after_the_written and all(map(operator.le, dates, dates[1:])):
            if dates:
                self._last_written = dates[-1]
            self.result.indexed += len(rows)
            self._submit(last_per_native_id(rows), [])
            return
        # Its rows are built again at the end (they are usable: counted then); its unusable
        # records are reported already.
        self._held = _HeldRecords()
        for row, position in zip(rows, positions):
            self._held.add(position, row[4], row[2])

    def _hold(self, records: Sequence[Any], first_index: int) -> None:
        """Keeps the identity of `records` for the end; records without one are reported now."""
        held, source = self._held, self._source
        assert held is not None
        for position, record in enumerate(records, first_index):
            try:
                native_id, date = record_identity(record, source)
            except _UNUSABLE as error:
                self.result.add_failure(position, str(error))
                continue
            held.add(position, native_id, date)

    def _write_held(self) -> None:
        """The held records, sorted by date, their rows built batch by batch as the writer goes.
        A record handed over more than once keeps its last version, as in time order: the last
        usable one (the versions it replaces are checked too, so that the counts are those of
        time order, and one of them stands in if the last turns out unusable)."""
        if self._held is None:
            return
        self._rows_in.wait()  # as in add(): no Python here while the writer inserts rows
        held, self._held = self._held, None
        kept, replaced = held.last_versions()
        kept.sort(key=held.dates.__getitem__)  # stable: ties keep the order they came in
        failures: list[tuple[int, str]] = []  # found after later records' ones: see add_late_failures
        stand_ins = self._usable_versions(held, replaced, failures)
        standing_in: list[int] = []
        for start in range(0, len(kept), self._batch_size):
            self._rows_in.wait()
            rows = self._held_rows(held, kept[start:start + self._batch_size], failures)
            standing_in.extend(stand_ins[native_id] for native_id in rows.unusable_ids if native_id in stand_ins)
            self._submit(rows, [])
        # Rare (a record's last version unusable, an earlier one not): after the others, by date.
        # Already checked and counted by _usable_versions: only their rows are built here.
        standing_in.sort(key=held.dates.__getitem__)
        standing_in_rows = [_row(self._added[held.positions[index]], self._source, held.identity(index))
                            for index in standing_in]
        for start in range(0, len(standing_in_rows), self._batch_size):
            self._submit(standing_in_rows[start:start + self._batch_size], [])
        self.result.add_late_failures(failures)

    def _held_rows(self, held: _HeldRecords, which: list[int], failures: list[tuple[int, str]]) -> _HeldRows:
        """The rows of the held records `which` (indexes into `held`), in that order."""
        records, source, rows = self._added, self._source, _HeldRows()
        for index in which:
            try:
                rows.append(_row(records[held.positions[index]], source, held.identity(index)))
            except _UNUSABLE as error:
                failures.append((held.positions[index], str(error)))
                rows.unusable_ids.append(held.native_ids[index])
        self.result.indexed += len(rows)
        return rows

    def _usable_versions(self, held: _HeldRecords, replaced: list[int],
                         failures: list[tuple[int, str]]) -> dict[str | None, int]:
        """Of the `replaced` versions, the last usable one of each native id (an index into `held`).
        Each is checked and counted as time order would (`index_row`); its JSON and row are built
        only if it has to stand in for an unusable last version, which is rare."""
        usable: dict[str | None, int] = {}
        for index in replaced:
            try:
                index_row(self._added[held.positions[index]], self._source, held.identity(index))
            except _UNUSABLE as error:
                failures.append((held.positions[index], str(error)))
                continue
            self.result.indexed += 1
            usable[held.native_ids[index]] = index
        return usable

    def _submit(self, rows: list[tuple], archives: Sequence[ArchiveEntry]) -> None:
        """Hands one batch to the writer thread, once the one before it is in."""
        self._wait()
        rows_in = self._rows_in = threading.Event()
        self._writing = self._executor.submit(self._write_rows, rows, archives, self._source,
                                              self._count_written(self._handed, len(rows), rows_in))
        self._writing.add_done_callback(lambda _: rows_in.set())  # failed, or no rows to insert
        self._handed += len(rows)

    def _count_written(self, before: int, rows: int, rows_in: threading.Event) -> Callable[[int], None]:
        def written(rows_in_batch: int) -> None:
            self.written = before + rows_in_batch
            if rows_in_batch >= rows:
                rows_in.set()
            if self._on_written is not None:
                self._on_written()

        return written

    def _wait(self) -> None:
        if self._writing is not None:
            writing, self._writing = self._writing, None
            writing.result()  # batches commit in order; a failed one raises here

    def close(self) -> BatchResult:
        try:
            if self._records or self._archives:
                self._flush(len(self._records))
            self._write_held()
            self._wait()
        finally:
            self._executor.shutdown(wait=True)
        return self.result

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        if error_type is None:
            self.close()
        else:  # what was already handed to the writer finishes; nothing more is written
            self._executor.shutdown(wait=True)


def _date(row: tuple) -> str:
    """A batch goes in ordered by date (all of a writer's rows are of its one source): records that arrive in random time order then
    touch the date indexes' pages in order, each page once a batch, as time-ordered ones do
    (measured on 120,000 shuffled records: 17.0 s of CPU unsorted, 10.3 s sorted, 7.7 s for the
    same records in time order)."""
    return row[2] or ""


class _HeldRecords:
    """Records waiting for the end, in the order they came: each one's position among those added
    and its identity, in three flat lists. Not a tuple a record: 340,000 tuples kept alive set off
    full collections of the garbage collector, each walking every record (a second of CPU)."""

    __slots__ = ("positions", "native_ids", "dates")

    def __init__(self) -> None:
        self.positions: list[int] = []
        self.native_ids: list[str | None] = []
        self.dates: list[str] = []  # "" for none, as _date

    def add(self, position: int, native_id: str | None, date: str | None) -> None:
        self.positions.append(position)
        self.native_ids.append(native_id)
        self.dates.append(date or "")

    def identity(self, index: int) -> RecordIdentity:
        """The held record's identity as `record_identity` gave it."""
        return self.native_ids[index], self.dates[index] or None

    def last_versions(self) -> tuple[list[int], list[int]]:
        """Indexes of the last version of each native id with all records without one, and of
        the versions they replace, each in the order they came."""
        native_ids = self.native_ids
        last = {native_id: index for index, native_id in enumerate(native_ids)}
        if len(last) == len(native_ids) and None not in last:  # all distinct, as nearly always
            return list(range(len(native_ids))), []
        kept: list[int] = []
        replaced: list[int] = []
        for index, native_id in enumerate(native_ids):
            (kept if native_id is None or last[native_id] == index else replaced).append(index)
        return kept, replaced


class _HeldRows(list[tuple]):
    """Rows built for held records, with the native ids of those found unusable."""

    def __init__(self) -> None:
        super().__init__()
        self.unusable_ids: list[str | None] = []


def last_per_native_id(rows: list[tuple]) -> list[tuple]:
    """Rows with a native id (index 4) keep only their last occurrence; rows without one all stay."""
    if len({row[1] for row in rows}) == 1:  # one source, as nearly always: keyed by the id alone (no
        # key tuples to allocate: thousands of them set off collections of the young objects)
        last = {row[4]: position for position, row in enumerate(rows)}
        if len(last) == len(rows) and None not in last:  # all distinct, nothing to drop
            return rows
    last = {(row[1], row[4]): position for position, row in enumerate(rows) if row[4] is not None}
    return [row for position, row in enumerate(rows) if row[4] is None or last[(row[1], row[4])] == position]
