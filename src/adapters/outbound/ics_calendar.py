"""The calendar `Collector`: iCalendar documents from files, http(s) links and a CalDAV account,
on the board's calendar and in the search index.

Every document, wherever it comes from, is read by `read_calendar` (ical_reading.py): the same
recurrences, zones, limits and skipped-and-said rules. Today and the next days become
`state.calendar` (C1..Cn, in time order, at most the board's MAX_ITEMS); a wider window is indexed
for search and briefs. One collector for all of them, because the board's calendar is one list:
two collectors would each replace it with their own half.

A document read before, unchanged and on the same day, is not read again by a quick collection (a
link answering 304, a CalDAV event that did not change), and its events are not indexed again; a
full collection reads and indexes everything. An event gone from its
source (deleted in CalDAV, out of a file) leaves the index too: the ids indexed from each document
are kept in the data folder. A source that fails is named; what it gave before stays.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import traceback
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from pathlib import Path

from src.adapters.outbound.calendar_feeds import (
    CalendarBody,
    CalendarFeed,
    FeedRead,
    LocalCalendarFiles,
    read_json,
    write_atomically,
)
from src.adapters.outbound.ical_reading import CalendarReading, Occurrence, UnreadableCalendar, read_calendar
from src.application.ports import Clock, CollectionOutcome, ProgressReport
from src.application.use_cases.replace_board import ReplaceCalendar
from src.domain.board import MAX_ITEMS
from src.search.database import SearchDatabase

BOARD_DAYS = 7  # today and the six days after it
INDEX_PAST_DAYS = 90
INDEX_FUTURE_DAYS = 60
SOURCE = "calendar"  # the index's source for every calendar event, whatever feed it came from
logger = logging.getLogger(__name__)


@dataclass
class CalendarsRead:
    """What a collection read from every source, before anything is indexed or put on the board."""

    board: list[Occurrence] = field(default_factory=list)  # today and the next days, in time order
    indexed: list[Occurrence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # one line per document that had something skipped
    failures: list[str] = field(default_factory=list)  # one line per source nothing could be read from
    feeds: list[FeedRead] = field(default_factory=list)  # what each source answered
    fresh: list[Occurrence] = field(default_factory=list)  # of documents read anew: to index
    keys_by_body: dict[str, list[str]] = field(default_factory=dict)  # the index ids of each document read
    unread: set[str] = field(default_factory=set)  # documents that could not be read: their rows stay


def _window(today: date) -> tuple[date, date]:
    return today - timedelta(days=INDEX_PAST_DAYS), today + timedelta(days=INDEX_FUTURE_DAYS)


def _combined(readings: list[CalendarReading], today: date, result: CalendarsRead) -> CalendarsRead:
    for reading in readings:
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


def _counted(count: int, what: str) -> str:
    return f"{count:,} {what}{'' if count == 1 else 's'}"


def _summary(result: CalendarsRead, indexed: int, removed: int) -> str:
    """The run in one line; documents fetched are said only when a feed fetches (a link, CalDAV):
    "0 documents fetched" about a local file would read as if nothing had been read."""
    fetching = [feed for feed in result.feeds if feed.feed != LocalCalendarFiles.id]
    fetched = f"{_counted(sum(feed.fetched for feed in fetching), 'document')} fetched, " if fetching else ""
    return (f"{_counted(len(result.indexed), 'event')}, {len(result.board):,} on the board; "
            f"{fetched}{_counted(indexed, 'event')} indexed, {removed:,} removed")


def _time_order(occurrence: Occurrence) -> tuple[str, str]:
    return occurrence.day.isoformat(), "" if occurrence.all_day else occurrence.start.strftime("%H:%M")


@dataclass
class _Parsed:
    """A document's reading, kept while the document and the day stay the same."""

    digest: str
    day: date
    zone: str
    reading: CalendarReading


class IcsCalendarCollector:
    """The calendar collector (named for its first source, `.ics` files): `paths` are files and
    folders of them; `feeds` are further sources (links, a CalDAV account); `state_dir` keeps which
    index ids came from which document, so a restart still removes what its source deleted."""

    name = "calendar"
    hooks = None  # CollectorHooks, set by bootstrap: attendees and organisers go to the people directory

    def __init__(self, database: SearchDatabase, paths: list[Path], replace_calendar: ReplaceCalendar,
                 clock: Clock, feeds: list[CalendarFeed] | tuple[CalendarFeed, ...] = (),
                 state_dir: Path | None = None) -> None:
        self._database = database
        self._feeds: list[CalendarFeed] = ([LocalCalendarFiles([Path(p) for p in paths])] if paths else [])
        self._feeds += list(feeds)
        self._replace_calendar = replace_calendar
        self._clock = clock
        self._keys_file = state_dir / "calendar-index.json" if state_dir is not None else None
        self._parsed: dict[str, _Parsed] = {}
        self._keys_in_memory: dict[str, list[str]] | None = None
        self._last_bodies: dict[str, list[CalendarBody]] = {}  # by feed id: answered if it raises
        self.documents_read = 0  # documents parsed so far (what a 304 or an unchanged event spares)

    async def collect(self, mode: str, report: ProgressReport) -> CollectionOutcome:
        now = self._clock.now()
        if mode == "full":  # every document read and indexed again, changed or not
            self._parsed.clear()
        await report(0.05, f"calendar: reading {len(self._feeds)} source{'s' if len(self._feeds) != 1 else ''}")
        result = await self.read(now.date(), now.tzinfo)
        if result.failures and not result.indexed and not result.keys_by_body:
            raise ValueError("; ".join(result.failures))  # nothing read: the calendar and index stay as they were
        await report(0.6, f"calendar: indexing {len(result.fresh)} events")
        try:
            removed = await asyncio.to_thread(self._index, result)
        except BaseException:
            self._parsed.clear()  # what was read but not indexed is read again next time
            raise
        await self._replace_calendar([o.draft() for o in result.board])
        if self.hooks is not None:
            await self.hooks.add_people(list(dict.fromkeys(s for o in result.indexed for s in o.people)), "calendar")
        await report(1.0, f"calendar: {len(result.board)} events in the next {BOARD_DAYS} days")
        if result.failures:  # the others were collected; the run still ends in ERROR naming every one
            raise ValueError("; ".join([*result.failures, *result.warnings]))
        return CollectionOutcome(_summary(result, len(result.fresh), removed), tuple(result.warnings))

    async def read(self, today: date, zone: tzinfo | None) -> CalendarsRead:
        """Every source read and its documents parsed: what `collect` then indexes and puts on the board."""
        feeds = list(await asyncio.gather(*(self._read_feed(feed) for feed in self._feeds)))
        return await asyncio.to_thread(self._read, feeds, today, zone)

    async def _read_feed(self, feed: CalendarFeed) -> FeedRead:
        """What `feed` has now. A feed that raises (a bug, a library's surprise) fails alone, named,
        and answers the documents it gave last in this process: the others' events are collected and
        its own stay on the board (and in the index, as for any feed that fails)."""
        try:
            read = await feed.read()
        except Exception as error:  # noqa: BLE001 - one source's fault never takes the others' events
            # Its text may quote a secret address: the kind of error is said, and where in the code.
            logger.warning("%s failed unexpectedly (%s):\n%s", feed.shown, type(error).__name__,
                           "".join(traceback.format_tb(error.__traceback__)).rstrip())
            return FeedRead(feed.id, list(self._last_bodies.get(feed.id, [])),
                            [f"{feed.shown}: failed unexpectedly ({type(error).__name__})"])
        self._last_bodies[feed.id] = read.bodies
        return read

    # -- reading: in a worker thread ------------------------------------------------------------------

    def _read(self, feeds: list[FeedRead], today: date, zone: tzinfo | None) -> CalendarsRead:
        result = CalendarsRead(failures=[failure for feed in feeds for failure in feed.failures], feeds=feeds)
        readings = []
        zone_name = str(zone)
        seen = set()
        for body in (body for feed in feeds for body in feed.bodies):
            seen.add(body.id)
            digest = hashlib.sha256(body.data).hexdigest()
            kept = self._parsed.get(body.id)
            if kept is not None and (kept.digest, kept.day, kept.zone) == (digest, today, zone_name):
                reading = kept.reading  # unchanged since the last run: nothing to parse or index
            else:
                try:
                    reading = self._parse(body, today, zone)
                except UnreadableCalendar as error:
                    result.failures.append(str(error))
                    result.unread.add(body.id)
                    continue
                self._parsed[body.id] = _Parsed(digest, today, zone_name, reading)
                result.fresh += reading.occurrences
            readings.append(reading)
            result.keys_by_body[body.id] = [o.key for o in reading.occurrences]
        for gone in set(self._parsed) - seen:
            del self._parsed[gone]
        return _combined(readings, today, result)

    def _parse(self, body: CalendarBody, today: date, zone) -> CalendarReading:
        self.documents_read += 1
        return read_calendar(body.data, body.name, *_window(today), zone)

    # -- the index ------------------------------------------------------------------------------------

    def _index(self, result: CalendarsRead) -> int:
        """Indexes what was read anew and removes what is gone; answers how many records were removed.
        A document that could not be read, or whose feed failed, keeps its records."""
        keys_by_body, unread = result.keys_by_body, result.unread
        unique = list({o.key: o for o in result.fresh}.values())
        if unique:
            self._database.index_records_batch([o.record() for o in unique], SOURCE)
        before = self._indexed_keys()
        failed_feeds = [feed.feed for feed in result.feeds if not feed.complete]
        kept_as_they_were = {body_id: keys for body_id, keys in before.items()
                             if body_id in unread or (body_id not in keys_by_body
                                                      and body_id.partition(":")[0] in failed_feeds)}
        now_indexed = {**kept_as_they_were, **keys_by_body}
        current = {key for keys in now_indexed.values() for key in keys}
        stale = sorted({key for keys in before.values() for key in keys} - current)
        if stale:
            self._database.remove_records(SOURCE, stale)
        self._save_indexed_keys(now_indexed)
        return len(stale)

    def _indexed_keys(self) -> dict[str, list[str]]:
        if self._keys_in_memory is None:
            loaded = read_json(self._keys_file) if self._keys_file is not None else {}
            self._keys_in_memory = {k: list(v) for k, v in loaded.items() if isinstance(v, list)}
        return self._keys_in_memory

    def _save_indexed_keys(self, keys: dict[str, list[str]]) -> None:
        self._keys_in_memory = keys
        if self._keys_file is not None:
            write_atomically(self._keys_file, json.dumps(keys).encode())
