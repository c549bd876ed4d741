"""What the service should post to the person now (contract section 7: BRIEF_TIME, PREP_MINUTES):
pure rules over the state and a moment in the person's zone, so a fixed clock tests them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from src.domain.state import CalendarItem, CommitmentStatus, DashboardState, PriorityStatus, SystemStatus


@dataclass(frozen=True, slots=True)
class Schedule:
    brief_time: time | None = None  # in the person's zone; None: no morning brief
    prep_minutes: int | None = None  # None: no meeting prep
    me: frozenset[str] = frozenset()  # the person's identities, lower case: they are not "other attendees"

    @classmethod
    def of(cls, brief_time: time | None, prep_minutes: int | None, me: Iterable[str]) -> Schedule:
        return cls(brief_time, prep_minutes, frozenset(identity.strip().lower() for identity in me))

    @property
    def active(self) -> bool:
        return self.brief_time is not None or self.prep_minutes is not None


def morning_brief_day(schedule: Schedule, now: datetime) -> str | None:
    """The day (YYYY-MM-DD, in the person's zone) whose morning brief is due at `now`, or None.
    From BRIEF_TIME to midnight: a service that was down at the time sends it when it is back,
    while the day lasts; the outbox keeps it to once."""
    if schedule.brief_time is None or now.time() < schedule.brief_time:
        return None
    return now.date().isoformat()


def still_collecting(state: DashboardState) -> bool:
    """A collection running: the board is being refilled, so what the day holds is not known yet."""
    return state.system.status in (SystemStatus.COLLECTING, SystemStatus.PROCESSING)


def nothing_to_act_on(state: DashboardState, now: datetime) -> str | None:
    """Why the day's brief would be empty ("no meeting, no ask and nothing due today"), or None when
    there is something: a meeting today, an open ask, or something owed due today or late. Snoozed
    items count only from their day on."""
    today, day = now.date().isoformat(), now.date()
    if any(item.date == today for item in state.calendar):
        return None
    decisions = state.decisions
    if any(p.status != PriorityStatus.DONE and not decisions.priorities.is_snoozed(p.key, day)
           for p in state.priorities):
        return None
    if any(c.status == CommitmentStatus.PENDING and c.due_date is not None and c.due_date <= today
           and not decisions.commitments.is_snoozed(c.key, day) for c in state.commitments):
        return None
    return "no meeting, no open ask and nothing due today or late"


def meeting_start(item: CalendarItem, zone: tzinfo | None) -> datetime | None:
    """When a meeting starts, as an aware moment; None for an all-day event (no time)."""
    if not item.time:
        return None
    for text in (item.start, f"{item.date}T{item.time}"):
        if not text:
            continue
        try:
            start = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            continue
        return start if start.tzinfo else start.replace(tzinfo=zone)
    return None


def with_others(item: CalendarItem, schedule: Schedule) -> bool:
    return any(attendee.strip().lower() not in schedule.me for attendee in item.attendees if attendee.strip())


@dataclass(frozen=True, slots=True)
class PrepDue:
    meeting: CalendarItem
    start: datetime


def preps_due(schedule: Schedule, state: DashboardState, now: datetime) -> list[PrepDue]:
    """The meetings with other attendees whose prep time (PREP_MINUTES before the start) has come and
    that have not started yet: a prep after the start would be stale."""
    if schedule.prep_minutes is None:
        return []
    lead = timedelta(minutes=schedule.prep_minutes)
    due = []
    for item in state.calendar:
        start = meeting_start(item, now.tzinfo)
        if start is not None and with_others(item, schedule) and start - lead <= now < start:
            due.append(PrepDue(item, start))
    return due


def meeting_still_on(state: DashboardState, meeting_key: str, start: datetime, now: datetime) -> CalendarItem | None:
    """The meeting as the board has it now, if it is still at that time and not started; None when it
    was moved, cancelled, or has begun (its prep would be stale)."""
    for item in state.calendar:
        if item.key == meeting_key:
            current = meeting_start(item, now.tzinfo)
            return item if current == start and now < start else None
    return None
