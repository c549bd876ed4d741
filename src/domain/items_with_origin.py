"""Items with an `origin` (contract section 6): how a part's items read from a source are merged into
the board, whoever read them (the built-in reader, src/domain/derivation.py, or a collector outside
the service that sends them in the wire shape, below).

One merge (`merge_items`, then `with_codes`): the items the reading does not own stay as they are;
each item it sends keeps its code, and the person's status and decisions, by its key; a dismissed
one is never put back however often it is sent again; one no longer sent leaves the board.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from src.domain.board import (
    MAX_ITEMS,
    _date,
    _enum,
    _explicit_key,
    _moment,
    _text,
    _where,
    with_derived_flags,
)
from src.domain.errors import InvalidInput
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



def has_origin(item: Any) -> bool:
    return isinstance(item, Mapping) and item.get("origin") is not None


def _origin(value: Any, index: int) -> Origin:
    if not isinstance(value, Mapping):
        raise InvalidInput(f"item {index}: origin must be an object", _where(index, "origin"))
    source = _text(value.get("source"), index, "origin.source", required=True)
    ref = _text(value.get("ref"), index, "origin.ref", required=True)
    quote = _text(value.get("quote"), index, "origin.quote") or ""
    if len(quote) > MAX_QUOTE:
        raise InvalidInput(f"item {index}: origin.quote must be at most {MAX_QUOTE} characters",
                           _where(index, "origin.quote"))
    if source == "slack":  # the quote is plain text (contract section 6): a Slack message's markup as read
        quote = render_slack_markup(quote)
    at = _moment(value.get("at"), index, "origin.at")
    if at is not None and at.tzinfo is None:
        raise InvalidInput(f"item {index}: origin.at must carry its zone (…Z)", _where(index, "origin.at"))
    return Origin(source=source, ref=ref, author=_text(value.get("author"), index, "origin.author"),
                  at=iso_utc(at), quote=quote, link=_text(value.get("link"), index, "origin.link"),
                  where=_text(value.get("where"), index, "origin.where"))


def _confidence(value: Any, index: int) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise InvalidInput(f"item {index}: confidence must be a number from 0 to 1", _where(index, "confidence"))
    return float(value)


def _common(item: Any, index: int) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        raise InvalidInput(f"item {index} must be an object", _where(index, "item"))
    origin = _origin(item.get("origin"), index)
    return {
        "key": _explicit_key(item.get("key"), index) or f"{origin.source}:{origin.ref}",
        "due_date": _date(item.get("due_date"), index, "due_date"),
        "origin": origin,
        "counterparty_email": _text(item.get("counterparty_email"), index, "counterparty_email"),
        "confidence": _confidence(item.get("confidence"), index),
        "closed_by": _text(item.get("closed_by"), index, "closed_by"),
    }


def _priority(item: Any, index: int) -> Priority:
    common = _common(item, index)
    return Priority(
        id="", title=_text(item.get("title"), index, "title", required=True),
        status=_enum(PriorityStatus, item.get("status", "pending"), index, "status"),
        source=_text(item.get("source"), index, "source") or common["origin"].source, alert=False, new=False,
        reason=_text(item.get("reason"), index, "reason"),
        counterparty=_text(item.get("counterparty"), index, "counterparty"), **common,
    )


def _commitment(item: Any, index: int) -> Commitment:
    return Commitment(
        id="", text=_text(item.get("text"), index, "text", required=True),
        counterparty=_text(item.get("counterparty"), index, "counterparty"),
        status=_enum(CommitmentStatus, item.get("status", "pending"), index, "status"), urgent=False,
        **_common(item, index),
    )


def _parse(items: Sequence[Any], build) -> list:
    if len(items) > MAX_ITEMS:
        raise InvalidInput(f"at most {MAX_ITEMS} items per list")
    built = [build(item, index) for index, item in enumerate(items)]
    seen: set[str] = set()
    for index, item in enumerate(built):
        if item.key in seen:
            raise InvalidInput(f"item {index}: key {item.key!r} appears twice", _where(index, "key"))
        seen.add(item.key)
    return built


Part = TypeVar("Part", bound=Priority | Commitment)


def merge_items(current: Sequence[Part], sent: Sequence[Part], dismissed: frozenset[str],
                owns: Callable[[Part], bool]) -> tuple[list[Part], list[Part]]:
    """(the items `owns` does not claim, as they are; the sent ones the person has not dismissed). A
    sent item that is pending keeps the status the person gave it (approve, partial, done); a status
    only a delivery set (`closed_by`) goes back to pending with that delivery gone; a source saying
    `done` still closes it."""
    before = {item.key: item for item in current}
    sent_keys = {item.key for item in sent}
    kept: list[Part] = [item for item in current if not owns(item) and item.key not in sent_keys]
    merged: list[Part] = []
    for item in sent:
        if item.key in dismissed:
            continue
        previous = before.get(item.key)
        if (previous is not None and previous.status != "pending" and item.status == "pending"
                and previous.closed_by is None):
            item = replace(item, status=previous.status)  # type: ignore[arg-type]  # same part, same status type
        merged.append(item)
    return kept, merged


def with_codes(state: DashboardState, now: datetime, priorities: Sequence[Priority] | None = None,
               owe: Sequence[Commitment] | None = None, owed: Sequence[Commitment] | None = None) -> DashboardState:
    """The board with these parts (the others as they are), each item coded by its key (a key seen
    before keeps its code), and the flags derived from dates worked out again."""
    codes = state.codes
    if priorities is not None:
        book, assigned = codes.priorities.assign([item.key for item in priorities], now)
        state = replace(state, priorities=tuple(replace(item, id=code) for item, code in zip(priorities, assigned)))
        codes = replace(codes, priorities=book)
    if owe is not None or owed is not None:
        owe, owed = (state.owe if owe is None else owe), (state.owed if owed is None else owed)
        book, assigned = codes.commitments.assign([item.key for item in [*owe, *owed]], now)
        coded = [replace(item, id=code) for item, code in zip([*owe, *owed], assigned)]
        state = replace(state, owe=tuple(coded[: len(owe)]), owed=tuple(coded[len(owe):]))
        codes = replace(codes, commitments=book)
    return with_derived_flags(replace(state, codes=codes), now)


def _sent_from_outside(item: Priority | Commitment) -> bool:
    """What a collector's items replace: every item with an origin (a PUT's have none)."""
    return item.origin is not None


def _merged(current: Sequence[Part], sent: Sequence[Part], dismissed: frozenset[str]) -> list[Part]:
    kept, merged = merge_items(current, sent, dismissed, _sent_from_outside)
    return [*kept, *merged]


def replace_priorities_with_origin(state: DashboardState, items: Sequence[Any], now: datetime) -> DashboardState:
    """The priorities with an origin become `items` (wire-shaped mappings); the others stay."""
    priorities = _merged(state.priorities, _parse(items, _priority), state.decisions.priorities.dismissed)
    return with_codes(state, now, priorities=priorities)


def replace_commitments_with_origin(state: DashboardState, owe: Sequence[Any], owed: Sequence[Any],
                                    now: datetime) -> DashboardState:
    """The commitments with an origin become `owe` and `owed` (wire-shaped mappings); the others stay."""
    dismissed = state.decisions.commitments.dismissed
    sent_owe, sent_owed = _parse(owe, _commitment), _parse(owed, _commitment)
    shared = {item.key for item in sent_owe} & {item.key for item in sent_owed}
    if shared:
        raise InvalidInput(f"key {sorted(shared)[0]!r} is both in owe and owed", [{"field": "key"}])
    return with_codes(state, now, owe=_merged(state.owe, sent_owe, dismissed),
                      owed=_merged(state.owed, sent_owed, dismissed))
