"""Copying the write-ahead log back into the search file from a thread of its own.

SQLite's automatic checkpoint runs inside the COMMIT that takes the log past 1,000 pages: the
writer copies the log into the database file and syncs both before it can begin its next batch
(on 200,000 messages in Slack's own shape, about 1.6 s of the commits' 2.1 s, measured). Here a
large batch is committed without it (SearchDatabase._write_batch; small writes keep SQLite's own)
and `BackgroundCheckpoints` is told, whose own connection checkpoints while the writer goes on with
the next batch, on the core it leaves idle while it inserts rows.

SQLite starts the log again from its beginning only when a write begins and everything in the log
has been copied back. A checkpoint beside a busy writer is always a commit behind, so the log
would grow as long as the writer writes; once it passes `max_log_frames` the writer waits, before
its next transaction, for the checkpoint of its last commit (one batch in several, not every one).
Nor does the writer get more than MAX_COMMITS_AHEAD commits ahead of the checkpoints (a starved
checkpoint thread would otherwise let the log grow unseen, its size known only as of its last run).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable

MAX_LOG_FRAMES = 16_384  # 64 MiB of 4 KiB pages: a few batches of a large load
MAX_COMMITS_AHEAD = 2

log = logging.getLogger(__name__)


class BackgroundCheckpoints:
    """Checkpoints after the writer's commits, in a thread started at the first one."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], max_log_frames: int = MAX_LOG_FRAMES) -> None:
        self._connect = connect
        self._max_log_frames = max_log_frames
        self._changed = threading.Condition()
        self._commits = 0  # commits announced by the writer
        self._checkpointed = 0  # commits the last finished checkpoint covered
        self._log_frames = 0  # frames in the log at the last checkpoint
        self._thread: threading.Thread | None = None
        self._closed = False  # close() was called
        self._stopped = False  # the thread has ended (closed, or its connection could not be opened)

    def committed(self) -> None:
        """The writer committed: the log has new frames to copy back."""
        with self._changed:
            if self._closed:
                return
            self._commits += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="search-checkpoints", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def before_writing(self) -> None:
        """Called by the writer before it begins a transaction: with a long log, waits until the log
        holds nothing that is not copied back, so that this transaction starts it again."""
        with self._changed:
            if self._log_frames >= self._max_log_frames:
                self._changed.wait_for(lambda: self._checkpointed >= self._commits or self._stopped)
                self._log_frames = 0  # this transaction starts the log again (the next checkpoint says)
            else:
                self._changed.wait_for(
                    lambda: self._commits - self._checkpointed <= MAX_COMMITS_AHEAD or self._stopped)

    def close(self) -> None:
        """Stops the thread after the checkpoint under way; what is left, SQLite copies back as the
        last connection closes."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        try:
            self._checkpoint_after_commits()
        finally:
            with self._changed:
                self._stopped = True
                self._changed.notify_all()

    def _checkpoint_after_commits(self) -> None:
        connection = self._connect()
        try:
            while True:
                with self._changed:
                    self._changed.wait_for(lambda: self._commits > self._checkpointed or self._closed)
                    if self._closed:
                        return
                    covered = self._commits
                try:
                    # PASSIVE: copies what no reader still needs, never waits for readers or the writer.
                    _, log_frames, _ = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.Error as error:  # tried again after the next commit; never holds the writer up
                    log.warning("search index: checkpoint failed: %s", error)
                    log_frames = 0
                with self._changed:
                    self._checkpointed, self._log_frames = covered, log_frames
                    self._changed.notify_all()
        finally:
            connection.close()
