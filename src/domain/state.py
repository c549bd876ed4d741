"""The state document and its entities: plain frozen dataclasses, changed only by building new ones.

Every change produces a new `DashboardState`; the old one stays valid, so a snapshot handed to a
client or a serialiser can never change under it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from src.domain.codes import CodeRegistry
from src.domain.decisions import Decisions
from src.domain.errors import InvalidInput


class SystemStatus(StrEnum):
    IDLE = "IDLE"
    COLLECTING = "COLLECTING"
    PROCESSING = "PROCESSING"
    ERROR = "ERROR"


class PriorityStatus(StrEnum):
    PENDING = "pending"
    PARTIAL = "partial"
    DONE = "done"


class CommitmentStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"


MAX_MESSAGE_LENGTH = 500


def iso_utc(moment: datetime | None) -> str | None:
    """ISO-8601 in UTC with a `Z`, the one time format of the wire."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_status(value: Any) -> SystemStatus:
    try:
        return SystemStatus(value)
    except ValueError:
        allowed = ", ".join(s.value for s in SystemStatus)
        raise InvalidInput(f"status must be one of {allowed}", [{"field": "status"}]) from None


def check_progress(value: Any) -> int:
    # bool is an int in Python; "progress": true is still a mistake.
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput("progress must be an integer between 0 and 100", [{"field": "progress"}])
    if not 0 <= value <= 100:
        raise InvalidInput("progress must be between 0 and 100", [{"field": "progress"}])
    return value


def check_unicode(value: str, name: str, details: list[dict[str, Any]] | None = None) -> str:
    """`value` if it is text that can be stored and sent: JSON can carry a lone surrogate ("\\ud800")
    that is no character, and a state holding one could never be written out again."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{name} is not valid Unicode text (it holds a lone surrogate)",
                           details if details is not None else [{"field": name}]) from None
    return value


def check_message(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput("message must be a string or null", [{"field": "message"}])
    check_unicode(value, "message")
    if len(value) > MAX_MESSAGE_LENGTH:
        raise InvalidInput(f"message must be at most {MAX_MESSAGE_LENGTH} characters", [{"field": "message"}])
    return value


@dataclass(frozen=True, slots=True)
class SystemState:
    status: SystemStatus = SystemStatus.IDLE
    progress: int = 0
    last_sync: datetime | None = None
    message: str | None = None

    def to_document(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "progress": self.progress,
            "last_sync": iso_utc(self.last_sync),
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class CalendarItem:
    id: str
    key: str
    title: str
    date: str
    time: str | None
    start: str | None
    end: str | None
    attendees: tuple[str, ...]
    location: str | None
    alert: bool
    new: bool
    # What the item's source said about the alert; the server's own rule is added on top of it.
    source_alert: bool = False

    def to_document(self) -> dict[str, Any]:
        return {
            "id": self.id, "key": self.key, "title": self.title, "date": self.date, "time": self.time,
            "start": self.start, "end": self.end, "attendees": list(self.attendees),
            "location": self.location, "alert": self.alert, "new": self.new,
        }


MAX_QUOTE = 200  # characters of the message an origin quotes (contract section 6)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a derived item comes from (contract section 6): a Slack message is `<conversation id>/<ts>`."""

    source: str
    ref: str
    author: str | None
    at: str | None  # ISO-8601 UTC
    quote: str
    link: str | None = None
    # The conversation as people name it ("#finance", "DM with Dana Lee"), when known: an extension of
    # the contract's origin, on the wire only when set (README, "Priorities by urgency…").
    where: str | None = None

    def to_document(self) -> dict[str, Any]:
        document = {"source": self.source, "ref": self.ref, "author": self.author, "at": self.at,
                    "quote": self.quote, "link": self.link}
        if self.where is not None:
            document["where"] = self.where
        return document


def _derived_fields(item: Priority | Commitment) -> dict[str, Any]:
    """What only items the service works out carry on the wire: nothing for items sent by a PUT."""
    if item.origin is None:
        return {}
    return {"origin": item.origin.to_document(), "closed_by": item.closed_by,
            "counterparty_email": item.counterparty_email, "confidence": item.confidence}


@dataclass(frozen=True, slots=True)
class Priority:
    id: str
    key: str
    title: str
    status: PriorityStatus
    due_date: str | None
    source: str | None
    alert: bool
    new: bool
    source_alert: bool = False
    # Derived items only (contract section 6); None on items sent by a PUT.
    origin: Origin | None = None
    reason: str | None = None
    counterparty: str | None = None
    counterparty_email: str | None = None
    confidence: float | None = None
    closed_by: str | None = None
    # The day a `snooze` lasts until (YYYY-MM-DD) while it lasts: worked out with the flags from the
    # person's decisions, which stay off the wire. Optional on the wire, an extension of the contract's
    # item (README, "The dashboard").
    snoozed_until: str | None = None
    # How urgent an ask read from messages is (src/domain/urgency.py): the board's order, off the wire.
    urgency: float = 0.0

    def to_document(self) -> dict[str, Any]:
        document = {
            "id": self.id, "key": self.key, "title": self.title, "status": self.status.value,
            "due_date": self.due_date, "source": self.source, "alert": self.alert, "new": self.new,
        }
        if self.origin is not None:
            document.update(_derived_fields(self), reason=self.reason, counterparty=self.counterparty)
        if self.snoozed_until is not None:
            document["snoozed_until"] = self.snoozed_until
        return document


@dataclass(frozen=True, slots=True)
class Commitment:
    id: str
    key: str
    text: str
    counterparty: str | None
    due_date: str | None
    status: CommitmentStatus
    urgent: bool
    source_urgent: bool = False
    # Derived items only (contract section 6); None on items sent by a PUT.
    origin: Origin | None = None
    counterparty_email: str | None = None
    confidence: float | None = None
    closed_by: str | None = None
    snoozed_until: str | None = None  # as Priority.snoozed_until

    def to_document(self) -> dict[str, Any]:
        return {
            "id": self.id, "key": self.key, "text": self.text, "counterparty": self.counterparty,
            "due_date": self.due_date, "status": self.status.value, "urgent": self.urgent,
            **_derived_fields(self),
            **({"snoozed_until": self.snoozed_until} if self.snoozed_until is not None else {}),
        }


@dataclass(frozen=True, slots=True)
class BriefSource:
    """A record a brief cites: `ref` names it as origins do (a Slack message is `<conversation id>/<ts>`),
    `conversation` says where it was said ("#finance", "DM with Dana Lee"), `snippet` is plain text."""

    source: str
    date: str | None
    snippet: str
    ref: str | None = None
    author: str | None = None
    conversation: str | None = None

    def to_document(self) -> dict[str, Any]:
        return {"source": self.source, "ref": self.ref, "date": self.date, "author": self.author,
                "conversation": self.conversation, "snippet": self.snippet}


@dataclass(frozen=True, slots=True)
class Brief:
    target: str | None
    kind: str  # "meeting" | "daily" | "topic"
    title: str
    text_content: str
    html_content: str
    sources: tuple[BriefSource, ...]
    generated_at: datetime
    # What a brief writer may say in the opening paragraph, one short sentence each; never on the wire.
    facts: tuple[str, ...] = ()

    def to_document(self) -> dict[str, Any]:
        return {
            "target": self.target, "kind": self.kind, "title": self.title,
            "text_content": self.text_content, "html_content": self.html_content,
            "sources": [s.to_document() for s in self.sources],
            "generated_at": iso_utc(self.generated_at),
        }


@dataclass(frozen=True, slots=True)
class Meta:
    epoch: str
    version: int
    updated_at: datetime

    def to_document(self) -> dict[str, Any]:
        return {"epoch": self.epoch, "version": self.version, "updated_at": iso_utc(self.updated_at)}


def new_epoch() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class DashboardState:
    meta: Meta
    system: SystemState = field(default_factory=SystemState)
    calendar: tuple[CalendarItem, ...] = ()
    priorities: tuple[Priority, ...] = ()
    owe: tuple[Commitment, ...] = ()
    owed: tuple[Commitment, ...] = ()
    active_brief: Brief | None = None
    # Which code each item key holds; never on the wire, but it lives as long as the state does.
    codes: CodeRegistry = field(default_factory=CodeRegistry)
    # What the person decided about items (dismiss, snooze), by key; never on the wire either.
    decisions: Decisions = field(default_factory=Decisions)

    @classmethod
    def initial(cls, now: datetime, epoch: str | None = None) -> DashboardState:
        """Version 0 of a new history."""
        return cls(meta=Meta(epoch=epoch or new_epoch(), version=0, updated_at=now))

    def next_version(self, now: datetime) -> DashboardState:
        """The same content one version on."""
        return self.succeeding(self, now)

    def succeeding(self, previous: DashboardState, now: datetime) -> DashboardState:
        """This content as the version after `previous`: the counter grows by exactly one per change,
        whatever meta a change left on its result."""
        return replace(self, meta=Meta(previous.meta.epoch, previous.meta.version + 1, now))

    @property
    def commitments(self) -> tuple[Commitment, ...]:
        return self.owe + self.owed

    def to_document(self) -> dict[str, Any]:
        return {
            "system": self.system.to_document(),
            "calendar": [item.to_document() for item in self.calendar],
            "priorities": [item.to_document() for item in self.priorities],
            "commitments": {
                "owe": [item.to_document() for item in self.owe],
                "owed": [item.to_document() for item in self.owed],
            },
            "active_brief": self.active_brief.to_document() if self.active_brief else None,
            "meta": self.meta.to_document(),
        }
