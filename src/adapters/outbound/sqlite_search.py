"""The `SearchIndex` over the SearchDatabase: its blocking SQLite calls run in worker threads, so a
search never holds up the event loop (and with it every WebSocket client)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from src.domain.search import IndexOutcome, SearchHit, SearchPage
from src.search.database import SearchDatabase


class SqliteSearchIndex:
    def __init__(self, database: SearchDatabase) -> None:
        self._database = database

    async def search(
        self,
        query: str,
        *,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchPage:
        started = time.perf_counter()
        results = await asyncio.to_thread(
            self._database.search, query, source=source, date_range=(since, until), limit=limit, offset=offset
        )
        hits = tuple(
            SearchHit(id=str(r.id), source=r.source, date=r.date, snippet=r.snippet, score=r.score,
                      metadata=r.metadata)
            for r in results
        )
        return SearchPage(query=query, hits=hits, took_ms=round((time.perf_counter() - started) * 1000, 2))

    async def stats(self) -> dict[str, Any]:
        return await asyncio.to_thread(self._database.get_stats)

    async def add_records(self, records: list[dict[str, Any]], source: str) -> IndexOutcome:
        result = await asyncio.to_thread(self._database.index_records_batch, records, source)
        return IndexOutcome(result.indexed, result.failed, tuple(result.failures))
