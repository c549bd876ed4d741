"""Reading the deployment's JSONL archives into the SearchDatabase."""

import json

import pytest

from src.adapters.outbound.archive_collector import ArchiveCollector
from src.search.archives import ingest_archives


def write_day(root, source, day, records, tail=b""):
    folder = root / source / day
    folder.mkdir(parents=True)
    lines = b"".join(json.dumps(r).encode() + b"\n" for r in records)
    (folder / "data.jsonl").write_bytes(lines + tail)
    (folder / "manifest.json").write_text(json.dumps({"source": source, "date": day, "record_count": len(records)}))




def test_every_source_and_day_is_indexed_and_unchanged_files_are_skipped(tmp_path, db):
    root = tmp_path / "archive"
    write_day(root, "slack", "2026-11-24", [{"ts": "1764000000.1", "text": "budget sync", "channel_name": "fin"}])
    write_day(root, "calendar", "2026-11-25", [{"id": "e1", "summary": "Budget review",
                                                "start": {"dateTime": "2026-11-25T11:00:00Z"}}])
    write_day(root, "drive", "2026-11-25", [{"id": "f1", "name": "Budget 2027.xlsx"}])
    write_day(root, "employees", "2026-11-20", [{"id": "U1", "real_name": "Dana Budget", "email": "d@x.com"}])
    first = ingest_archives(db, root)
    assert (first.files_indexed, first.records_indexed, first.problems) == (4, 4, [])
    assert {r.source for r in db.search("budget")} == {"slack", "calendar", "drive", "employees"}
    again = ingest_archives(db, root)
    assert (again.files_indexed, again.files_skipped) == (0, 4)
    assert db.get_stats()["archives"] == 4 and db.get_stats()["total"] == 4
    forced = ingest_archives(db, root, force=True)
    assert forced.files_indexed == 4 and db.get_stats()["total"] == 4  # re-read, not duplicated


def test_a_changed_file_is_read_again(tmp_path, db):
    root = tmp_path / "archive"
    write_day(root, "slack", "2026-11-24", [{"ts": "1", "text": "alpha"}])
    ingest_archives(db, root)
    (root / "slack" / "2026-11-24" / "data.jsonl").write_text(
        json.dumps({"ts": "1", "text": "alpha"}) + "\n" + json.dumps({"ts": "2", "text": "beta"}) + "\n")
    report = ingest_archives(db, root)
    assert report.files_indexed == 1 and db.get_stats()["total"] == 2


def test_a_half_written_last_line_and_a_corrupt_line_are_reported_and_skipped(tmp_path, db):
    root = tmp_path / "archive"
    folder = root / "slack" / "2026-11-24"
    folder.mkdir(parents=True)
    (folder / "data.jsonl").write_bytes(
        b'{"ts": "1", "text": "one"}\n{not json}\n{"ts": "2", "text": "two"}\n{"ts": "3", "te')
    report = ingest_archives(db, root)
    assert report.records_indexed == 2 and report.records_failed == 2
    assert any("half-written last line 4" in p for p in report.problems)
    assert any("line 2 is not JSON" in p for p in report.problems)


def test_records_that_cannot_be_indexed_are_reported_by_file_and_position(tmp_path, db):
    root = tmp_path / "archive"
    write_day(root, "drive", "2026-11-24", [{"id": "f1", "name": "plan.doc"}, {"id": "f2"}])
    write_day(root, "drive", "2026-11-25", [{"id": "f3"}, {"id": "f4", "name": "notes.doc"}])
    report = ingest_archives(db, root)
    assert (report.records_indexed, report.records_failed) == (2, 2)
    assert report.problems == [f"{root}/drive/2026-11-24/data.jsonl: record 1: no searchable text",
                               f"{root}/drive/2026-11-25/data.jsonl: record 0: no searchable text"]
    assert db.get_stats()["archives"] == 2


def test_a_missing_archive_folder_is_reported_not_raised(tmp_path, db):
    report = ingest_archives(db, tmp_path / "nowhere")
    assert report.problems == [f"archive folder not found: {tmp_path / 'nowhere'}"]


async def test_the_archive_collector_reports_progress_and_fails_clearly_without_its_folder(tmp_path, db):
    root = tmp_path / "archive"
    write_day(root, "slack", "2026-11-24", [{"ts": "1", "text": "budget"}])
    reports = []

    async def report(fraction, message):
        reports.append((fraction, message))

    await ArchiveCollector(db, root).collect("quick", report)
    assert reports[-1][0] == 1.0 and "1 records from 1 files" in reports[-1][1]
    with pytest.raises(FileNotFoundError, match="archive folder not found"):
        await ArchiveCollector(db, tmp_path / "gone").collect("quick", report)
