"""Collector hooks: the in-process API for collectors written outside this project.

A collector is any object with a `name` and `async collect(mode, report)` (the `Collector` port);
`report(fraction, message)` shows its progress on every dashboard. To reach the index and the board
it is built with a `CollectorHooks`, which the container gives it (`add_collector` in bootstrap.py,
or the `AICOS_COLLECTORS` setting). See the README, "Writing a collector".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from src.application.ports import SearchIndex
from src.application.use_cases.replace_board import ReplaceCalendar, ReplaceCommitments, ReplacePriorities
from src.domain.board import CalendarDraft, CommitmentDraft, PriorityDraft
from src.domain.errors import InvalidInput
from src.domain.search import IndexOutcome
from src.domain.state import CalendarItem, Commitment, Priority

Draft = TypeVar("Draft", CalendarDraft, PriorityDraft, CommitmentDraft)


def _drafts(kind: type[Draft], items: Sequence[Draft | Mapping[str, Any]]) -> list[Draft]:
    """Drafts from drafts or from items in the wire shape (as PUT /api/... takes them); the fields
    the server derives (`id`, `new`) are ignored."""
    known = {field.name for field in dataclasses.fields(kind)}
    drafts = []
    for position, item in enumerate(items):
        if isinstance(item, kind):
            drafts.append(item)
            continue
        try:
            if not isinstance(item, Mapping):
                raise TypeError(f"{type(item).__name__} is neither a {kind.__name__} nor a mapping")
            drafts.append(kind(**{key: value for key, value in item.items() if key in known}))
        except (TypeError, ValueError) as error:
            raise InvalidInput(f"item {position} is not a {kind.__name__.removesuffix('Draft').lower()}: {error}",
                               [{"index": position}]) from error
    return drafts


class CollectorHooks:
    """What a collector may do besides reporting progress: add records to the search index, and
    replace the board's calendar, priorities or commitments (each one change, seen live)."""

    def __init__(self, search_index: SearchIndex, calendar: ReplaceCalendar, priorities: ReplacePriorities,
                 commitments: ReplaceCommitments) -> None:
        self._search_index = search_index
        self._calendar = calendar
        self._priorities = priorities
        self._commitments = commitments

    async def add_records(self, records: Sequence[dict[str, Any]], source: str) -> IndexOutcome:
        """`records` in the source's own shape (see src/search/records.py for what is read from a
        Slack message, a calendar event, a Drive file, an employee; other sources: `text` or `content`)."""
        return await self._search_index.add_records(list(records), source)

    async def replace_calendar(self, items: Sequence[CalendarDraft | Mapping[str, Any]]) -> tuple[CalendarItem, ...]:
        return await self._calendar(_drafts(CalendarDraft, items))

    async def replace_priorities(self, items: Sequence[PriorityDraft | Mapping[str, Any]]) -> tuple[Priority, ...]:
        return await self._priorities(_drafts(PriorityDraft, items))

    async def replace_commitments(
        self, owe: Sequence[CommitmentDraft | Mapping[str, Any]], owed: Sequence[CommitmentDraft | Mapping[str, Any]]
    ) -> tuple[tuple[Commitment, ...], tuple[Commitment, ...]]:
        return await self._commitments(_drafts(CommitmentDraft, owe), _drafts(CommitmentDraft, owed))
