"""The board: calendar, priorities and commitments, with their codes, flags and status transitions.

Items come in as drafts (what a source knows) and are stored with a code and derived flags. All
functions here are pure: they take a state and return a new one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any, Literal, TypeVar, overload

from src.domain.codes import CodeBook, derive_key
from src.domain.decisions import ItemDecisions
from src.domain.errors import InvalidInput
from src.domain.state import (
    CalendarItem,
    Commitment,
    CommitmentStatus,
    DashboardState,
    Priority,
    PriorityStatus,
    check_unicode,
)

ALERT_LEAD = timedelta(minutes=15)  # a meeting this close gets the alert mark
NEW_FOR = timedelta(hours=24)  # an item first seen this recently is marked new
MAX_ITEMS = 1000  # per list; a board is read at a glance, this is only a guard against floods
MAX_TEXT = 2000

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}$")


def _where(index: int, field_name: str) -> list[dict[str, Any]]:
    return [{"index": index, "field": field_name}]


@overload
def _text(value: Any, index: int, name: str, *, required: Literal[True]) -> str: ...
@overload
def _text(value: Any, index: int, name: str, *, required: bool = False) -> str | None: ...
def _text(value: Any, index: int, name: str, *, required: bool = False) -> str | None:
    """A trimmed string; a blank one counts as absent."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(f"item {index}: {name} is required", _where(index, name))
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"item {index}: {name} must be a string", _where(index, name))
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"item {index}: {name} must be at most {MAX_TEXT} characters", _where(index, name))
    return check_unicode(value, f"item {index}: {name}", _where(index, name)).strip()


def _date(value: Any, index: int, name: str) -> str | None:
    if value is None:
        return None
    try:
        if isinstance(value, str) and _DATE.match(value):
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise InvalidInput(f"item {index}: {name} must be a date YYYY-MM-DD", _where(index, name))


def _time(value: Any, index: int) -> str | None:
    if value is None:
        return None
    try:
        if isinstance(value, str) and _TIME.match(value):
            return time.fromisoformat(value).strftime("%H:%M")
    except ValueError:
        pass
    raise InvalidInput(f"item {index}: time must be HH:MM", _where(index, "time"))


def _moment(value: Any, index: int, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        if isinstance(value, str):
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    raise InvalidInput(f"item {index}: {name} must be an ISO-8601 date-time", _where(index, name))


@dataclass(frozen=True, slots=True)
class CalendarDraft:
    title: str
    date: str | None = None
    time: str | None = None
    start: str | None = None
    end: str | None = None
    attendees: Sequence[str] = ()
    location: str | None = None
    key: str | None = None
    alert: bool = False


@dataclass(frozen=True, slots=True)
class PriorityDraft:
    title: str
    status: str = PriorityStatus.PENDING.value
    due_date: str | None = None
    source: str | None = None
    key: str | None = None
    alert: bool = False


@dataclass(frozen=True, slots=True)
class CommitmentDraft:
    text: str
    counterparty: str | None = None
    due_date: str | None = None
    status: str = CommitmentStatus.PENDING.value
    key: str | None = None
    urgent: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a command did to the board: `applied` is false, with the reason, when nothing changed."""

    applied: bool
    message: str


# -- flags -------------------------------------------------------------------------------------------

def _is_due(due_date: str | None, now: datetime) -> bool:
    return due_date is not None and due_date <= now.date().isoformat()


def _is_new(book: CodeBook, key: str, now: datetime) -> bool:
    seen = book.first_seen.get(key)
    return seen is not None and now - seen < NEW_FOR


def _meeting_is_close(item: CalendarItem, now: datetime) -> bool:
    if item.time is None:  # all-day
        return False
    starts = datetime.combine(date.fromisoformat(item.date), time.fromisoformat(item.time), now.tzinfo)
    return timedelta(0) <= starts - now <= ALERT_LEAD


def _snoozed_until(decisions: ItemDecisions, key: str, today: date) -> str | None:
    return decisions.snoozed_until[key].isoformat() if decisions.is_snoozed(key, today) else None


def with_snooze_days(state: DashboardState, today: date) -> DashboardState:
    """Each item's `snoozed_until` from the person's decisions, for a state read back from storage
    that was written before items carried it."""
    decisions = state.decisions
    return replace(
        state,
        priorities=tuple(replace(p, snoozed_until=_snoozed_until(decisions.priorities, p.key, today))
                         for p in state.priorities),
        owe=tuple(replace(c, snoozed_until=_snoozed_until(decisions.commitments, c.key, today)) for c in state.owe),
        owed=tuple(replace(c, snoozed_until=_snoozed_until(decisions.commitments, c.key, today)) for c in state.owed),
    )


def with_derived_flags(state: DashboardState, now: datetime) -> DashboardState:
    """Recomputes alert, new and urgent from the rules and the clock; what a source flagged stays flagged."""
    codes = state.codes
    calendar = tuple(
        replace(item, alert=item.source_alert or _meeting_is_close(item, now),
                new=_is_new(codes.calendar, item.key, now))
        for item in state.calendar
    )
    # A snoozed item raises nothing until its day, whatever its source or due date says.
    today, decisions = now.date(), state.decisions
    priorities = tuple(
        replace(item, alert=not decisions.priorities.is_snoozed(item.key, today) and (
                    item.source_alert or (item.status != PriorityStatus.DONE and _is_due(item.due_date, now))),
                new=_is_new(codes.priorities, item.key, now),
                snoozed_until=_snoozed_until(decisions.priorities, item.key, today))
        for item in state.priorities
    )

    def commitment(item: Commitment) -> Commitment:
        due = item.status == CommitmentStatus.PENDING and _is_due(item.due_date, now)
        snoozed = decisions.commitments.is_snoozed(item.key, today)
        return replace(item, urgent=not snoozed and (item.source_urgent or due),
                       snoozed_until=_snoozed_until(decisions.commitments, item.key, today))

    return replace(
        state,
        calendar=calendar,
        priorities=priorities,
        owe=tuple(commitment(item) for item in state.owe),
        owed=tuple(commitment(item) for item in state.owed),
    )


# -- replacing a part of the board --------------------------------------------------------------------

def _unique_keys(explicit: list[str | None], derived: list[str]) -> list[str]:
    """Keys for a list: explicit ones must not repeat; derived ones that collide get a counter."""
    seen: dict[str, int] = {}
    keys = []
    for index, (given, fallback) in enumerate(zip(explicit, derived)):
        if given is not None:
            if given in seen:
                raise InvalidInput(f"item {index}: key {given!r} appears twice", _where(index, "key"))
            seen[given] = 1
            keys.append(given)
            continue
        key = fallback
        while key in seen:
            seen[fallback] += 1
            key = f"{fallback}#{seen[fallback]}"
        seen[key] = 1
        keys.append(key)
    return keys


def _explicit_key(value: Any, index: int) -> str | None:
    key = _text(value, index, "key")
    if key is not None and len(key) > 200:
        raise InvalidInput(f"item {index}: key must be at most 200 characters", _where(index, "key"))
    return key


def _not_dismissed(items: Sequence[T], dismissed: frozenset[str]) -> tuple[T, ...]:
    """The items the person has not dismissed: `dismiss` is for good. (A dismissed key keeps the
    code it had, so leaving it out after the codes are assigned takes no code from anyone.)"""
    return tuple(item for item in items if item.key not in dismissed)


def _derived(items: Sequence[T], keys: Sequence[str]) -> list[T]:
    """The items of a part that the service derived (they have an origin): a PUT keeps them. A PUT
    item may not take a derived item's key."""
    derived = [item for item in items if item.origin is not None]
    taken = {item.key for item in derived}
    for index, key in enumerate(keys):
        if key in taken:
            raise InvalidInput(f"item {index}: key {key!r} belongs to an item the service derived",
                               _where(index, "key"))
    return derived


def _check_count(items: Sequence[Any]) -> None:
    if len(items) > MAX_ITEMS:
        raise InvalidInput(f"at most {MAX_ITEMS} items per list")


def _calendar_fields(draft: CalendarDraft, index: int) -> dict[str, Any]:
    title = _text(draft.title, index, "title", required=True)
    start = _moment(draft.start, index, "start")
    _moment(draft.end, index, "end")
    day = _date(draft.date, index, "date") or (start.date().isoformat() if start else None)
    if day is None:
        raise InvalidInput(f"item {index}: date (or start) is required", _where(index, "date"))
    clock_time = _time(draft.time, index)
    if clock_time is None and start is not None and len(draft.start or "") > 10:
        clock_time = start.strftime("%H:%M")
    attendees = draft.attendees or ()
    if isinstance(attendees, str) or not all(isinstance(a, str) for a in attendees):
        raise InvalidInput(f"item {index}: attendees must be a list of strings", _where(index, "attendees"))
    for attendee in attendees:
        check_unicode(attendee, f"item {index}: attendees", _where(index, "attendees"))
    return {
        "title": title, "date": day, "time": clock_time, "start": draft.start, "end": draft.end,
        "attendees": tuple(attendees), "location": _text(draft.location, index, "location"),
        "source_alert": bool(draft.alert),
    }


def replace_calendar(state: DashboardState, drafts: Sequence[CalendarDraft], now: datetime) -> DashboardState:
    """The calendar becomes `drafts`, shown in time order, each keeping the code its key had."""
    _check_count(drafts)
    fields = [_calendar_fields(draft, index) for index, draft in enumerate(drafts)]
    keys = _unique_keys(
        [_explicit_key(draft.key, index) for index, draft in enumerate(drafts)],
        [derive_key(f["title"], f["date"]) for f in fields],
    )
    ordered = sorted(zip(keys, fields), key=lambda pair: (pair[1]["date"], pair[1]["time"] or ""))
    book, codes = state.codes.calendar.assign([key for key, _ in ordered], now)
    calendar = tuple(
        CalendarItem(id=code, key=key, alert=False, new=False, **f) for code, (key, f) in zip(codes, ordered)
    )
    changed = replace(state, calendar=calendar, codes=replace(state.codes, calendar=book))
    return with_derived_flags(changed, now)


def _enum(kind: type[Enum], value: Any, index: int, name: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidInput(f"item {index}: {name} must be one of {allowed}", _where(index, name)) from None


def replace_priorities(state: DashboardState, drafts: Sequence[PriorityDraft], now: datetime) -> DashboardState:
    """The priorities become `drafts`, in the order given, each keeping the code its key had."""
    _check_count(drafts)
    titles = [_text(draft.title, index, "title", required=True) for index, draft in enumerate(drafts)]
    keys = _unique_keys(
        [_explicit_key(draft.key, index) for index, draft in enumerate(drafts)],
        [derive_key(title) for title in titles],
    )
    derived = _derived(state.priorities, keys)
    book, codes = state.codes.priorities.assign([*keys, *(item.key for item in derived)], now)
    priorities = tuple(
        Priority(
            id=code, key=key, title=title,
            status=_enum(PriorityStatus, draft.status, index, "status"),
            due_date=_date(draft.due_date, index, "due_date"),
            source=_text(draft.source, index, "source"),
            alert=False, new=False, source_alert=bool(draft.alert),
        )
        for index, (draft, title, key, code) in enumerate(zip(drafts, titles, keys, codes))
    ) + tuple(replace(item, id=code) for item, code in zip(derived, codes[len(keys):]))
    priorities = _not_dismissed(priorities, state.decisions.priorities.dismissed)
    changed = replace(state, priorities=priorities, codes=replace(state.codes, priorities=book))
    return with_derived_flags(changed, now)


def replace_commitments(
    state: DashboardState,
    owe: Sequence[CommitmentDraft],
    owed: Sequence[CommitmentDraft],
    now: datetime,
) -> DashboardState:
    """Both commitment columns at once: one code sequence, `owe` first, then `owed`."""
    drafts = [*owe, *owed]
    _check_count(drafts)
    texts = [_text(draft.text, index, "text", required=True) for index, draft in enumerate(drafts)]
    keys = _unique_keys(
        [_explicit_key(draft.key, index) for index, draft in enumerate(drafts)],
        [derive_key(text, draft.counterparty) for text, draft in zip(texts, drafts)],
    )
    derived_owe, derived_owed = _derived(state.owe, keys), _derived(state.owed, keys)
    owe_keys, owed_keys = keys[: len(owe)], keys[len(owe):]
    book, codes = state.codes.commitments.assign(
        [*owe_keys, *(i.key for i in derived_owe), *owed_keys, *(i.key for i in derived_owed)], now)
    codes_of = dict(zip([*owe_keys, *(i.key for i in derived_owe), *owed_keys, *(i.key for i in derived_owed)],
                        codes))
    items = [
        Commitment(
            id=codes_of[key], key=key, text=text,
            counterparty=_text(draft.counterparty, index, "counterparty"),
            due_date=_date(draft.due_date, index, "due_date"),
            status=_enum(CommitmentStatus, draft.status, index, "status"),
            urgent=False, source_urgent=bool(draft.urgent),
        )
        for index, (draft, text, key) in enumerate(zip(drafts, texts, keys))
    ]
    dismissed = state.decisions.commitments.dismissed
    owe_items = [*items[: len(owe)], *(replace(i, id=codes_of[i.key]) for i in derived_owe)]
    owed_items = [*items[len(owe):], *(replace(i, id=codes_of[i.key]) for i in derived_owed)]
    changed = replace(
        state, owe=_not_dismissed(owe_items, dismissed), owed=_not_dismissed(owed_items, dismissed),
        codes=replace(state.codes, commitments=book),
    )
    return with_derived_flags(changed, now)


# -- transitions ---------------------------------------------------------------------------------------

T = TypeVar("T", Priority, Commitment)


def _find(items: Iterable[T], code: str) -> T | None:
    return next((item for item in items if item.id == code), None)


def _swap(items: tuple[T, ...], old: T, new: T) -> tuple[T, ...]:
    return tuple(new if item is old else item for item in items)


def set_priority_status(
    state: DashboardState, code: str, status: PriorityStatus, now: datetime
) -> tuple[DashboardState | None, Outcome]:
    """Marks priority `code`; no new state (None) when it is not on the board or already so."""
    item = _find(state.priorities, code)
    if item is None:
        return None, Outcome(False, f"{code} is not on the board")
    if item.status == status:
        return None, Outcome(False, f"{code} is already {status.value}")
    priorities = _swap(state.priorities, item, replace(item, status=status))
    changed = with_derived_flags(replace(state, priorities=priorities), now)
    return changed, Outcome(True, f"{code} ({item.title}) is now {status.value}")


def complete_commitment(
    state: DashboardState, code: str, now: datetime
) -> tuple[DashboardState | None, Outcome]:
    """Marks commitment `code` done, in whichever column it stands."""
    item = _find(state.commitments, code)
    if item is None:
        return None, Outcome(False, f"{code} is not on the board")
    if item.status == CommitmentStatus.DONE:
        return None, Outcome(False, f"{code} is already done")
    done = replace(item, status=CommitmentStatus.DONE)
    changed = replace(state, owe=_swap(state.owe, item, done), owed=_swap(state.owed, item, done))
    return with_derived_flags(changed, now), Outcome(True, f"{code} ({item.text}) is now done")

