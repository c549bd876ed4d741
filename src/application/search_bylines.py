"""Search hits that say who said a message and where ("Dana Lee in #finance", "Dana Lee, DM with
Dana Lee"): a SearchIndex in front of another, naming a DM by its other side, which takes knowing who
the person is (the people directory, AICOS_ME)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from src.application.ports import PeopleDirectory, SearchIndex
from src.domain.search import PRIVATE_KINDS, IndexOutcome, SearchPage, described

logger = logging.getLogger(__name__)


class SearchWithBylines:
    """Every hit of `index` with `author`, `conversation`, `conversation_kind`, `where` and `byline`
    in its metadata (src/domain/search.py); adding records and stats go straight through."""

    def __init__(self, index: SearchIndex, people: PeopleDirectory | None = None) -> None:
        self._index = index
        self._people = people

    async def _is_me(self) -> Callable[[str], bool]:
        if self._people is None:
            return lambda _: False
        try:
            return (await self._people.people()).is_me
        except Exception:  # the directory is a nicety here: hits still come, DMs named by all members
            logger.warning("people directory unavailable; DMs in search hits named by all their members",
                           exc_info=True)
            return lambda _: False

    async def search(self, query: str, *, source: str | None = None, since: str | None = None,
                     until: str | None = None, limit: int = 20, offset: int = 0) -> SearchPage:
        page = await self._index.search(query, source=source, since=since, until=until, limit=limit, offset=offset)
        if not any(hit.source == "slack" for hit in page.hits):
            return page
        # Only a DM needs to know who the person is (most hits are channels'): no directory call otherwise.
        private = any(hit.source == "slack" and hit.metadata.get("conversation_kind") in PRIVATE_KINDS
                      or str(hit.metadata.get("conversation") or "").startswith(("DM ", "Group DM "))
                      for hit in page.hits)
        is_me = await self._is_me() if private else (lambda _: False)
        return replace(page, hits=tuple(described(hit, is_me) for hit in page.hits))

    async def stats(self) -> dict[str, Any]:
        return await self._index.stats()

    async def add_records(self, records: list[dict[str, Any]], source: str) -> IndexOutcome:
        return await self._index.add_records(records, source)

    async def remove_records(self, source: str, native_ids: Sequence[str]) -> int:
        return await self._index.remove_records(source, native_ids)
