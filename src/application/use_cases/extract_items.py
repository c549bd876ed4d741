"""`POST /api/extract` (contract sections 2 and 6): commitments and asks read from messages a caller
sends, for outside processors and pasted emails. Nothing is stored and the state does not change."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from src.application.ports import Clock, MessageReader, SecondReading
from src.domain.errors import InvalidInput
from src.domain.items import ConversationKind, Item, Message, Person
from src.domain.state import check_unicode

MAX_MESSAGES = 1000
# The earlier messages of its thread handed to the reader with each: what an "on it" answers, and who
# is talking, is in the last few (the reader looks at six); a long thread would cost its square.
THREAD_CONTEXT = 20


@dataclass(frozen=True)
class MessageToRead:
    """One message as the caller sends it. `to` None: not said (then, from someone other than the
    person, it is to the person, as in a DM). `thread`: messages with the same value answer each other."""

    id: str
    text: str
    author: str
    at: datetime | None = None  # None: now; without an offset: in the person's zone
    to: tuple[str, ...] | None = None
    thread: str | None = None


class ExtractItems:
    """Reads the messages for the person (AICOS_ME's identities, in their zone) and gives the items
    found, one per obligation: an ask the person's "will do" accepts in the same thread is the promise."""

    def __init__(self, reader: MessageReader, clock: Clock, identities: Sequence[str],
                 second_reading: SecondReading | None = None) -> None:
        self._reader = reader
        self._second_reading = second_reading  # the language model's, when one is configured
        self._clock = clock
        self._identities = tuple(identities)

    async def __call__(self, messages: Sequence[MessageToRead]) -> list[Item]:
        if len(messages) > MAX_MESSAGES:
            raise InvalidInput(f"at most {MAX_MESSAGES} messages at once, not {len(messages)}",
                               [{"field": "messages"}])
        seen: set[str] = set()
        for position, message in enumerate(messages):
            for name, value in (("id", message.id), ("text", message.text), ("author", message.author),
                                ("thread", message.thread or ""), *(("to", to) for to in message.to or ())):
                check_unicode(value, f"messages.{position}.{name}")
            if message.id in seen:
                raise InvalidInput(f"message ids must be unique: {message.id!r} is sent twice",
                                   [{"field": f"messages.{position}.id"}])
            seen.add(message.id)
        now = self._clock.now()
        assert now.tzinfo is not None, "Clock.now() is time-zone aware"
        person = Person(self._identities, now.tzinfo)
        messages = [replace(m, at=m.at.replace(tzinfo=person.zone)) if m.at and m.at.tzinfo is None else m
                    for m in messages]
        to_read = _conversations(messages, person, now)
        # CPU-bound (about 50 µs a message): off the event loop, which keeps serving other clients.
        found = await asyncio.to_thread(self._reader.read_many, to_read, person)
        if self._second_reading is not None:
            found = await self._second_reading.reread(to_read, found, person)
        items = [item for item in found if item is not None]
        accepted = {item.accepts for item in items if item.accepts}
        order = {message.id: position for position, message in enumerate(messages)}
        return sorted((item for item in items if item.message_id not in accepted),
                      key=lambda item: order[item.message_id])


def _conversations(messages: Sequence[MessageToRead], person: Person, now: datetime) -> list[Message]:
    """The messages as the reader takes them, each thread in the order sent: a message's thread is
    the earlier messages with the same `thread`; one without `thread` stands alone. The thread's
    other authors and addressees are each message's other members."""
    threads: dict[str, list[MessageToRead]] = defaultdict(list)
    for message in messages:
        threads[message.thread if message.thread is not None else f"\0{message.id}"].append(message)
    read: list[Message] = []
    for key, thread in threads.items():
        thread.sort(key=lambda message: message.at or now)  # stable: the request's order among equals
        people = tuple(dict.fromkeys(name for m in thread for name in (m.author, *(m.to or ()))))
        earlier: list[Message] = []
        for sent in thread:
            as_read = Message(
                id=sent.id, text=sent.text, author=sent.author, sent_at=(sent.at or now).astimezone(person.zone),
                to=sent.to or (), conversation=key,
                members=tuple(name for name in people if name != sent.author) or _mine(person, sent),
                # Named addressees make it a group message (an email); none, a DM with the person.
                conversation_kind=ConversationKind.GROUP if sent.to else ConversationKind.DM,
            )
            read.append(replace(as_read, thread=tuple(earlier[-THREAD_CONTEXT:])))
            earlier.append(as_read)  # as context, without a thread of its own
    return read


def _mine(person: Person, message: MessageToRead) -> tuple[str, ...]:
    """A lone message's other member: the person, unless they wrote it (then nobody is known)."""
    if person.is_me(message.author) or not person.identities:
        return ()
    return (person.identities[0],)
