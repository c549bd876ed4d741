"""ListPeople: the people the service knows (`GET /api/people?q=`), each with their open items."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from src.application.ports import PeopleDirectory, StateRepository
from src.domain.errors import InvalidInput
from src.domain.people import People, Person
from src.domain.state import DashboardState

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True, slots=True)
class PersonEntry:
    person: Person
    open_items: int  # priorities and commitments not done whose counterparty is this person

    def to_document(self) -> dict[str, object]:
        return self.person.to_document(self.open_items)


def open_items_by_person(state: DashboardState, people: People) -> Counter[str]:
    """Person id -> how many open board items have them as counterparty. An item names them by
    `counterparty_email` when it has one, else by `counterparty` (a name, email, Slack id or
    handle); a name two people share counts for neither."""
    counts: Counter[str] = Counter()
    open_items = [*(p for p in state.priorities if p.status.value != "done"),
                  *(c for c in state.commitments if c.status.value != "done")]
    for item in open_items:
        for identity in (getattr(item, "counterparty_email", None), getattr(item, "counterparty", None)):
            if isinstance(identity, str) and (person := people.resolve(identity)) is not None:
                counts[person.id] += 1
                break
    return counts


class ListPeople:
    def __init__(self, directory: PeopleDirectory, state: StateRepository) -> None:
        self._directory = directory
        self._state = state

    async def __call__(self, query: str = "") -> list[PersonEntry]:
        """Everyone when `query` is empty; otherwise those with a word of their name, an email, a
        Slack id or a handle starting with each of its words (case-insensitive)."""
        if len(query) > MAX_QUERY_LENGTH:
            raise InvalidInput(f"q must be at most {MAX_QUERY_LENGTH} characters", [{"field": "q"}])
        if any(not character.isprintable() for character in query):
            raise InvalidInput("q must be plain text, without control characters", [{"field": "q"}])
        people = await self._directory.people()
        counts = open_items_by_person(await self._state.load(), people)
        return [PersonEntry(person, counts[person.id]) for person in people.search(query)]
