"""The `SearchIndex` over the SearchDatabase: its blocking SQLite calls run in worker threads, so a
search never holds up the event loop (and with it every WebSocket client)."""

from __future__ import annotations

import asyncio
import functools
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from src.domain.search import IndexOutcome, SearchHit, SearchPage
from src.search.database import SEARCHES_AT_ONCE, SearchDatabase


class SqliteSearchIndex:
    def __init__(self, database: SearchDatabase) -> None:
        self._database = database
        # Threads of their own, one per read connection: costly searches never fill the loop's
        # default pool (6 threads on 2 cores), where an unrelated search would wait its turn.
        self._searching = ThreadPoolExecutor(SEARCHES_AT_ONCE, thread_name_prefix="search")

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
        results = await asyncio.get_running_loop().run_in_executor(self._searching, functools.partial(
            self._database.search, query, source=source, date_range=(since, until), limit=limit, offset=offset))
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

    async def delete_records(self, native_ids: list[str], source: str) -> int:
        return await asyncio.to_thread(self._database.delete_records, source, native_ids)
