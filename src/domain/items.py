"""Commitments and asks read from messages (contract section 6): the message, the person, the item,
and the rule that says when a later message delivers an item.

Pure rules, no framework: the reader that finds items is an adapter (src/adapters/outbound/reader).
"""

from __future__ import annotations

import re
from functools import cached_property
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from enum import StrEnum


class ItemKind(StrEnum):
    PROMISE_BY_ME = "promise_by_me"  # the person promises someone            -> commitments.owe
    PROMISE_TO_ME = "promise_to_me"  # someone promises the person            -> commitments.owed
    ASK_BY_ME = "ask_by_me"  # the person asks someone to do something          -> commitments.owed
    ASK_TO_ME = "ask_to_me"  # someone asks the person to do, decide, answer   -> priorities

    @property
    def owed_by_me(self) -> bool:
        """True when the person is the side that has to deliver."""
        return self in (ItemKind.PROMISE_BY_ME, ItemKind.ASK_TO_ME)


class ConversationKind(StrEnum):
    DM = "dm"  # the person and one other
    GROUP = "group"  # a group DM: a few people, the person among them
    CHANNEL = "channel"  # a channel: whoever is in it


@dataclass(frozen=True)
class Person:
    """Whom the service works for: their identities (Slack ids, emails, names) and their zone."""

    identities: tuple[str, ...]
    zone: tzinfo

    def is_me(self, identity: str | None) -> bool:
        return identity is not None and _plain(identity) in self._plain_identities

    @cached_property
    def _plain_identities(self) -> frozenset[str]:  # asked for every message of a workspace: built once
        return frozenset(_plain(i) for i in self.identities)

    def mentioned_in(self, text: str) -> bool:
        """The text names the person: `<@U01ALEX>`, `@alex`, or a name of theirs as an @-mention."""
        mentions = {_plain(m) for m in mentions_in(text)}
        return any(_plain(i) in mentions or _plain(i).split(" ")[0] in mentions for i in self.identities)


@dataclass(frozen=True)
class Message:
    """One message as the reader needs it. `to`: its addressees when the source knows them (an email's
    recipients, `/api/extract`'s `to`); in a DM with no `to`, the other member is the addressee.
    `members`: the other members of a DM or group DM.
    `thread`: the earlier messages of its thread (or of the DM), oldest first."""

    id: str
    text: str
    author: str
    sent_at: datetime  # time-zone aware
    to: tuple[str, ...] = ()
    members: tuple[str, ...] = ()  # a DM's or group DM's members besides the author, when known
    conversation: str = ""
    conversation_kind: ConversationKind = ConversationKind.DM
    thread: tuple[Message, ...] = ()
    is_bot: bool = False
    files: tuple[str, ...] = ()  # names of files attached to it


@dataclass(frozen=True)
class Item:
    """A commitment or ask found in one message."""

    message_id: str
    kind: ItemKind
    text: str
    counterparty: str | None
    due_date: date | None
    confidence: float
    conversation: str = ""
    # The person owing it: the person's own id for PROMISE_BY_ME / ASK_TO_ME, else the counterparty.
    owed_by: str | None = None
    # The ask this item accepts ("will do" in reply to it): the ask is then not an item of its own.
    accepts: str | None = None
    quote: str = field(default="", compare=False)


_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>|(?<![\w.])@([\w.\-]+)")
_DELIVERY = re.compile(
    r"\b(sent|send it|shared|attached|attaching|uploaded|submitted|signed|merged|shipped|done|delivered|"
    r"here it is|here you go|here's|heres|here are|pushed|filed|booked|approved|posted)\b",
    re.IGNORECASE,
)
_LINK = re.compile(r"https?://\S+|<https?://[^>]+>")
# Negations and futures: "not sent yet", "will send tomorrow" deliver nothing.
_NOT_YET = re.compile(r"\b(not|yet|haven'?t|hasn'?t|didn'?t|won'?t|can'?t|will|i'?ll|tomorrow|later|soon|tonight)\b",
                      re.IGNORECASE)


def mentions_in(text: str) -> list[str]:
    """The @-mentions in a message: Slack ids from `<@U…>`, names from `@name`."""
    return [slack_id or name for slack_id, name in _MENTION.findall(text)]


def delivers(message: Message, item: Item, person: Person) -> bool:
    """Does `message` deliver `item`? It must come later in the same conversation, from the side that
    owes the item, and hand something over: "sent", "signed", "done", a link or a file."""
    if message.id == item.message_id or message.conversation != item.conversation or message.is_bot:
        return False
    by_owing_side = person.is_me(message.author) if item.kind.owed_by_me else (
        not person.is_me(message.author) and (item.owed_by is None or _plain(message.author) == _plain(item.owed_by))
    )
    if not by_owing_side:
        return False
    if hands_over(message):
        return True
    return bool(_DELIVERY.search(message.text)) and not _NOT_YET.search(message.text)


def hands_over(message: Message) -> bool:
    """The message carries something: a file or a link."""
    return bool(message.files or _LINK.search(message.text))


def _plain(identity: str) -> str:
    return identity.strip().lstrip("@").casefold()
