"""From what the reader found in messages to the board (contract section 6): one item per obligation,
closed by a later delivery, and merged into the board keeping codes, statuses and decisions.

Pure functions: the DeriveItems use case gathers the messages and the reader's items, these decide.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from src.domain.board import with_derived_flags
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

def _kept_status(closed: bool, previous: Priority | Commitment | None, done, pending):
    """Closed by a delivery: done. Otherwise what the person set (approve, partial, done) stays;
    a status that only a delivery set goes back to pending when that delivery is gone."""
    if closed:
        return done
    if previous is not None and previous.closed_by is None:
        return previous.status
    return pending


def _order(items: Iterable[Priority | Commitment]) -> list[Priority | Commitment]:
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


def apply_derived(state: DashboardState, derived: Sequence[DerivedItem], now: datetime,
                  within: Collection[str] | None = None) -> DashboardState:
    """The board with `derived` as all its items read from messages (or, with `within`, all those read
    from these conversations: a live message is read with its conversation only): the others stay
    first, derived ones follow; an item keeps its code, the person's status and decisions by its key;
    a derived item no longer found (its message deleted) leaves the board; a dismissed one never
    comes back."""
    on_board: tuple[Priority | Commitment, ...] = (*state.priorities, *state.commitments)
    previous: Mapping[str, Priority | Commitment] = {i.key: i for i in on_board}
    dismissed_priorities = state.decisions.priorities.dismissed
    dismissed_commitments = state.decisions.commitments.dismissed

    def others_then_derived(current: Sequence[Any], fresh: list[Any]) -> list[Any]:
        """The part's items not read from messages, then every derived one (fresh, and those of other
        conversations as they were), in one order."""
        elsewhere = [i for i in current if _read_from_messages(i) and not _read_from_messages(i, within)]
        return [i for i in current if not _read_from_messages(i)] + _order([*elsewhere, *fresh])

    asks = [d for d in derived if d.kind is ItemKind.ASK_TO_ME and d.key not in dismissed_priorities]
    priorities = others_then_derived(state.priorities, [
        Priority(id="", key=d.key, title=d.text, due_date=d.due_date, source=SOURCE, alert=False, new=False,
                 status=_kept_status(d.closed_by is not None, previous.get(d.key), PriorityStatus.DONE,
                                     PriorityStatus.PENDING),
                 origin=d.origin, reason=d.reason, counterparty=d.counterparty,
                 counterparty_email=d.counterparty_email, confidence=d.confidence, closed_by=d.closed_by)
        for d in asks])

    def commitments(kinds: set[ItemKind], current: tuple[Commitment, ...]) -> list[Commitment]:
        chosen = [d for d in derived if d.kind in kinds and d.key not in dismissed_commitments]
        return others_then_derived(current, [
            Commitment(id="", key=d.key, text=d.text, counterparty=d.counterparty, due_date=d.due_date,
                       status=_kept_status(d.closed_by is not None, previous.get(d.key), CommitmentStatus.DONE,
                                           CommitmentStatus.PENDING),
                       urgent=False, origin=d.origin, counterparty_email=d.counterparty_email,
                       confidence=d.confidence, closed_by=d.closed_by)
            for d in chosen])

    owe = commitments({ItemKind.PROMISE_BY_ME}, state.owe)
    owed = commitments({ItemKind.PROMISE_TO_ME, ItemKind.ASK_BY_ME}, state.owed)
    priority_book, priority_codes = state.codes.priorities.assign([p.key for p in priorities], now)
    commitment_book, commitment_codes = state.codes.commitments.assign([c.key for c in [*owe, *owed]], now)
    coded = [replace(c, id=code) for c, code in zip([*owe, *owed], commitment_codes)]
    changed = replace(
        state,
        priorities=tuple(replace(p, id=code) for p, code in zip(priorities, priority_codes)),
        owe=tuple(coded[: len(owe)]), owed=tuple(coded[len(owe):]),
        codes=replace(state.codes, priorities=priority_book, commitments=commitment_book),
    )
    return with_derived_flags(changed, now)
