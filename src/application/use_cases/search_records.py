from __future__ import annotations

from datetime import date
from typing import Any

from src.application.ports import SearchIndex
from src.domain.errors import InvalidInput
from src.domain.search import SearchPage

MAX_QUERY_LENGTH = 1000
MAX_LIMIT = 100
MAX_OFFSET = 10_000


def _day(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name} must be a date YYYY-MM-DD", [{"field": name}]) from None
    if day == date.max:  # the search runs to the day after `until`, which would not exist
        raise InvalidInput(f"{name} must be before {date.max.isoformat()}", [{"field": name}])
    return day.isoformat()


class SearchRecords:
    """Full-text search of the collected records, with the bounds a person's query needs checked first."""

    def __init__(self, index: SearchIndex) -> None:
        self._index = index

    async def __call__(
        self,
        query: str,
        *,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchPage:
        if not query.strip():
            raise InvalidInput("q must not be empty", [{"field": "q"}])
        if len(query) > MAX_QUERY_LENGTH:
            raise InvalidInput(f"q must be at most {MAX_QUERY_LENGTH} characters", [{"field": "q"}])
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", [{"field": "limit"}])
        if not 0 <= offset <= MAX_OFFSET:
            raise InvalidInput(f"offset must be between 0 and {MAX_OFFSET}", [{"field": "offset"}])
        return await self._index.search(
            query, source=source or None, since=_day(since, "since"), until=_day(until, "until"),
            limit=limit, offset=offset,
        )


class GetSearchStats:
    def __init__(self, index: SearchIndex) -> None:
        self._index = index

    async def __call__(self) -> dict[str, Any]:
        return await self._index.stats()
