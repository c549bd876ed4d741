"""From what the reader found in messages to the board (contract section 6): one item per obligation,
closed by a later delivery, and merged into the board keeping codes, statuses and decisions.

Pure functions: the DeriveItems use case gathers the messages and the reader's items, these decide.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo

from src.domain.conversations import ReadableMessage, Workspace, permalink
from src.domain.items import Item, ItemKind, Person, delivers, hands_over, mentions_in
from src.domain.items_with_origin import Part, merge_items, with_codes
from src.domain.slack_markup import render_slack_markup
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
from src.domain.urgency import Ask, reason, urgency, weight_of_title

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
    urgency: float = 0.0  # priorities only: the higher, the sooner (src/domain/urgency.py)


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


def _in_scopes(messages: Sequence[ReadableMessage]) -> tuple[dict[str, list[ReadableMessage]], dict[str, int]]:
    """(the messages by the scope a reply is looked for in, in their order; each message's place by ref)."""
    by_scope: dict[str, list[ReadableMessage]] = {}
    for readable in messages:
        by_scope.setdefault(readable.message.conversation, []).append(readable)
    return by_scope, {readable.ref: index for index, readable in enumerate(messages)}


def closings(items: Sequence[Item], messages: Sequence[ReadableMessage], person: Person) -> dict[str, str]:
    """{item's message id: the ref of the first later message that delivers it}. A delivery closes
    one item only: the oldest open one it delivers, so "sent" twice closes two asks, not one twice."""
    by_scope, order = _in_scopes(messages)
    # A message that asks something of its own ("ok if I take monday off? icon work is all done")
    # delivers only what it hands over (a file, a link), not by its words.
    asking = {item.message_id for item in items if item.kind in (ItemKind.ASK_TO_ME, ItemKind.ASK_BY_ME)}
    closed: dict[str, str] = {}
    used: set[str] = set()
    for item in sorted(items, key=lambda i: order.get(i.message_id, 0)):
        later = (r for r in by_scope.get(item.conversation, ()) if order[r.ref] > order.get(item.message_id, -1))
        for readable in later:
            if readable.ref in asking and not hands_over(readable.message):
                continue
            if readable.ref not in used and delivers(readable.message, item, person):
                closed[item.message_id] = readable.ref
                used.add(readable.ref)
                break
    return closed


# A reply that only holds the ask open: "let me think", "checking", "later today", "which one?".
_HOLDING = re.compile(
    r"\b(let me (think|check|look|see|get back|circle back|confirm|ask)|lemme|will (look|check|get back|think|circle)|"
    r"i'?ll (look|check|get back|think|circle|come back)|looking( into it)?|checking|one sec|brb|later|not yet|"
    r"hmm+|good q(uestion)?|tbd|need to think|thinking about it|get back to you|give me (a|some)|"
    r"on my list|in a bit|tomorrow|tmrw|after lunch)\b",
    re.IGNORECASE,
)
_ANSWER_WORDS = re.compile(r"^\W*(yes|yep|yeah|no|nope|ok|okay|sure|approved|go ahead|sounds good|lgtm|agreed|"
                           r"confirmed|done|fine)\b", re.IGNORECASE)


_CLAUSE_END = re.compile(r"[.,;:!?\n]|\s[-–—]\s")


def is_answer(text: str) -> bool:
    """Whether the person's reply settles what they were asked ("yes approved, go ahead", "march works,
    lets do it", "no - hold off"), rather than holding it open ("let me think", "which version?"). Only
    the reply's opening is looked at for holding words: "public. we can add a login later" answers."""
    if not text.strip():
        return False
    if _HOLDING.search(_CLAUSE_END.split(text.strip(), maxsplit=1)[0]):
        return False
    if _ANSWER_WORDS.match(text):
        return True
    return not text.rstrip().endswith("?") and any(character.isalnum() for character in text)


def _to_someone_else(text: str, item: Item, person: Person) -> bool:
    """The reply @-mentions people, none of them the asker (nor the person)."""
    mentioned = [m.casefold() for m in mentions_in(text) if not person.is_me(m)]
    if not mentioned:
        return False
    asker = (item.counterparty or "").casefold()
    return not any(m == asker or (asker and m == asker.split()[0]) for m in mentioned)


def answers(items: Sequence[Item], messages: Sequence[ReadableMessage], person: Person,
            closed: Mapping[str, str]) -> dict[str, str]:
    """{ask's message id: the ref of the person's reply that answers it} for asks to the person not
    already delivered (`closed`). The reply is the person's first later message in the same thread
    (a DM's flow counts as one) that is neither a question nor a holding reply ("let me think"), and
    comes before the next ask to them there; a reply the reader made an item of ("will do", their own
    ask) or one that delivered another item answers nothing: it is about that."""
    by_scope, order = _in_scopes(messages)
    with_items = {item.message_id for item in items} | set(closed.values())  # deliveries are about those
    asks_to_me = {item.message_id for item in items if item.kind is ItemKind.ASK_TO_ME}
    answered: dict[str, str] = {}
    for item in items:
        if item.kind is not ItemKind.ASK_TO_ME or item.message_id in closed:
            continue
        start = order.get(item.message_id, -1)
        for readable in by_scope.get(item.conversation, ()):
            if order[readable.ref] <= start:
                continue
            if readable.ref in asks_to_me:
                break  # a newer ask: what the person says next is about that one
            if readable.message.is_bot or not person.is_me(readable.message.author):
                continue
            if readable.ref in with_items:
                break  # their promise, their own ask, or a delivery of something else
            if _to_someone_else(readable.message.text, item, person):
                continue  # "@Lee yes it's in there": an answer to Lee's question in the thread, not to the ask
            if is_answer(readable.message.text):
                answered[item.message_id] = readable.ref
                break
    return answered


def _where(readable: ReadableMessage) -> str:
    conversation = readable.conversation
    if conversation.kind == "dm":
        return "a DM"
    if conversation.kind == "group_dm":
        return "a group DM"
    return f"#{conversation.name.lstrip('#')}"


def conversation_name(readable: ReadableMessage, workspace: Workspace, person: Person | None) -> str:
    """The conversation as people name it: "#finance", "DM with Dana Lee", "group DM with Dana Lee,
    Sam Patel" (a DM by its other side; by all its members when the person is not known)."""
    conversation = readable.conversation
    if conversation.kind not in ("dm", "group_dm"):
        return f"#{conversation.name.lstrip('#')}"
    names = []
    for member in conversation.members:
        user = workspace.user(member)
        if person is not None and (person.is_me(member) or (user is not None and person.is_me(user.name))):
            continue
        names.append(user.name if user is not None else member)
    label = "DM" if conversation.kind == "dm" else "group DM"
    return f"{label} with {', '.join(names)}" if names else f"a {label}"


def plain_text(text: str, workspace: Workspace) -> str:
    """A message as people read it in Slack: links as their label, mentions as names, entities decoded."""
    def name_of(user_id: str) -> str | None:
        user = workspace.user(user_id)
        return user.name if user is not None else None

    def channel_of(channel_id: str) -> str | None:
        found = next((c for c in workspace.conversations if c.id == channel_id), None)
        return found.name if found is not None else None

    return render_slack_markup(text, name_of, channel_of)


def derived_item(item: Item, readable: ReadableMessage, workspace: Workspace, today: date,
                 closed_by: str | None, zone: tzinfo | None = None, person: Person | None = None) -> DerivedItem:
    user = workspace.user(item.counterparty, readable.conversation.members)
    counterparty = user.name if user is not None else item.counterparty
    message = readable.message
    due = item.due_date.isoformat() if item.due_date else None
    reason_text, points = None, 0.0
    if item.kind is ItemKind.ASK_TO_ME:
        asker = workspace.user(message.author, readable.conversation.members)
        ask = Ask(key=item_key(readable.ref), asked_by=counterparty or message.author, where=_where(readable),
                  conversation_kind=readable.conversation.kind, asked_at=message.sent_at, due=item.due_date,
                  text=message.text, weight=weight_of_title(asker.title if asker is not None else None),
                  open=closed_by is None)
        reason_text, points = reason(ask, today, zone), urgency(ask, today, zone)
    quote = plain_text(" ".join((item.quote or message.text).split()), workspace)
    return DerivedItem(
        key=item_key(readable.ref), kind=item.kind, text=plain_text(item.text, workspace), counterparty=counterparty,
        counterparty_email=user.email if user is not None else None, due_date=due,
        confidence=round(item.confidence, 2),
        origin=Origin(SOURCE, readable.ref, message.author, iso_utc(message.sent_at), quote[:MAX_QUOTE],
                      permalink(readable.conversation, readable.ref.rpartition("/")[2]),
                      conversation_name(readable, workspace, person)),
        reason=reason_text, closed_by=closed_by, urgency=points,
    )


# -- onto the board ---------------------------------------------------------------------------------

def _order(items: Iterable[Part]) -> list[Part]:
    """Open before delivered, then the most urgent (asks: src/domain/urgency.py; commitments all 0),
    then soonest due first, then oldest message first; no due date after the dated ones. Only the
    display order: each item keeps its code."""
    return sorted(items, key=lambda i: (i.closed_by is not None, -getattr(i, "urgency", 0.0),
                                        i.due_date or "9999-12-31", (i.origin.at if i.origin else None) or "", i.key))


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
                    counterparty_email=d.counterparty_email, confidence=d.confidence, closed_by=d.closed_by,
                    urgency=d.urgency)


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
