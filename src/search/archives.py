"""The deployment's JSONL archives: ARCHIVE_DIR/<source>/YYYY-MM-DD/data.jsonl, a manifest.json beside.

Files already indexed with the same checksum are skipped; a line that is not JSON is reported and
skipped (a half-written last line, from a collector that was still writing, is expected and said so).
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from itertools import groupby
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from src.search.batches import ArchiveEntry
from src.search.database import SearchDatabase

logger = logging.getLogger(__name__)

SOURCES = ("slack", "calendar", "drive", "employees")
_DAY_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ArchiveReport:
    files_indexed: int = 0
    files_skipped: int = 0  # unchanged since they were last indexed
    records_indexed: int = 0
    records_failed: int = 0
    problems: list[str] = field(default_factory=list)


def archive_files(archive_dir: Path) -> list[tuple[str, Path]]:
    """(source, data.jsonl) for every day folder, oldest first."""
    found = []
    for source in SOURCES:
        folder = archive_dir / source
        if not folder.is_dir():
            continue
        for day in sorted(p for p in folder.iterdir() if p.is_dir() and _DAY_FOLDER.match(p.name)):
            data = day / "data.jsonl"
            if data.is_file():
                found.append((source, data))
    return found


def _read_records(data: bytes, path: Path, report: ArchiveReport) -> list[object]:
    records = []
    lines = data.split(b"\n")
    complete = data.endswith(b"\n")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except ValueError:
            if number == len(lines) and not complete:
                report.problems.append(f"{path}: half-written last line {number} skipped")
            else:
                report.problems.append(f"{path}: line {number} is not JSON, skipped")
            report.records_failed += 1
    return records


def ingest_archives(
    database: SearchDatabase,
    archive_dir: Path,
    progress: Callable[[float, str], None] | None = None,
    *,
    force: bool = False,
) -> ArchiveReport:
    """Indexes every archive file that changed since it was last indexed (every file with `force`).
    Files of a source share batches, each file marked indexed with its records (see batch_writer)."""
    report = ArchiveReport()
    if not archive_dir.is_dir():
        report.problems.append(f"archive folder not found: {archive_dir}")
        return report
    files = archive_files(archive_dir)
    done = 0
    for source, paths in groupby(files, key=lambda item: item[0]):  # archive_files lists them by source
        known = {} if force else database.archive_checksums(source)
        file_starts: list[tuple[int, Path]] = []  # where each file's records begin among the source's
        added = 0
        with database.batch_writer(source) as writer:
            for _, path in paths:
                done += 1
                data = path.read_bytes()
                checksum = hashlib.sha256(data).hexdigest()
                key = str(path.resolve())
                if known.get(key) == checksum:
                    report.files_skipped += 1
                    continue
                records = _read_records(data, path, report)
                file_starts.append((added, path))
                added += len(records)
                writer.add(records, ArchiveEntry(key, checksum, len(records)))
                report.files_indexed += 1
                if progress:
                    progress(done / len(files), f"indexed {source} {path.parent.name}")
        report.records_indexed += writer.result.indexed
        report.records_failed += writer.result.failed
        report.problems += [_failure(file_starts, failure) for failure in writer.result.failures]
    for problem in report.problems:
        logger.warning(problem)
    return report


def _failure(file_starts: list[tuple[int, Path]], failure: dict) -> str:
    """"<file>: record <n>: <reason>", n counted within that file."""
    start, path = file_starts[bisect_right(file_starts, failure["index"], key=lambda item: item[0]) - 1]
    return f"{path}: record {failure['index'] - start}: {failure['reason']}"
