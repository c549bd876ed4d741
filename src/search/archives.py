"""The deployment's JSONL archives: ARCHIVE_DIR/<source>/YYYY-MM-DD/data.jsonl, a manifest.json beside.

Files already indexed with the same checksum are skipped; a line that is not JSON is reported and
skipped (a half-written last line, from a collector that was still writing, is expected and said so).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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
    """Indexes every archive file that changed since it was last indexed (every file with `force`)."""
    report = ArchiveReport()
    if not archive_dir.is_dir():
        report.problems.append(f"archive folder not found: {archive_dir}")
        return report
    files = archive_files(archive_dir)
    for done, (source, path) in enumerate(files):
        data = path.read_bytes()
        checksum = hashlib.sha256(data).hexdigest()
        key = str(path.resolve())
        if not force and database.archive_checksum(key) == checksum:
            report.files_skipped += 1
            continue
        records = _read_records(data, path, report)
        result = database.index_records_batch(records, source)
        report.records_indexed += result.indexed
        report.records_failed += result.failed
        report.problems += [f"{path}: record {f['index']}: {f['reason']}" for f in result.failures[:5]]
        database.record_archive(key, source, result.indexed, checksum, "indexed")
        report.files_indexed += 1
        if progress:
            progress((done + 1) / len(files), f"indexed {source} {path.parent.name}")
    for problem in report.problems:
        logger.warning(problem)
    return report
