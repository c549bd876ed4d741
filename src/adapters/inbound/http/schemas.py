"""Request bodies as the REST API takes them. Types are checked here; the rules (bounds, dates,
statuses) are the domain's, so in-process callers meet the same ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, StrictStr

from src.application.use_cases.extract_items import MessageToRead
from src.domain.board import CalendarDraft, CommitmentDraft, PriorityDraft
from src.domain.errors import InvalidInput


class _Body(BaseModel):
    # A misspelt field is refused rather than silently ignored.
    model_config = ConfigDict(extra="forbid")


class StatusUpdate(_Body):
    status: StrictStr | None = None
    progress: StrictInt | None = None
    message: StrictStr | None = None

    def given(self) -> dict[str, Any]:
        """Only the fields the client sent: an absent message keeps the old one, null clears it."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class CommandRequest(_Body):
    command: StrictStr


CollectionMode = Literal["quick", "full"]


class CollectionRequest(_Body):
    """`POST /api/trigger_collection`'s optional body: `{"type": "full"}`, or `{"mode": "full"}`."""

    type: CollectionMode | None = None
    mode: CollectionMode | None = None


def collection_mode(*given: CollectionMode | None) -> CollectionMode:
    """The one mode the query and the body ask for ("quick" when none does); two that differ are a 400."""
    asked = {mode for mode in given if mode is not None}
    if len(asked) > 1:
        raise InvalidInput("type and mode disagree: ask for one collection mode", [{"field": "type"}])
    return asked.pop() if asked else "quick"


class _Item(_Body):
    model_config = ConfigDict(extra="ignore")  # derived fields (id, new, ...) may come back as they were sent


class CalendarItemIn(_Item):
    title: StrictStr
    key: StrictStr | None = None
    date: StrictStr | None = None
    time: StrictStr | None = None
    start: StrictStr | None = None
    end: StrictStr | None = None
    attendees: list[StrictStr] = []
    location: StrictStr | None = None
    alert: StrictBool = False

    def draft(self) -> CalendarDraft:
        return CalendarDraft(**self.model_dump())


class PriorityIn(_Item):
    title: StrictStr
    key: StrictStr | None = None
    status: StrictStr = "pending"
    due_date: StrictStr | None = None
    source: StrictStr | None = None
    alert: StrictBool = False

    def draft(self) -> PriorityDraft:
        return PriorityDraft(**self.model_dump())


class CommitmentIn(_Item):
    text: StrictStr
    key: StrictStr | None = None
    counterparty: StrictStr | None = None
    due_date: StrictStr | None = None
    status: StrictStr = "pending"
    urgent: StrictBool = False

    def draft(self) -> CommitmentDraft:
        return CommitmentDraft(**self.model_dump())


class CommitmentsIn(_Body):
    owe: list[CommitmentIn] = []
    owed: list[CommitmentIn] = []


class MessageIn(_Body):
    """One message of `POST /api/extract`: `at` is ISO-8601 (without an offset: the person's zone)."""

    id: StrictStr
    text: StrictStr
    author: StrictStr
    at: StrictStr | None = None
    to: list[StrictStr] | None = None
    thread: StrictStr | None = None

    def to_read(self, position: int) -> MessageToRead:
        return MessageToRead(id=self.id, text=self.text, author=self.author, at=self._sent_at(position),
                             to=tuple(self.to) if self.to else None, thread=self.thread)

    def _sent_at(self, position: int) -> datetime | None:
        if self.at is None:
            return None
        try:
            return datetime.fromisoformat(self.at)
        except ValueError:
            raise InvalidInput(f"messages.{position}.at must be an ISO-8601 date and time",
                               [{"field": f"messages.{position}.at"}]) from None


class ExtractRequest(_Body):
    # How many is the use case's rule (its message says the limit); the body size limit bounds parsing.
    messages: list[MessageIn]

    def to_read(self) -> list[MessageToRead]:
        return [message.to_read(position) for position, message in enumerate(self.messages)]
