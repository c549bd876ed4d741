"""Items with an `origin` (contract section 6) that a collector sends in the wire shape, for sources
outside the service that read commitments and asks themselves.

They are the part's derived items: sending them replaces the items with an origin and leaves the
others (the ones a PUT sends) as they are. Each keeps its code, and the person's status and decisions,
by its key, so a dismissed one is never put back however often the collector sends it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

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


def _merged(current: Sequence[Any], sent: Sequence[Any], dismissed: frozenset[str]) -> list:
    """The items without an origin as they are, then the sent ones the person has not dismissed, each
    keeping the status the person gave it (a source saying `done` still closes it)."""
    before = {item.key: item for item in current}
    kept = [item for item in current if item.origin is None and item.key not in {s.key for s in sent}]
    merged = []
    for item in sent:
        if item.key in dismissed:
            continue
        previous = before.get(item.key)
        if previous is not None and previous.status != "pending" and item.status == "pending":
            item = replace(item, status=previous.status)
        merged.append(item)
    return [*kept, *merged]


def replace_priorities_with_origin(state: DashboardState, items: Sequence[Any], now: datetime) -> DashboardState:
    """The priorities with an origin become `items` (wire-shaped mappings); the others stay."""
    priorities = _merged(state.priorities, _parse(items, _priority), state.decisions.priorities.dismissed)
    book, codes = state.codes.priorities.assign([item.key for item in priorities], now)
    coded = tuple(replace(item, id=code) for item, code in zip(priorities, codes))
    return with_derived_flags(replace(state, priorities=coded, codes=replace(state.codes, priorities=book)), now)


def replace_commitments_with_origin(state: DashboardState, owe: Sequence[Any], owed: Sequence[Any],
                                    now: datetime) -> DashboardState:
    """The commitments with an origin become `owe` and `owed` (wire-shaped mappings); the others stay."""
    dismissed = state.decisions.commitments.dismissed
    sent_owe, sent_owed = _parse(owe, _commitment), _parse(owed, _commitment)
    shared = {item.key for item in sent_owe} & {item.key for item in sent_owed}
    if shared:
        raise InvalidInput(f"key {sorted(shared)[0]!r} is both in owe and owed", [{"field": "key"}])
    new_owe, new_owed = _merged(state.owe, sent_owe, dismissed), _merged(state.owed, sent_owed, dismissed)
    book, codes = state.codes.commitments.assign([item.key for item in [*new_owe, *new_owed]], now)
    coded = [replace(item, id=code) for item, code in zip([*new_owe, *new_owed], codes)]
    changed = replace(state, owe=tuple(coded[: len(new_owe)]), owed=tuple(coded[len(new_owe):]),
                      codes=replace(state.codes, commitments=book))
    return with_derived_flags(changed, now)
