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

from src.application.ports import PeopleDirectory, SearchIndex
from src.application.use_cases.replace_board import (
    ReplaceCalendar,
    ReplaceCommitments,
    ReplaceItemsWithOrigin,
    ReplacePriorities,
)
from src.domain.board import CalendarDraft, CommitmentDraft, PriorityDraft
from src.domain.errors import InvalidInput
from src.domain.items_with_origin import has_origin
from src.domain.people import Sighting
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


def _split(items: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """(items with an origin, the others), each in the order given."""
    return [i for i in items if has_origin(i)], [i for i in items if not has_origin(i)]


class CollectorHooks:
    """What a collector may do besides reporting progress: add records to the search index, and
    replace the board's calendar, priorities or commitments (each one change, seen live)."""

    def __init__(self, search_index: SearchIndex, calendar: ReplaceCalendar, priorities: ReplacePriorities,
                 commitments: ReplaceCommitments, people: PeopleDirectory | None = None,
                 with_origin: ReplaceItemsWithOrigin | None = None) -> None:
        self._search_index = search_index
        self._calendar = calendar
        self._priorities = priorities
        self._commitments = commitments
        self._people = people
        self._with_origin = with_origin

    async def add_records(self, records: Sequence[dict[str, Any]], source: str) -> IndexOutcome:
        """`records` in the source's own shape (see src/search/records.py for what is read from a
        Slack message, a calendar event, a Drive file, an employee; other sources: `text` or `content`)."""
        return await self._search_index.add_records(list(records), source)

    async def replace_calendar(self, items: Sequence[CalendarDraft | Mapping[str, Any]]) -> tuple[CalendarItem, ...]:
        return await self._calendar(_drafts(CalendarDraft, items))

    async def replace_priorities(self, items: Sequence[PriorityDraft | Mapping[str, Any]]) -> tuple[Priority, ...]:
        """Items in the wire shape with an `origin` (contract section 6) replace the priorities that
        have one, and the others those that have none: a source that reads asks itself sends its items
        with their origin, and the dashboard and /cos show where each came from."""
        with_origin, without = _split(items)
        if without or not with_origin or self._with_origin is None:
            result = await self._priorities(_drafts(PriorityDraft, without if self._with_origin else items))
        if with_origin and self._with_origin is not None:
            result = await self._with_origin.priorities(with_origin)
        return result

    async def replace_commitments(
        self, owe: Sequence[CommitmentDraft | Mapping[str, Any]], owed: Sequence[CommitmentDraft | Mapping[str, Any]]
    ) -> tuple[tuple[Commitment, ...], tuple[Commitment, ...]]:
        """As `replace_priorities`: items with an `origin` replace those that have one."""
        (owe_with, owe_without), (owed_with, owed_without) = _split(owe), _split(owed)
        if self._with_origin is None:
            return await self._commitments(_drafts(CommitmentDraft, owe), _drafts(CommitmentDraft, owed))
        if owe_without or owed_without or not (owe_with or owed_with):
            result = await self._commitments(_drafts(CommitmentDraft, owe_without),
                                             _drafts(CommitmentDraft, owed_without))
        if owe_with or owed_with:
            result = await self._with_origin.commitments(owe_with, owed_with)
        return result

    async def add_people(self, people: Sequence[Sighting | Mapping[str, Any]], source: str) -> IndexOutcome:
        """What `source` knows of people, for the people directory: `Sighting`s, or mappings with
        `name`, `email` or `emails`, `slack_id` or `slack_ids`, `handles`, and `id` (the source's own,
        so that a later record with the same id replaces it). Each needs an email or a
        Slack id; one without is reported with the reason, never fatal to the others. The same
        person (same email or Slack id) from several sources becomes one entry."""
        sightings, failures = [], []
        for position, person in enumerate(people):
            try:
                sightings.append(person if isinstance(person, Sighting) else _sighting(person, source))
            except (TypeError, ValueError) as error:
                failures.append({"index": position, "reason": str(error)})
        if self._people is not None and sightings:
            await self._people.add_people(sightings)
        return IndexOutcome(len(sightings), len(failures), tuple(failures))


def _sighting(person: Mapping[str, Any], source: str) -> Sighting:
    if not isinstance(person, Mapping):
        raise TypeError(f"a person must be a mapping, not {type(person).__name__}")

    def several(one: str, many: str) -> list[Any]:
        values = person.get(many) or []
        return [person.get(one), *(values if isinstance(values, (list, tuple)) else [values])]

    return Sighting.of(source, emails=several("email", "emails"), slack_ids=several("slack_id", "slack_ids"),
                       name=person.get("name"), handles=person.get("handles") or (), ref=person.get("id"))
