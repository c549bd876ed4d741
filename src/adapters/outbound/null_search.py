"""The `SearchIndex` for a service with nothing indexed yet: every search finds nothing, quickly."""

from __future__ import annotations

from typing import Any

from src.domain.search import SearchPage


class NullSearchIndex:
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
        return SearchPage(query=query, hits=(), took_ms=0.0)

    async def stats(self) -> dict[str, Any]:
        return {"total": 0, "by_source": {}, "archives": 0, "size_bytes": 0, "backend": "none"}
