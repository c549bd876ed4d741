"""The built-in MessageReader: speech-act rules and a small classifier for what a message does, the
addressing rules for who owes whom, and the due-date table for when."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from src.adapters.outbound.reader.addressing import addressing
from src.adapters.outbound.reader.classifier import IntentModel
from src.adapters.outbound.reader.due_dates import due_date
from src.adapters.outbound.reader.speech import Act, act, promises
from src.domain.items import ConversationKind, Item, ItemKind, Message, Person
from src.domain.state import MAX_QUOTE

# Asks and promises sit in a message's first lines; past this the rules' cost grows for nothing.
MAX_READ = 4000
ACCEPT_LOOKBACK = 3  # an "on it" answers one of the last few messages by others
ACCEPT_CONTEXT = 6  # ... among this many last messages of the context
# Below this the classifier overrules the rules: the words look like an ask or a promise, the
# sentence as a whole does not ("can you believe it", "will do wonders").
MIN_PROBABILITY = 0.12
# A message the rules cannot place counts as an ask (to be answered with "on it") from this on.
ASK_PROBABILITY = 0.6

_SLACK_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")


class BuiltinReader:
    """Reads messages with no network and no model download. Its classifier is loaded from `cache_dir`
    (the data folder) at first use, or trained then and kept there."""

    def __init__(self, model: IntentModel | None = None, *, cache_dir: Path | None = None) -> None:
        self._model = model or IntentModel(cache_dir)

    def likelihood(self, text: str) -> float:
        """How likely the classifier finds that `text` asks or commits something, from 0 to 1: what
        the second reading looks at for messages the rules found nothing in."""
        return self._model.probability(text[:MAX_READ])

    def read_many(self, messages: Iterable[Message], person: Person) -> list[Item | None]:
        """`read` for each message, in order. Scores and speech acts are cached by text, so a thread's
        messages read in order cost little more as the context of the next ones."""
        return [self.read(message, person) for message in messages]

    def read(self, message: Message, person: Person) -> Item | None:
        if message.is_bot or not message.text.strip():
            return None
        if len(message.text) > MAX_READ:
            message = replace(message, text=message.text[:MAX_READ])
        what = act(message.text)
        if what is None:
            return None
        mine = person.is_me(message.author)
        to = addressing(message, person)
        answered = self._answered_ask(message, person)
        if answered is not None and not mine and not person.is_me(answered.author) and not (
                to.named and to.to_me):
            return None  # an answer to someone else's ask: between other people
        if what is Act.ACCEPT and answered is None:
            if not promises(message.text):
                return None  # "ok" to nothing asked
            what = Act.PROMISE
        if what is Act.ACCEPT and answered is not None:  # always answered here: see above
            return self._item(message, person, ItemKind.PROMISE_BY_ME if mine else ItemKind.PROMISE_TO_ME,
                              counterparty=answered.author if mine else message.author, accepted=answered,
                              confidence=0.85)
        probability = self._model.probability(message.text)
        if probability < MIN_PROBABILITY or to.broadcast:
            return None
        confidence = round(0.35 + 0.6 * probability, 2)
        # A promise made right after an ask takes it on ("of course! I'll send it by thursday").
        right_after = answered is not None and answered.id == message.thread[-1].id
        accepted = answered if what is Act.PROMISE and right_after else None
        if mine:
            counterparty = to.others[0] if to.others else (
                answered.author if answered else self._replied_to(message, person))
            if counterparty is None:
                return None  # to the room at large: an announcement
            kind = ItemKind.PROMISE_BY_ME if what is Act.PROMISE else ItemKind.ASK_BY_ME
            return self._item(message, person, kind, counterparty=counterparty, accepted=accepted,
                              confidence=confidence)
        if not (to.to_me or (not to.others and self._replies_to_me(message, person))):
            return None  # between other people
        kind = ItemKind.PROMISE_TO_ME if what is Act.PROMISE else ItemKind.ASK_TO_ME
        return self._item(message, person, kind, counterparty=message.author, accepted=accepted,
                          confidence=confidence)

    def _item(self, message: Message, person: Person, kind: ItemKind, *, counterparty: str | None,
              accepted: Message | None, confidence: float) -> Item:
        due = due_date(message.text, message.sent_at, person.zone, soon_is_today=accepted is None)
        if due is None and accepted is not None and act(accepted.text) is Act.ASK:
            due = due_date(accepted.text, accepted.sent_at, person.zone)  # "will do" takes the ask's deadline
        if due is None and accepted is not None:
            due = due_date(message.text, message.sent_at, person.zone)  # "sending it now"
        quote = plain_text(message.text)
        return Item(
            message_id=message.id, kind=kind,
            text=plain_text(accepted.text)[:MAX_QUOTE] if accepted is not None and len(quote) < 40 else quote[:MAX_QUOTE],
            counterparty=counterparty, due_date=due, confidence=min(1.0, max(0.0, confidence)),
            conversation=message.conversation, owed_by=message.author if kind in (
                ItemKind.PROMISE_BY_ME, ItemKind.PROMISE_TO_ME) else counterparty if kind is ItemKind.ASK_BY_ME
            else _first_identity(person),
            accepts=accepted.id if accepted is not None else None, quote=quote[:MAX_QUOTE],
        )

    def _answered_ask(self, message: Message, person: Person) -> Message | None:
        """The ask to this message's author that it answers: one of the last few messages others wrote
        since the author last spoke, that asks something of the author."""
        since_author: list[Message] = []
        for earlier in reversed(message.thread[-ACCEPT_CONTEXT:]):
            if earlier.author.casefold() == message.author.casefold():
                if earlier.text.rstrip().endswith("?"):
                    continue  # the author's own clarifying question ("which version?") before saying yes
                break
            if not earlier.is_bot:
                since_author.append(replace(earlier, text=earlier.text[:MAX_READ]))
        for earlier in since_author[:ACCEPT_LOOKBACK]:
            if self._asks(earlier) and self._addressed_to(earlier, message.author, person):
                return earlier
        return None

    def _asks(self, message: Message) -> bool:
        what = act(message.text)
        return what is Act.ASK or (what is None and self._model.probability(message.text) >= ASK_PROBABILITY)

    def _addressed_to(self, ask: Message, author: str, person: Person) -> bool:
        to = addressing(ask, person)
        if person.is_me(author):
            return to.to_me
        if any(_same_person(name, author) for name in to.others):
            return True
        return not to.others and not to.broadcast and person.is_me(ask.author) and (
            ask.conversation_kind is not ConversationKind.CHANNEL or ask.thread == ())

    def _replied_to(self, message: Message, person: Person) -> str | None:
        """Whom the person answers in a thread or DM: the last other author before them."""
        if message.conversation_kind is ConversationKind.CHANNEL and not message.thread:
            return None
        for earlier in reversed(message.thread):
            if not person.is_me(earlier.author) and not earlier.is_bot:
                return earlier.author
        return None

    def _replies_to_me(self, message: Message, person: Person) -> bool:
        """A reply in a thread the person started, or right after the person spoke in it."""
        if not message.thread or message.conversation_kind is not ConversationKind.CHANNEL:
            return False
        return person.is_me(message.thread[0].author) or person.is_me(message.thread[-1].author)


def plain_text(text: str) -> str:
    """A message as quoted on the board: Slack links as their labels, on one line."""
    return " ".join(_SLACK_LINK.sub(r"\2", text).split())


def _same_person(name: str, other: str) -> bool:
    """"Sam", "@sam" or "Sam Patel" for "Sam Patel"."""
    name, other = name.strip().lstrip("@").casefold(), other.strip().casefold()
    return name == other or other.split(" ")[0] == name


def _first_identity(person: Person) -> str | None:
    return person.identities[0] if person.identities else None
