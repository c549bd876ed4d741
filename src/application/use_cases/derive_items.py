"""DeriveItems: after a Slack collection, the person's commitments and asks read from their messages
onto the board (contract section 6), in one change of the state.

Every message the person is a party to is read on `full`; on `quick` only the messages that are new,
or whose text or thread changed, since this process last read them (the rest reuse that reading).
Which items exist is always worked out from the conversation store as it is now, so an edited message
updates its item and a deleted one takes its item away, whichever the mode. A live message
(`conversations_changed`) is read with its own conversation only: the rest of the board stays.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from enum import Enum
from typing import Final

from src.application.changes import StateChanges
from src.application.ports import Clock, ConversationSource, MessageReader, SecondReading
from src.domain.conversations import ReadableMessage, Workspace, person_in, readable_messages
from src.domain.derivation import DerivedItem, answers, apply_derived, closings, derived_item, named_in_full, one_per_obligation
from src.domain.items import Item, Message, Person
from src.domain.state import DashboardState

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Derivation:
    """What a run did, for the collection's message and the log."""

    read: int  # messages read this time
    reused: int  # messages whose earlier reading still holds
    unreadable: int  # messages the reader failed on, skipped
    items: int  # items on the board from messages

    def summary(self) -> str:
        text = f"{self.items} item{'s' if self.items != 1 else ''} from messages ({self.read} read"
        text += f", {self.reused} unchanged)" if self.reused else ")"
        if self.unreadable:
            text += f", {self.unreadable} message{'s' if self.unreadable != 1 else ''} could not be read"
        return text


def _fingerprint(message: Message) -> tuple:
    """What a reading depends on: the message's text and author, and its thread as it stands."""
    return (message.text, message.author, tuple((m.id, m.text) for m in message.thread))


class DeriveItems:
    """Reads the person's messages and puts what they hold on the board. A singleton: it remembers
    its readings between collections, so a quick collection reads only what changed."""

    def __init__(self, changes: StateChanges, store: ConversationSource, reader: MessageReader, clock: Clock,
                 me: Sequence[str], zone: tzinfo | None, *, second_reading: SecondReading | None = None) -> None:
        self._changes = changes
        self._source = store
        self._reader = reader
        self._clock = clock
        self._me = tuple(me)
        self._zone = zone
        self._readings: dict[str, tuple[tuple, Item | None]] = {}
        self._second_reading = second_reading  # the language model's, when one is configured
        self._loop: asyncio.AbstractEventLoop | None = None  # where the second reading runs, from the thread
        # One derivation at a time: a collection's and live messages' share the readings above.
        self._running = asyncio.Lock()

    @property
    def enabled(self) -> bool:
        """Without AICOS_ME there is no one to read for: nothing is derived."""
        return bool(self._me)

    async def __call__(self, mode: str = "quick") -> Derivation | None:
        """After a collection: the whole store read (`full` reads every message again)."""
        return await self._run(mode, None)

    async def conversations_changed(self, conversation_ids: Collection[str]) -> Derivation | None:
        """After live messages: only these conversations read, and only what changed in them."""
        return await self._run("quick", frozenset(conversation_ids))

    async def _run(self, mode: str, within: frozenset[str] | None) -> Derivation | None:
        if not self.enabled:
            return None
        async with self._running:
            # Only what may concern the person is loaded (about 1 message in 100 of a big workspace):
            # who they are among the users first, then their conversations and threads.
            users = await self._source.workspace(())
            workspace = await self._source.workspace(within, party=person_in(users, self._me, self._person_zone()))
            self._loop = asyncio.get_running_loop()
            # Reading is CPU work: in a thread, so the event loop (and every client) never waits on it.
            derived, outcome = await asyncio.to_thread(self._derive, workspace, mode, within)
            now = self._clock.now()

            def onto_board(state: DashboardState) -> DashboardState | None:
                changed = apply_derived(state, derived, now, within)
                return None if changed == state else changed

            await self._changes.apply(onto_board)
        if outcome.unreadable:
            logger.warning("reading messages: %d could not be read and were skipped", outcome.unreadable)
        return outcome

    def _person_zone(self) -> tzinfo:
        zone = self._zone or self._clock.now().tzinfo
        assert zone is not None, "Clock.now() is time-zone aware"
        return zone

    def _derive(self, workspace: Workspace, mode: str,
                within: frozenset[str] | None) -> tuple[list[DerivedItem], Derivation]:
        person = person_in(workspace, self._me, self._person_zone())
        party = readable_messages(workspace, person)
        if mode == "full":
            self._readings.clear()
        read, unreadable = self._read_changed(party, person, within)
        by_ref = {r.ref: r for r in party}
        found = one_per_obligation(
            named_in_full(item, workspace, by_ref[r.ref].conversation.members)
            for r in party if (item := self._readings.get(r.ref, (None, None))[1]))
        closed = closings(found, party, person)
        closed.update(answers(found, party, person, closed))  # an ask the person answered waits no more
        today = self._clock.now().astimezone(person.zone).date()
        derived = [derived_item(item, by_ref[item.message_id], workspace, today, closed.get(item.message_id),
                                person.zone, person) for item in found]
        return derived, Derivation(read - unreadable, len(party) - read, unreadable, len(derived))

    def _read_changed(self, party: list[ReadableMessage], person: Person,
                      within: frozenset[str] | None) -> tuple[int, int]:
        """Reads the messages whose reading is missing or stale, forgets those no longer there (of the
        conversations `within`, or of all); (messages read, of which unreadable)."""
        to_read = [r for r in party if self._readings.get(r.ref, (None,))[0] != _fingerprint(r.message)]
        items = self._read_all([r.message for r in to_read], person)
        items = self._read_again([r.message for r in to_read], items, person)
        for readable, item in zip(to_read, items):
            if item is not _UNREADABLE:  # an unreadable one is tried again next time
                self._readings[readable.ref] = (_fingerprint(readable.message), item)
        present = {r.ref for r in party}
        self._readings = {ref: reading for ref, reading in self._readings.items()
                          if ref in present or (within is not None and ref.split("/", 1)[0] not in within)}
        return len(to_read), sum(item is _UNREADABLE for item in items)

    def _read_again(self, messages: list[Message], items: list[Item | None | _Unreadable],
                    person: Person) -> list[Item | None | _Unreadable]:
        """The second reading of what the reader was unsure of, when configured. It is async (a model
        over the network) and this runs in the reading thread: it runs on the event loop meanwhile."""
        if self._second_reading is None or self._loop is None:
            return items
        readable = [(index, item) for index, item in enumerate(items) if not isinstance(item, _Unreadable)]
        again = asyncio.run_coroutine_threadsafe(self._second_reading.reread(
            [messages[index] for index, _ in readable], [item for _, item in readable], person), self._loop).result()
        result = list(items)
        for (index, _), item in zip(readable, again):
            result[index] = item
        return result

    def _read_all(self, messages: list[Message], person: Person) -> list[Item | None | _Unreadable]:
        """One reading per message (a batch `read_many` can take this place); a message the reader fails
        on is `_UNREADABLE`: skipped and counted, never costing the others or the collection."""
        items: list[Item | None | _Unreadable] = []
        for message in messages:
            try:
                items.append(self._reader.read(message, person))
            except Exception:
                logger.debug("the reader failed on %s", message.id, exc_info=True)
                items.append(_UNREADABLE)
        return items


class _Unreadable(Enum):
    """A reading the reader failed on; an enum rather than a bare `object()`, so `is` narrows its type."""

    UNREADABLE = "unreadable"


_UNREADABLE: Final = _Unreadable.UNREADABLE
