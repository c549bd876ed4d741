"""Whom a message is addressed to: the person, someone else, everyone, or nobody in particular.

From what the source says (`to`, a DM's members), @-mentions, and a name opening the message
("Sam, can you..."); in a channel, a thread reply answers the thread's earlier messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from src.domain.items import ConversationKind, Message, Person, mentions_in

_BROADCAST = re.compile(
    r"<!(?:channel|here|everyone)>|@(?:channel|here|everyone)\b"
    r"|^\W*(?:hi |hey |ok |reminder:? )?(?:everyone|all|team|folks|y'?all|guys|people)\b[,:!]?"
    r"|\beveryone (?:please|pls|plz|should|needs?)\b",
    re.IGNORECASE,
)
_VOCATIVE = re.compile(
    r"^\W*(?:hi |hey |ok |also,? |and )?([A-Za-z][a-z]+)\b\s*[,:\u2014-]?\s+"
    r"(?=(?:can|could|would|will|pls|please|plz|did|do|need|we need|should|any chance|when)\b)",
    re.IGNORECASE,
)
_NOT_NAMES = {"also", "hey", "hi", "ok", "okay", "so", "and", "but", "then", "quick", "btw", "fyi", "thx", "thanks",
              "sorry", "yes", "yep", "no", "team", "everyone", "all", "folks", "guys", "q", "question", "hmm", "um",
              "i", "we", "you", "u", "how", "what", "why", "where", "who", "sure", "great", "cool", "just", "will", "can",
              "could", "would", "did", "do", "pls", "please", "need", "should", "when", "let", "lmk", "not", "yeah",
              "it", "this", "that", "there", "he", "she", "they", "which", "maybe", "today", "tomorrow", "also"}
_GROUP_WORDS = {"channel", "here", "everyone"}


@dataclass(frozen=True)
class Addressing:
    to_me: bool  # the person is among the addressees
    others: tuple[str, ...]  # the other addressees, by name or id as the message gives them
    broadcast: bool  # to everyone in the room
    named: bool = False  # the addressees are named (`to`, @-mentions, "Sam, ..."), not implied by the room

    @property
    def to_someone_else_only(self) -> bool:
        return bool(self.others) and not self.to_me


def addressing(message: Message, person: Person) -> Addressing:
    text = message.text
    broadcast = bool(_BROADCAST.search(text))
    named = [*message.to, *(m for m in mentions_in(text) if m.casefold() not in _GROUP_WORDS)]
    vocative = _VOCATIVE.match(text)
    if vocative and vocative.group(1).casefold() not in _NOT_NAMES:
        name = _known_name(vocative.group(1), message, person)
        if name is not None:
            named.append(name)
    named = [name for name in named if not _same(name, message.author, person)]
    if named:
        to_me = any(_is_person(name, person) for name in named)
        others = tuple(dict.fromkeys(_full_name(n, message, person) for n in named if not _is_person(n, person)))
        return Addressing(to_me, others, broadcast, named=True)
    mine = person.is_me(message.author)
    if message.conversation_kind is ConversationKind.DM:
        return Addressing(not mine, tuple(m for m in message.members if not person.is_me(m)) if mine else (), False)
    if message.conversation_kind is ConversationKind.GROUP:
        return Addressing(not mine and not broadcast, (), broadcast)
    return Addressing(False, (), broadcast)


def _is_person(name: str, person: Person) -> bool:
    """A name, id or first name of the person's."""
    if person.is_me(name):
        return True
    first_names = {i.split(" ")[0].casefold() for i in person.identities if "@" not in i}
    return name.strip().lstrip("@").casefold() in first_names


def _same(name: str, author: str, person: Person) -> bool:
    """`name` is the message's own author (people do not address themselves)."""
    return name.casefold() == author.casefold() or (_is_person(name, person) and person.is_me(author))


def _known_name(word: str, message: Message, person: Person) -> str | None:
    """A word opening the message as a name: one of the person's, someone's in the conversation, or at
    least a capitalised word ("Sam can you", not "will do")."""
    if _is_person(word, person):
        return word
    name = _full_name(word, message, person)
    return name if name != word or word[:1].isupper() else None


def _full_name(name: str, message: Message, person: Person) -> str:
    """A first name or @handle as the full name of someone in the conversation, when one matches."""
    plain = name.strip().lstrip("@").casefold()
    known = [*message.members, *message.to, *(m.author for m in message.thread)]
    for candidate in known:
        if candidate.casefold() == plain or candidate.split(" ")[0].casefold() == plain:
            return candidate
    return name.strip().lstrip("@")
