"""The `Briefs` port over today's brief functions (src/domain/briefs.py): the board as it is now, and
the search index for a meeting's context. The briefs issue's `BuildBrief` takes its place at merge."""

from __future__ import annotations

from src.application.ports import Clock, SearchIndex, StateRepository
from src.domain.briefs import daily_brief, meeting_brief
from src.domain.search import SearchHit
from src.domain.state import Brief

HITS = 20


class BoardBriefs:
    def __init__(self, repository: StateRepository, search: SearchIndex, clock: Clock) -> None:
        self._repository = repository
        self._search = search
        self._clock = clock

    async def daily(self) -> Brief:
        return daily_brief(await self._repository.load(), self._clock.now())

    async def meeting(self, calendar_key: str) -> Brief | None:
        state = await self._repository.load()
        item = next((item for item in state.calendar if item.key == calendar_key), None)
        if item is None:
            return None
        hits: dict[str, SearchHit] = {}
        for words in (item.title, *item.attendees[:5]):  # the meeting and the people in it
            for hit in (await self._search.search(words, limit=HITS)).hits:
                hits.setdefault(hit.id, hit)
        return meeting_brief(item, list(hits.values()), self._clock.now())
