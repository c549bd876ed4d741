"""A `Collector` for iCalendar (`.ics`) files: the board's calendar and the search index.

Each file is read by `read_calendar` (ical_reading.py), which skips what is broken and says so.
Today and the next days become `state.calendar` (C1..Cn, in time order, at most the board's
MAX_ITEMS); a wider window is indexed for search and briefs. Every file that cannot be read at all
is named in one run; the others are still collected.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from src.adapters.outbound.ical_reading import Occurrence, UnreadableCalendar, read_calendar
from src.application.ports import Clock, CollectionOutcome, ProgressReport
from src.application.use_cases.replace_board import ReplaceCalendar
from src.domain.board import MAX_ITEMS
from src.search.database import SearchDatabase

BOARD_DAYS = 7  # today and the six days after it
INDEX_PAST_DAYS = 90
INDEX_FUTURE_DAYS = 60
MAX_FILE_BYTES = 32 * 1024**2  # a busy work calendar exported whole is a few MB; icalendar parses about 1 MB a second


def ics_files(paths: list[Path], failures: list[str]) -> list[Path]:
    """The .ics files at `paths`; a path that holds none goes to `failures`, saying why."""
    found = []
    for path in paths:
        if path.is_dir():
            in_folder = sorted(p for p in path.rglob("*.ics") if p.is_file())
            if not in_folder:  # an empty board here would wipe the calendar collected before
                failures.append(f"no .ics files in {path}")
            found += in_folder
        elif path.is_file():
            found.append(path)
        else:
            failures.append(f"calendar not found: {path}")
    return found


def _read_file(path: Path, start: date, end: date, zone):
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableCalendar(f"{path.name} is {size / 1024**2:.1f} MB, more than the "
                                 f"{MAX_FILE_BYTES // 1024**2} MB a calendar may be")
    with open(path, "rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)  # the file may grow while it is read
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableCalendar(f"{path.name} is more than the {MAX_FILE_BYTES // 1024**2} MB a calendar may be")
    return read_calendar(data, path.name, start, end, zone)


@dataclass
class CalendarsRead:
    board: list[Occurrence] = field(default_factory=list)  # today and the next days, in time order
    indexed: list[Occurrence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # one line per file that had something skipped
    failures: list[str] = field(default_factory=list)  # one line per path nothing could be read from


def read_calendars(paths: list[Path], today: date, zone) -> CalendarsRead:
    result = CalendarsRead()
    for path in ics_files(paths, result.failures):
        try:
            reading = _read_file(path, today - timedelta(days=INDEX_PAST_DAYS),
                                 today + timedelta(days=INDEX_FUTURE_DAYS), zone)
        except (UnreadableCalendar, OSError) as error:
            result.failures.append(str(error) if isinstance(error, UnreadableCalendar) else f"{path.name}: {error}")
            continue
        result.indexed += reading.occurrences
        if warning := reading.warning():
            result.warnings.append(warning)
    # One meeting in two calendars (the person's and a team's) is one item: the board refuses a key twice.
    result.indexed = list({o.key: o for o in reversed(result.indexed)}.values())[::-1]
    board_end = today + timedelta(days=BOARD_DAYS)
    board = sorted((o for o in result.indexed if today <= o.day < board_end), key=_time_order)
    if len(board) > MAX_ITEMS:  # checked before anything is indexed: the board would refuse the list
        result.warnings.append(f"the board shows the first {MAX_ITEMS:,} of {len(board):,} events "
                               f"of the next {BOARD_DAYS} days")
        board = board[:MAX_ITEMS]
    result.board = board
    return result


def _time_order(occurrence: Occurrence) -> tuple[str, str]:
    return occurrence.day.isoformat(), "" if occurrence.all_day else occurrence.start.strftime("%H:%M")


class IcsCalendarCollector:
    name = "calendar"
    hooks = None  # CollectorHooks, set by bootstrap: attendees and organisers go to the people directory

    def __init__(self, database: SearchDatabase, paths: list[Path], replace_calendar: ReplaceCalendar,
                 clock: Clock) -> None:
        self._database = database
        self._paths = [Path(p) for p in paths]
        self._replace_calendar = replace_calendar
        self._clock = clock

    async def collect(self, mode: str, report: ProgressReport) -> CollectionOutcome:
        now = self._clock.now()
        await report(0.1, "calendar: reading .ics files")
        read = await asyncio.to_thread(read_calendars, self._paths, now.date(), now.tzinfo)
        if read.failures and not read.indexed and not read.board:
            raise ValueError("; ".join(read.failures))  # nothing read: the calendar and index stay as they were
        await report(0.6, f"calendar: indexing {len(read.indexed)} events")
        await asyncio.to_thread(self._database.index_records_batch, [o.record() for o in read.indexed], "calendar")
        await self._replace_calendar([o.draft() for o in read.board])
        if self.hooks is not None:
            await self.hooks.add_people(list(dict.fromkeys(s for o in read.indexed for s in o.people)), "calendar")
        await report(1.0, f"calendar: {len(read.board)} events in the next {BOARD_DAYS} days")
        if read.failures:  # the others were collected; the run still ends in ERROR naming every one
            raise ValueError("; ".join([*read.failures, *read.warnings]))
        return CollectionOutcome(f"{len(read.indexed)} events indexed, {len(read.board)} on the board",
                                 tuple(read.warnings))
