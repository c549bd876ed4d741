"""A `Collector` for iCalendar (`.ics`) files: the board's calendar and the search index.

Parsed with `icalendar`; Google's `X-WR-TIMEZONE` made standard with `x-wr-timezone`; recurring
events expanded with `recurring-ical-events` (exceptions and moved occurrences included); Outlook's
Windows zone names resolved by `icalendar`. Today and the next days become `state.calendar`
(C1..Cn, in time order); a wider window is indexed for search and briefs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events
import x_wr_timezone

from src.adapters.outbound.people_sources import calendar_event_people
from src.application.ports import Clock, ProgressReport
from src.application.use_cases.replace_board import ReplaceCalendar
from src.domain.board import CalendarDraft
from src.search.database import SearchDatabase

BOARD_DAYS = 7  # today and the six days after it
INDEX_PAST_DAYS = 90
INDEX_FUTURE_DAYS = 60


def ics_files(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        if path.is_dir():
            in_folder = sorted(path.rglob("*.ics"))
            if not in_folder:  # an empty board here would wipe the calendar collected before
                raise FileNotFoundError(f"no .ics files in {path}")
            found += in_folder
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"calendar not found: {path}")
    return found


def _email(value: Any) -> str:
    return str(value).removeprefix("mailto:").removeprefix("MAILTO:").strip()


def _occurrences(path: Path, start: date, end: date) -> Iterator[icalendar.Event]:
    try:
        calendar = x_wr_timezone.to_standard(icalendar.Calendar.from_ical(path.read_bytes()))
        yield from recurring_ical_events.of(calendar).between(start, end)
    except (ValueError, KeyError, IndexError) as error:
        raise ValueError(f"{path.name} is not a calendar that can be read: {error}") from error


class Occurrence:
    """One occurrence of an event, in the person's time zone."""

    def __init__(self, event: icalendar.Event, zone) -> None:
        self.title = str(event.get("SUMMARY") or "(no title)")
        start, end = event["DTSTART"].dt, event.get("DTEND").dt if event.get("DTEND") else None
        self.all_day = not isinstance(start, datetime)
        if not self.all_day:
            start = start.astimezone(zone) if start.tzinfo else start.replace(tzinfo=zone)
            end = (end.astimezone(zone) if end.tzinfo else end.replace(tzinfo=zone)) if end else None
        self.start, self.end = start, end
        self.day = start if self.all_day else start.date()
        self.location = str(event.get("LOCATION") or "") or None
        self.description = str(event.get("DESCRIPTION") or "")
        attendees = event.get("ATTENDEE") or []
        self.attendees = [_email(a) for a in (attendees if isinstance(attendees, list) else [attendees])]
        self.organizer = _email(event.get("ORGANIZER")) if event.get("ORGANIZER") else None
        self.key = f"{event.get('UID') or self.title}@{start.isoformat()}"
        self.people = calendar_event_people(event)  # for the people directory, with CN names

    def draft(self) -> CalendarDraft:
        return CalendarDraft(
            title=self.title, date=self.day.isoformat(), time=None if self.all_day else self.start.strftime("%H:%M"),
            start=self.start.isoformat(), end=self.end.isoformat() if self.end else None,
            attendees=self.attendees, location=self.location, key=self.key,
        )

    def record(self) -> dict[str, Any]:
        when = {"date": self.day.isoformat()} if self.all_day else {"dateTime": self.start.isoformat()}
        return {
            "id": self.key, "summary": self.title, "location": self.location, "description": self.description,
            "organizer": {"email": self.organizer} if self.organizer else None,
            "attendees": [{"email": email} for email in self.attendees], "start": when,
        }


def read_calendars(paths: list[Path], today: date, zone) -> tuple[list[Occurrence], list[Occurrence]]:
    """(occurrences for the board, occurrences to index)."""
    indexed: list[Occurrence] = []
    for path in ics_files(paths):
        for event in _occurrences(path, today - timedelta(days=INDEX_PAST_DAYS),
                                  today + timedelta(days=INDEX_FUTURE_DAYS)):
            indexed.append(Occurrence(event, zone))
    board_end = today + timedelta(days=BOARD_DAYS)
    board = [o for o in indexed if today <= o.day < board_end]
    return board, indexed


class IcsCalendarCollector:
    name = "calendar"
    hooks = None  # CollectorHooks, set by bootstrap: attendees and organisers go to the people directory

    def __init__(self, database: SearchDatabase, paths: list[Path], replace_calendar: ReplaceCalendar,
                 clock: Clock) -> None:
        self._database = database
        self._paths = [Path(p) for p in paths]
        self._replace_calendar = replace_calendar
        self._clock = clock

    async def collect(self, mode: str, report: ProgressReport) -> None:
        now = self._clock.now()
        await report(0.1, "calendar: reading .ics files")
        board, indexed = await asyncio.to_thread(read_calendars, self._paths, now.date(), now.tzinfo)
        await report(0.6, f"calendar: indexing {len(indexed)} events")
        await asyncio.to_thread(self._database.index_records_batch, [o.record() for o in indexed], "calendar")
        await self._replace_calendar([o.draft() for o in board])
        if self.hooks is not None:
            await self.hooks.add_people(list(dict.fromkeys(s for o in indexed for s in o.people)), "calendar")
        await report(1.0, f"calendar: {len(board)} events in the next {BOARD_DAYS} days")
