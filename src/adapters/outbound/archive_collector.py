"""A `Collector` for the deployment's JSONL archives (AICOS_ARCHIVE_DIR), indexed for search."""

from __future__ import annotations

import asyncio
from pathlib import Path

from src.adapters.outbound.people_sources import archive_roster_people
from src.adapters.outbound.threaded_progress import run_in_thread
from src.application.ports import ProgressReport
from src.search.archives import archive_files, ingest_archives
from src.search.database import SearchDatabase


class ArchiveCollector:
    name = "archives"
    hooks = None  # CollectorHooks, set by bootstrap: the roster goes to the people directory

    def __init__(self, database: SearchDatabase, archive_dir: Path) -> None:
        self._database = database
        self._archive_dir = Path(archive_dir)

    async def collect(self, mode: str, report: ProgressReport) -> None:
        """`quick` indexes the files that changed since they were last indexed; `full` all of them."""
        if not self._archive_dir.is_dir():
            raise FileNotFoundError(f"archive folder not found: {self._archive_dir}")
        if not archive_files(self._archive_dir):
            raise FileNotFoundError(f"no archives (<source>/YYYY-MM-DD/data.jsonl) in {self._archive_dir}")
        outcome = await run_in_thread(
            lambda progress: ingest_archives(self._database, self._archive_dir, progress, force=mode == "full"),
            report,
            f"reading archives in {self._archive_dir}",
        )
        if self.hooks is not None:
            await self.hooks.add_people(await asyncio.to_thread(archive_roster_people, self._archive_dir), "roster")
        await report(1.0, f"archives: {outcome.records_indexed} records from {outcome.files_indexed} files "
                          f"({outcome.files_skipped} unchanged)")
