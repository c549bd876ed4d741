"""Labelled message sets (the tune set here, the dev set in eval/sets): parsed into messages with
their context and the item a person expects from each. The format is described at the top of each file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from src.domain.items import ConversationKind, ItemKind, Message, Person

PERSON = Person(identities=("U01ALEX", "alex@example.com", "Alex Rivera", "alex"), zone=ZoneInfo("America/New_York"))
TUNE_SET = Path(__file__).parent / "training" / "slack-tune.txt"
DM_CONTEXT = 6  # earlier messages of a DM handed to the reader as its context


@dataclass(frozen=True)
class Expected:
    kind: ItemKind | None
    counterparty: str | None
    due_date: date | None


@dataclass(frozen=True)
class Example:
    message: Message
    expected: Expected
    batch: int = 1  # "#batch 2: ..." lines start a new batch (the dev set's second was written after the reader)


def _year(month: int) -> int:
    return 2026 if month >= 6 else 2027


def _day(text: str) -> date | None:
    if text == "-":
        return None
    month, day = map(int, text.split("-"))
    return date(_year(month), month, day)


def load(path: Path) -> list[Example]:
    examples: list[Example] = []
    by_id: dict[str, Message] = {}
    root_of: dict[str, str] = {}  # a thread reply's id -> its root's id
    conversation, kind = "", ConversationKind.DM
    members: tuple[str, ...] = ()
    lines = path.read_text(encoding="utf-8").splitlines()
    # Slack knows a channel's members: here, everyone who writes in the set.
    everyone = tuple(dict.fromkeys(line.split(" | ")[2].removeprefix("bot:") for line in lines
                                   if line.count(" | ") >= 8 and not line.startswith("#")))
    batch = 1
    for line in lines:
        if line.startswith("#batch "):
            batch = int(line.removeprefix("#batch ").split(":")[0])
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@ "):
            _, conversation, kind_name, others = line.split(" ", 3)
            kind = ConversationKind(kind_name)
            members = everyone if kind is ConversationKind.CHANNEL else tuple(
                name.strip() for name in others.split(",") if name.strip())
            continue
        id_, root, author, to, sent, label, counterparty, due, text = line.split(" | ", 8)
        month_day, clock = sent.split(" ")
        month, day = map(int, month_day.split("-"))
        hour, minute = map(int, clock.split(":"))
        sent_at = datetime(_year(month), month, day, hour, minute, tzinfo=PERSON.zone)
        if root != "-":
            context = tuple(m for m in by_id.values()
                            if m.conversation == conversation and (m.id == root or root_of.get(m.id) == root))
        elif kind is not ConversationKind.CHANNEL:
            context = tuple(m for m in by_id.values() if m.conversation == conversation)[-DM_CONTEXT:]
        else:
            context = ()
        is_bot = author.startswith("bot:")
        author = author.removeprefix("bot:")
        message = Message(
            id=id_, text=text, author=author, sent_at=sent_at,
            to=tuple(t.strip() for t in to.split(",")) if to != "-" else (),
            members=tuple(m for m in (*members, "Alex Rivera") if m != author),
            conversation=conversation, conversation_kind=kind, thread=tuple(context), is_bot=is_bot,
        )
        by_id[id_] = message
        if root != "-":
            root_of[id_] = root
        examples.append(Example(message, Expected(
            ItemKind(label) if label != "-" else None, counterparty if counterparty != "-" else None, _day(due)),
            batch))
    return examples
