"""From what the reader found in messages to the board (contract section 6): one item per obligation,
closed by a later delivery, and merged into the board keeping codes, statuses and decisions.

Pure functions: the DeriveItems use case gathers the messages and the reader's items, these decide.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from src.domain.items_with_origin import Part, merge_items, with_codes
from src.domain.conversations import ReadableMessage, Workspace
from src.domain.items import Item, ItemKind, Person, delivers
from src.domain.state import (
    MAX_QUOTE,
    Commitment,
    CommitmentStatus,
    DashboardState,
    Origin,
    Priority,
    PriorityStatus,
    iso_utc,
)

SOURCE = "slack"


@dataclass(frozen=True, slots=True)
class DerivedItem:
    """An item the service worked out, before it has a code."""

    key: str
    kind: ItemKind
    text: str
    counterparty: str | None
    counterparty_email: str | None
    due_date: str | None
    confidence: float
    origin: Origin
    reason: str | None = None  # priorities only
    closed_by: str | None = None


def item_key(ref: str) -> str:
    return f"{SOURCE}:{ref}"


def named_in_full(item: Item, workspace: Workspace, members: tuple[str, ...]) -> Item:
    """The item with its counterparty and owing side as the workspace names them ("Sam" or "U03SAM" ->
    "Sam Patel"), so a delivery by the author "Sam Patel" is recognised as theirs."""
    def full(name: str | None) -> str | None:
        user = workspace.user(name, members)
        return user.name if user is not None else name

    counterparty, owed_by = full(item.counterparty), full(item.owed_by)
    if (counterparty, owed_by) == (item.counterparty, item.owed_by):
        return item
    return replace(item, counterparty=counterparty, owed_by=owed_by)


def one_per_obligation(items: Iterable[Item]) -> list[Item]:
    """An ask that a later message accepts ("will do") is that promise's, not an item of its own."""
    items = list(items)
    accepted = {item.accepts for item in items if item.accepts}
    return [item for item in items if item.message_id not in accepted]


def closings(items: Sequence[Item], messages: Sequence[ReadableMessage], person: Person) -> dict[str, str]:
    """{item's message id: the ref of the first later message that delivers it}. A delivery closes
    one item only: the oldest open one it delivers, so "sent" twice closes two asks, not one twice."""
    by_scope: dict[str, list[ReadableMessage]] = {}
    for readable in messages:
        by_scope.setdefault(readable.message.conversation, []).append(readable)
    order = {readable.ref: index for index, readable in enumerate(messages)}
    closed: dict[str, str] = {}
    used: set[str] = set()
    for item in sorted(items, key=lambda i: order.get(i.message_id, 0)):
        later = (r for r in by_scope.get(item.conversation, ()) if order[r.ref] > order.get(item.message_id, -1))
        for readable in later:
            if readable.ref not in used and delivers(readable.message, item, person):
                closed[item.message_id] = readable.ref
                used.add(readable.ref)
                break
    return closed


def _where(readable: ReadableMessage) -> str:
    conversation = readable.conversation
    if conversation.kind == "dm":
        return "a DM"
    if conversation.kind == "group_dm":
        return "a group DM"
    return f"#{conversation.name.lstrip('#')}"


def _short_day(day: date, today: date) -> str:
    """"Wed" within the coming week, "Dec 9" beyond it or before today."""
    return day.strftime("%a") if 0 <= (day - today).days < 7 else f"{day:%b} {day.day}"


def derived_item(item: Item, readable: ReadableMessage, workspace: Workspace, today: date,
                 closed_by: str | None) -> DerivedItem:
    user = workspace.user(item.counterparty, readable.conversation.members)
    counterparty = user.name if user is not None else item.counterparty
    message = readable.message
    due = item.due_date.isoformat() if item.due_date else None
    reason = None
    if item.kind is ItemKind.ASK_TO_ME:
        reason = f"asked by {counterparty or message.author} in {_where(readable)}"
        if item.due_date is not None:
            reason += f", due {_short_day(item.due_date, today)}"
    quote = item.quote or " ".join(message.text.split())
    return DerivedItem(
        key=item_key(readable.ref), kind=item.kind, text=item.text, counterparty=counterparty,
        counterparty_email=user.email if user is not None else None, due_date=due,
        confidence=round(item.confidence, 2),
        origin=Origin(SOURCE, readable.ref, message.author, iso_utc(message.sent_at), quote[:MAX_QUOTE], None),
        reason=reason, closed_by=closed_by,
    )


# -- onto the board ---------------------------------------------------------------------------------

def _order(items: Iterable[Part]) -> list[Part]:
    """Open before delivered, then soonest due first, then oldest message first; no due date after
    the dated ones."""
    return sorted(items, key=lambda i: (i.closed_by is not None, i.due_date or "9999-12-31",
                                        (i.origin.at if i.origin else None) or "", i.key))


def _read_from_messages(item: Priority | Commitment, within: Collection[str] | None = None) -> bool:
    """Whether this reading owns the item (of the conversations `within`, or of all); a PUT's items
    and those a collector written elsewhere sent with an origin of its own stay as they are."""
    if item.origin is None or item.origin.source != SOURCE:
        return False
    return within is None or item.origin.ref.split("/", 1)[0] in within


def _priority(d: DerivedItem) -> Priority:
    return Priority(id="", key=d.key, title=d.text, due_date=d.due_date, source=SOURCE, alert=False, new=False,
                    status=PriorityStatus.DONE if d.closed_by else PriorityStatus.PENDING,
                    origin=d.origin, reason=d.reason, counterparty=d.counterparty,
                    counterparty_email=d.counterparty_email, confidence=d.confidence, closed_by=d.closed_by)


def _commitment(d: DerivedItem) -> Commitment:
    return Commitment(id="", key=d.key, text=d.text, counterparty=d.counterparty, due_date=d.due_date,
                      status=CommitmentStatus.DONE if d.closed_by else CommitmentStatus.PENDING,
                      urgent=False, origin=d.origin, counterparty_email=d.counterparty_email,
                      confidence=d.confidence, closed_by=d.closed_by)


def apply_derived(state: DashboardState, derived: Sequence[DerivedItem], now: datetime,
                  within: Collection[str] | None = None) -> DashboardState:
    """The board with `derived` as all its items read from messages (or, with `within`, all those read
    from these conversations: a live message is read with its conversation only), merged as every
    reading's items are (items_with_origin.merge_items): the others stay first, derived ones follow
    in one order (`_order`), those of other conversations as they were."""
    def others_then_derived(current: Sequence[Part], fresh: list[Part], dismissed: frozenset[str]) -> list[Part]:
        kept, merged = merge_items(current, fresh, dismissed, lambda item: _read_from_messages(item, within))
        return [i for i in kept if not _read_from_messages(i)] + _order(
            [*(i for i in kept if _read_from_messages(i)), *merged])

    def commitments(kinds: set[ItemKind], current: tuple[Commitment, ...]) -> list[Commitment]:
        return others_then_derived(current, [_commitment(d) for d in derived if d.kind in kinds],
                                   state.decisions.commitments.dismissed)

    priorities = others_then_derived(state.priorities, [_priority(d) for d in derived if d.kind is ItemKind.ASK_TO_ME],
                                     state.decisions.priorities.dismissed)
    return with_codes(state, now, priorities=priorities, owe=commitments({ItemKind.PROMISE_BY_ME}, state.owe),
                      owed=commitments({ItemKind.PROMISE_TO_ME, ItemKind.ASK_BY_ME}, state.owed))
