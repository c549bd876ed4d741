"""The whole state as JSON for storage, including what the wire leaves out (codes, source flags).

`decode_state(encode_state(s)) == s` for every state: a restart must not renumber anything.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

import orjson

from src.domain.codes import CodeBook, CodeRegistry
from src.domain.state import (
    Brief,
    BriefSource,
    CalendarItem,
    Commitment,
    CommitmentStatus,
    DashboardState,
    Meta,
    Priority,
    PriorityStatus,
    SystemState,
    SystemStatus,
)

FORMAT = 1


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


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


def encode_state(state: DashboardState) -> bytes:
    system = state.system
    body = {
        "format": FORMAT,
        "meta": {"epoch": state.meta.epoch, "version": state.meta.version,
                 "updated_at": state.meta.updated_at.isoformat()},
        "system": {"status": system.status.value, "progress": system.progress, "message": system.message,
                   "last_sync": system.last_sync.isoformat() if system.last_sync else None},
        "calendar": [{**item.to_document(), "source_alert": item.source_alert} for item in state.calendar],
        "priorities": [{**item.to_document(), "source_alert": item.source_alert} for item in state.priorities],
        "owe": [{**item.to_document(), "source_urgent": item.source_urgent} for item in state.owe],
        "owed": [{**item.to_document(), "source_urgent": item.source_urgent} for item in state.owed],
        "active_brief": None if state.active_brief is None else {
            **state.active_brief.to_document(), "generated_at": state.active_brief.generated_at.isoformat()},
        "codes": {"calendar": _book(state.codes.calendar), "priorities": _book(state.codes.priorities),
                  "commitments": _book(state.codes.commitments)},
    }
    return orjson.dumps(body)


def _commitment(item: dict[str, Any]) -> Commitment:
    return Commitment(**{**item, "status": CommitmentStatus(item["status"])})


def decode_state(data: bytes | str) -> DashboardState:
    body = orjson.loads(data)
    if body.get("format") != FORMAT:
        raise ValueError(f"unknown stored state format {body.get('format')!r}")
    meta, system, brief = body["meta"], body["system"], body["active_brief"]
    state = DashboardState(
        meta=Meta(meta["epoch"], meta["version"], datetime.fromisoformat(meta["updated_at"])),
        system=SystemState(SystemStatus(system["status"]), system["progress"], _moment(system["last_sync"]),
                           system["message"]),
        calendar=tuple(CalendarItem(**{**item, "attendees": tuple(item["attendees"])}) for item in body["calendar"]),
        priorities=tuple(Priority(**{**item, "status": PriorityStatus(item["status"])}) for item in body["priorities"]),
        owe=tuple(_commitment(item) for item in body["owe"]),
        owed=tuple(_commitment(item) for item in body["owed"]),
        active_brief=None if brief is None else Brief(
            **{**brief, "sources": tuple(BriefSource(**source) for source in brief["sources"]),
               "generated_at": datetime.fromisoformat(brief["generated_at"])}),
        codes=CodeRegistry(
            calendar=_unbook("C", body["codes"]["calendar"]),
            priorities=_unbook("P", body["codes"]["priorities"]),
            commitments=_unbook("M", body["codes"]["commitments"]),
        ),
    )
    # A state stored before codes were bounded remembers every key it ever saw; from now on it does not.
    codes = state.codes.bounded([item.key for item in state.calendar], [item.key for item in state.priorities],
                                [item.key for item in state.commitments])
    return state if codes == state.codes else replace(state, codes=codes)
