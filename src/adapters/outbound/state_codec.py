"""The whole state as JSON for storage, including what the wire leaves out (codes, source flags,
the person's decisions).

`decode_state(encode_state(s)) == s` for every state: a restart must not renumber anything.

The stored form is its own format, written from the domain's fields and never through the wire
documents (`to_document`): renaming a field on the wire must not break what is stored. When the
stored form itself changes, `FORMAT` goes up and `_UPGRADES` learns to bring the older one forward
(tests/data holds a state as each older format wrote it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

import orjson

from src.domain.board import with_snooze_days
from src.domain.codes import CodeBook, CodeRegistry
from src.domain.decisions import Decisions, ItemDecisions
from src.domain.state import (
    Brief,
    BriefSource,
    CalendarItem,
    Commitment,
    CommitmentStatus,
    DashboardState,
    Meta,
    Origin,
    Priority,
    PriorityStatus,
    SystemState,
    SystemStatus,
)

FORMAT = 3


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _record(item: Any) -> dict[str, Any]:
    """A stored item: every field of its dataclass by name (enums, tuples and times as JSON takes them;
    a nested one, such as an item's origin, as its own record)."""
    return {field.name: _record(value) if isinstance(value := getattr(item, field.name), Origin) else value
            for field in fields(item)}


def _book(book: CodeBook) -> dict[str, Any]:
    return {
        "numbers": dict(book.numbers),
        "first_seen": {key: moment.isoformat() for key, moment in book.first_seen.items()},
        "next_number": book.next_number,
    }


def _unbook(prefix: str, data: dict[str, Any]) -> CodeBook:
    return CodeBook(
        prefix,
        MappingProxyType(dict(data["numbers"])),
        MappingProxyType({key: datetime.fromisoformat(value) for key, value in data["first_seen"].items()}),
        data["next_number"],
    )


def _item_decisions(decisions: ItemDecisions) -> dict[str, Any]:
    return {"dismissed": sorted(decisions.dismissed),
            "snoozed_until": {key: day.isoformat() for key, day in decisions.snoozed_until.items()}}


def _undecide(data: dict[str, Any]) -> ItemDecisions:
    return ItemDecisions(
        frozenset(data["dismissed"]),
        MappingProxyType({key: date.fromisoformat(day) for key, day in data["snoozed_until"].items()}),
    )


def encode_state(state: DashboardState) -> bytes:
    brief = state.active_brief
    body = {
        "format": FORMAT,
        "meta": _record(state.meta),
        "system": _record(state.system),
        "calendar": [_record(item) for item in state.calendar],
        "priorities": [_record(item) for item in state.priorities],
        "owe": [_record(item) for item in state.owe],
        "owed": [_record(item) for item in state.owed],
        "active_brief": None if brief is None else {
            **_record(brief), "sources": [_record(source) for source in brief.sources]},
        "codes": {"calendar": _book(state.codes.calendar), "priorities": _book(state.codes.priorities),
                  "commitments": _book(state.codes.commitments)},
        "decisions": {"priorities": _item_decisions(state.decisions.priorities),
                      "commitments": _item_decisions(state.decisions.commitments)},
    }
    return orjson.dumps(body)


# -- older formats, brought forward one step at a time --------------------------------------------------

def _from_format_1(body: dict[str, Any]) -> dict[str, Any]:
    """Format 1 (items as the wire documents plus source flags) had no decisions. Its item fields
    match format 2's; a field renamed on the wire since would be renamed back here."""
    empty: dict[str, Any] = {"dismissed": [], "snoozed_until": {}}
    return {**body, "format": 2, "decisions": {"priorities": empty, "commitments": empty}}


def _from_format_2(body: dict[str, Any]) -> dict[str, Any]:
    """Format 3 adds what derived items carry (origin, reason, counterparty_email, confidence,
    closed_by), all optional: items stored by format 2 were all sent by a PUT and have none."""
    return {**body, "format": 3}


_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _from_format_1, 2: _from_format_2}


def _current(body: dict[str, Any]) -> dict[str, Any]:
    while body.get("format") in _UPGRADES:
        body = _UPGRADES[body["format"]](body)
    if body.get("format") != FORMAT:
        raise ValueError(f"unknown stored state format {body.get('format')!r}")
    return body


def _origin(item: dict[str, Any]) -> Origin | None:
    return None if item.get("origin") is None else Origin(**item["origin"])


def _commitment(item: dict[str, Any]) -> Commitment:
    return Commitment(**{**item, "status": CommitmentStatus(item["status"]), "origin": _origin(item)})


def _priority(item: dict[str, Any]) -> Priority:
    return Priority(**{**item, "status": PriorityStatus(item["status"]), "origin": _origin(item)})


def decode_state(data: bytes | str) -> DashboardState:
    body = _current(orjson.loads(data))
    meta, system, brief = body["meta"], body["system"], body["active_brief"]
    state = DashboardState(
        meta=Meta(meta["epoch"], meta["version"], datetime.fromisoformat(meta["updated_at"])),
        system=SystemState(SystemStatus(system["status"]), system["progress"], _moment(system["last_sync"]),
                           system["message"]),
        calendar=tuple(CalendarItem(**{**item, "attendees": tuple(item["attendees"])}) for item in body["calendar"]),
        priorities=tuple(_priority(item) for item in body["priorities"]),
        owe=tuple(_commitment(item) for item in body["owe"]),
        owed=tuple(_commitment(item) for item in body["owed"]),
        active_brief=None if brief is None else Brief(
            **{**brief, "sources": tuple(BriefSource(**source) for source in brief["sources"]),
               "generated_at": datetime.fromisoformat(brief["generated_at"]),
               "facts": tuple(brief.get("facts", ()))}),
        codes=CodeRegistry(
            calendar=_unbook("C", body["codes"]["calendar"]),
            priorities=_unbook("P", body["codes"]["priorities"]),
            commitments=_unbook("M", body["codes"]["commitments"]),
        ),
        decisions=Decisions(
            priorities=_undecide(body["decisions"]["priorities"]),
            commitments=_undecide(body["decisions"]["commitments"]),
        ),
    )
    # A state stored before codes were bounded remembers every key it ever saw; from now on it does not.
    codes = state.codes.bounded([item.key for item in state.calendar], [item.key for item in state.priorities],
                                [item.key for item in state.commitments])
    state = state if codes == state.codes else replace(state, codes=codes)
    # Items stored before they carried `snoozed_until` get it from the decisions, as of the last change.
    return with_snooze_days(state, state.meta.updated_at.date())
