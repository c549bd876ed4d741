"""The calendar collector on .ics files as Google Calendar and Outlook write them."""

import asyncio
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from src.adapters.outbound.ical_reading import MAX_OCCURRENCES_PER_CALENDAR, MAX_OCCURRENCES_PER_EVENT
from src.adapters.outbound.ics_calendar import CalendarsRead, IcsCalendarCollector
from src.domain.board import MAX_ITEMS
from src.application.use_cases.trigger_collection import TriggerCollection
from src.search.database import SearchDatabase
from tests.collectors.budget import measured
from tests.fakes import FixedClock
from tests.unit.core import Core

GOOGLE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Google Inc//Google Calendar 70.9054//EN
X-WR-CALNAME:dana@example.com
X-WR-TIMEZONE:Europe/Berlin
BEGIN:VEVENT
UID:standup@google.com
SUMMARY:Team standup
DTSTART:20261102T080000Z
DTEND:20261102T081500Z
RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR
EXDATE:20261126T080000Z
ORGANIZER;CN=Dana:mailto:dana@example.com
ATTENDEE;CN=Lee:mailto:lee@example.com
END:VEVENT
BEGIN:VEVENT
UID:standup@google.com
RECURRENCE-ID:20261127T080000Z
SUMMARY:Team standup (moved)
DTSTART:20261127T100000Z
DTEND:20261127T101500Z
END:VEVENT
BEGIN:VEVENT
UID:offsite@google.com
SUMMARY:Offsite
DTSTART;VALUE=DATE:20261125
DTEND;VALUE=DATE:20261126
END:VEVENT
END:VCALENDAR
"""

OUTLOOK = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:Microsoft Exchange Server 2010
BEGIN:VTIMEZONE
TZID:Pacific Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:-0700
TZOFFSETTO:-0800
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:-0800
TZOFFSETTO:-0700
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:budget@outlook
SUMMARY:Q1 budget review
LOCATION:Room 4
DTSTART;TZID=Pacific Standard Time:20261125T090000
DTEND;TZID=Pacific Standard Time:20261125T100000
ATTENDEE;ROLE=REQ-PARTICIPANT:mailto:cfo@example.com
END:VEVENT
END:VCALENDAR
"""

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)


async def read_calendars(paths, today, zone) -> CalendarsRead:
    """What the calendar collector reads from the files at `paths` (its own reading, the one a
    collection indexes and puts on the board)."""
    core = Core(clock=FixedClock(NOW))
    with tempfile.TemporaryDirectory() as folder:
        database = SearchDatabase(Path(folder) / "search.db")
        try:
            return await IcsCalendarCollector(database, paths, core.replace_calendar, core.clock).read(today, zone)
        finally:
            database.close()


@pytest.fixture
def calendars(tmp_path):
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "google.ics").write_text(GOOGLE)
    (folder / "outlook.ics").write_text(OUTLOOK)
    return folder


async def test_recurrences_exceptions_zones_and_all_day_events_land_on_the_board(calendars):
    read = await read_calendars([calendars], NOW.date(), timezone.utc)
    board, indexed = read.board, read.indexed
    by_day = [(o.day.isoformat(), None if o.all_day else o.start.strftime("%H:%M"), o.title) for o in board]
    assert ("2026-11-25", None, "Offsite") in by_day  # all-day kept
    assert ("2026-11-25", "08:00", "Team standup") in by_day  # Google, X-WR-TIMEZONE
    assert ("2026-11-25", "17:00", "Q1 budget review") in by_day  # 09:00 Pacific (Windows zone name) in UTC
    assert not any(day == "2026-11-26" and title == "Team standup" for day, _, title in by_day)  # EXDATE
    assert ("2026-11-27", "10:00", "Team standup (moved)") in by_day  # moved occurrence
    assert len(indexed) > len(board)  # the index reaches further back


async def test_the_collector_fills_the_calendar_and_the_index(calendars, tmp_path):
    core = Core(clock=FixedClock(NOW))
    database = SearchDatabase(tmp_path / "search.db")
    collector = IcsCalendarCollector(database, [calendars], core.replace_calendar, core.clock)
    reports = []

    async def report(fraction, message):
        reports.append((fraction, message))

    await collector.collect("quick", report)
    calendar = (await core.state()).calendar
    assert calendar[0].id == "C1" and [c.id for c in calendar] == [f"C{n}" for n in range(1, len(calendar) + 1)]
    budget = next(c for c in calendar if c.title == "Q1 budget review")
    assert budget.attendees == ("cfo@example.com",) and budget.location == "Room 4"
    assert database.search("budget review")[0].source == "calendar"
    assert reports[-1][0] == 1.0
    await collector.collect("quick", report)  # again: the same events keep their codes
    assert (await core.state()).calendar == calendar
    database.close()


async def test_a_file_that_is_not_a_calendar_and_a_missing_path_are_both_named(tmp_path):
    (tmp_path / "broken.ics").write_text("BEGIN:VCALENDAR\nthis is not ical\n")
    (tmp_path / "good.ics").write_text(OUTLOOK)
    read = await read_calendars([tmp_path / "broken.ics", tmp_path / "nowhere.ics", tmp_path / "good.ics"],
                          NOW.date(), timezone.utc)
    assert any("broken.ics is not a calendar" in failure for failure in read.failures)
    assert any("calendar not found" in failure and "nowhere.ics" in failure for failure in read.failures)
    assert [o.title for o in read.board] == ["Q1 budget review"]  # the readable one is still read


# Real files' quirks, each in a file of otherwise good events.
BIRTHDAYS = """BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:Birthdays
X-WR-TIMEZONE:UTC
BEGIN:VEVENT
DTSTART;VALUE=DATE:20131126
DTEND;VALUE=DATE:20131127
RRULE:FREQ=YEARLY
RDATE:20131126Z
UID:BIRTHDAY_sam@google.com
SUMMARY:Sam Lee's birthday
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20141128
DTEND;VALUE=DATE:20141129
RRULE:FREQ=YEARLY
UID:BIRTHDAY_ana@google.com
SUMMARY:Ana Ruiz's birthday
END:VEVENT
END:VCALENDAR
"""

BAD_UNTIL = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Apple Inc.//macOS 14.0//EN
BEGIN:VEVENT
UID:one-on-one@apple
SUMMARY:1:1 with Lee
DTSTART:20261125T140000Z
DTEND:20261125T143000Z
RRULE:FREQ=WEEKLY;UNTIL=2026-12-31
END:VEVENT
BEGIN:VEVENT
UID:board@apple
SUMMARY:Board prep
DTSTART:20261126T090000Z
DTEND:20261126T100000Z
END:VEVENT
END:VCALENDAR
"""

BAD_DTSTART = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Acme//Room booking 2.1//EN
BEGIN:VEVENT
UID:r1@rooms
SUMMARY:Room 4 booked
DTSTART:20261125T110000Z
DTEND:20261125T120000Z
END:VEVENT
BEGIN:VEVENT
UID:r2@rooms
SUMMARY:Room 5 booked
DTSTART:2026-11-25 13:00
DTEND:20261125T140000Z
END:VEVENT
BEGIN:VEVENT
UID:r3@rooms
SUMMARY:Room 6 booked
DTSTART:20261127T150000Z
DTEND:20261127T160000Z
END:VEVENT
END:VCALENDAR
"""

EXCHANGE = """BEGIN:VCALENDAR
METHOD:PUBLISH
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
X-WR-CALNAME:Calendar
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:040000008200E00074C5B7101A82E00800000000
SUMMARY;LANGUAGE=en-US:Supplier review
DTSTART;TZID=W. Europe Standard Time:20261126T100000
DTEND;TZID=W. Europe Standard Time:20261126T110000
RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TH;WKST=MO
END:VEVENT
END:VCALENDAR
"""


def quirky_calendars(folder):
    folder.mkdir(exist_ok=True)
    for name, text in {"google_birthday.ics": BIRTHDAYS, "apple_bad_until.ics": BAD_UNTIL,
                       "rooms.ics": BAD_DTSTART, "exchange.ics": EXCHANGE, "outlook.ics": OUTLOOK}.items():
        (folder / name).write_text(text)
    for n in range(12):  # the person's other calendars, all fine
        (folder / f"team{n:02}.ics").write_text(GOOGLE.replace("Offsite", f"Team {n} offsite")
                                               .replace("offsite@google.com", f"offsite{n}@google.com"))
    return folder


async def test_a_broken_property_or_event_is_skipped_and_the_rest_of_every_file_is_read(tmp_path):
    read = await read_calendars([quirky_calendars(tmp_path / "calendars")], NOW.date(), timezone.utc)
    titles = {(o.day.isoformat(), o.title) for o in read.board}
    assert ("2026-11-26", "Sam Lee's birthday") in titles  # its broken RDATE ignored, its RRULE kept
    assert ("2026-11-28", "Ana Ruiz's birthday") in titles
    assert ("2026-11-25", "1:1 with Lee") in titles and ("2026-11-26", "Board prep") in titles
    assert ("2026-11-25", "Room 4 booked") in titles and ("2026-11-27", "Room 6 booked") in titles
    assert not any(title == "Room 5 booked" for _, title in titles)  # no start: nowhere to put it
    assert {o.start.strftime("%H:%M") for o in read.board if o.title == "Supplier review"} == {"09:00"}  # 10:00 CET
    assert sum(o.title.endswith("offsite") for o in read.board) == 12
    assert read.failures == []
    by_file = {warning.split(":")[0]: warning for warning in read.warnings}
    assert set(by_file) == {"google_birthday.ics", "apple_bad_until.ics", "rooms.ics"}  # each named once
    assert "RDATE" in by_file["google_birthday.ics"] and "Sam Lee's birthday" in by_file["google_birthday.ics"]
    assert "RRULE" in by_file["apple_bad_until.ics"] and "1 skipped" in by_file["apple_bad_until.ics"]
    assert "DTSTART" in by_file["rooms.ics"] and "Room 5 booked" in by_file["rooms.ics"]


async def test_a_collection_with_skipped_parts_ends_idle_with_a_warning_naming_each_file(tmp_path):
    core = Core(clock=FixedClock(NOW))
    database = SearchDatabase(tmp_path / "search.db")
    collector = IcsCalendarCollector(database, [quirky_calendars(tmp_path / "calendars")],
                                     core.replace_calendar, core.clock)
    trigger = TriggerCollection(core.changes, [collector], core.jobs, core.clock, 0.0)
    await trigger("quick")
    await core.jobs.wait()
    system = (await core.state()).system
    assert system.status.value == "IDLE", system.message
    assert "3 warnings" in system.message
    for name in ("google_birthday.ics", "apple_bad_until.ics", "rooms.ics"):
        assert system.message.count(name) == 1
    assert database.search("supplier review") and database.search("Ana Ruiz")  # the others are indexed
    assert any(c.title == "Sam Lee's birthday" for c in (await core.state()).calendar)
    database.close()


async def test_every_unreadable_file_is_named_in_one_run_and_the_readable_ones_are_collected(tmp_path):
    folder = quirky_calendars(tmp_path / "calendars")
    (folder / "notes.ics").write_text("these are my notes, not a calendar")
    (folder / "export.ics").write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\n"
                                        b"UID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    core = Core(clock=FixedClock(NOW))
    database = SearchDatabase(tmp_path / "search.db")
    collector = IcsCalendarCollector(database, [folder], core.replace_calendar, core.clock)
    trigger = TriggerCollection(core.changes, [collector], core.jobs, core.clock, 0.0)
    await trigger("quick")
    await core.jobs.wait()
    system = (await core.state()).system
    assert system.status.value == "ERROR"
    assert "notes.ics" in system.message and "export.ics" in system.message
    assert database.search("supplier review")
    database.close()


def endless(frequency: str, start: str) -> str:
    """The work calendar with a 100-byte event repeating forever: what an invitation from anyone can add."""
    spam = f"BEGIN:VEVENT\nUID:spam@example.com\nSUMMARY:Spam\nDTSTART:{start}\nRRULE:FREQ={frequency}\nEND:VEVENT\n"
    return OUTLOOK.replace("END:VCALENDAR", spam + "END:VCALENDAR")


@pytest.mark.parametrize("frequency, start", [("SECONDLY", "20130101T000000Z"), ("SECONDLY", "20261101T000000Z"),
                                              ("MINUTELY", "20260801T000000Z")])
async def test_an_event_repeating_without_end_is_cut_and_said_within_a_memory_and_time_budget(
        tmp_path, frequency, start):
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "invite.ics").write_text(endless(frequency, start))
    core = Core(clock=FixedClock(NOW))
    database = SearchDatabase(tmp_path / "search.db")
    collector = IcsCalendarCollector(database, [folder], core.replace_calendar, core.clock)
    trigger = TriggerCollection(core.changes, [collector], core.jobs, core.clock, 0.0)
    with measured() as cost:
        await trigger("quick")
        await asyncio.wait_for(core.jobs.wait(), timeout=30)
    system = (await core.state()).system
    assert system.status.value == "IDLE" and "invite.ics" in system.message, system.message
    assert "Spam" in system.message and ("cut" in system.message or "skipped" in system.message)
    spam = database.get_stats()["by_source"]["calendar"] - 1  # the budget review is the other record
    assert spam <= MAX_OCCURRENCES_PER_EVENT and database.search("budget review")
    assert len((await core.state()).calendar) <= MAX_ITEMS
    assert cost.seconds < 10 and cost.peak_growth_mb < 150, cost
    database.close()


async def test_a_calendar_of_many_dense_events_stops_at_its_limits_and_says_so(tmp_path):
    events = "".join(f"BEGIN:VEVENT\r\nUID:e{n}\r\nSUMMARY:Spam {n}\r\nDTSTART:20261120T0000{n % 60:02}Z\r\n"
                     "RRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\n" for n in range(200))
    (tmp_path / "flood.ics").write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n")
    with measured() as cost:
        read = await read_calendars([tmp_path / "flood.ics"], NOW.date(), timezone.utc)
    assert len(read.indexed) <= MAX_OCCURRENCES_PER_CALENDAR
    assert "events not read" in read.warnings[0] and read.warnings[0].startswith("flood.ics")
    assert cost.seconds < 20 and cost.peak_growth_mb < 200, cost


async def test_more_events_than_the_board_holds_are_cut_before_anything_is_indexed(tmp_path):
    events = "".join(f"BEGIN:VEVENT\r\nUID:m{n}\r\nSUMMARY:Meeting {n}\r\nDTSTART:20261125T{9 + n // 200:02}"
                     f"{n % 60:02}00Z\r\nEND:VEVENT\r\n" for n in range(MAX_ITEMS + 200))
    (tmp_path / "busy.ics").write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n")
    core = Core(clock=FixedClock(NOW))
    database = SearchDatabase(tmp_path / "search.db")
    trigger = TriggerCollection(core.changes, [IcsCalendarCollector(database, [tmp_path / "busy.ics"],
                                                                    core.replace_calendar, core.clock)],
                                core.jobs, core.clock, 0.0)
    await trigger("quick")
    await core.jobs.wait()
    system = (await core.state()).system
    assert system.status.value == "IDLE" and f"first {MAX_ITEMS:,} of {MAX_ITEMS + 200:,}" in system.message
    assert len((await core.state()).calendar) == MAX_ITEMS
    assert database.get_stats()["by_source"]["calendar"] == MAX_ITEMS + 200  # all of them searchable
    database.close()


async def test_an_event_with_a_huge_title_or_uid_still_reaches_the_board_within_its_limits(tmp_path):
    uid, title = "u" * 300 + "@example.com", "Strategy " * 400
    (tmp_path / "long.ics").write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
                                       f"UID:{uid}\r\nSUMMARY:{title}\r\nDTSTART:20261125T150000Z\r\n"
                                       "END:VEVENT\r\nEND:VCALENDAR\r\n")
    core = Core(clock=FixedClock(NOW))
    database = SearchDatabase(tmp_path / "search.db")
    collector = IcsCalendarCollector(database, [tmp_path / "long.ics"], core.replace_calendar, core.clock)
    await collector.collect("quick", lambda fraction, message: asyncio.sleep(0))
    (item,) = (await core.state()).calendar
    assert item.title.startswith("Strategy Strategy") and len(item.key) <= 200
    database.close()


async def test_a_calendar_file_over_its_size_limit_is_named_and_not_read(tmp_path, monkeypatch):
    import src.adapters.outbound.calendar_feeds as calendar_feeds

    monkeypatch.setattr(calendar_feeds, "MAX_FILE_BYTES", 1024**2)
    (tmp_path / "huge.ics").write_text(OUTLOOK + "X-PAD:" + "x" * 1024**2)
    (tmp_path / "work.ics").write_text(OUTLOOK)
    read = await read_calendars([tmp_path / "huge.ics", tmp_path / "work.ics"], NOW.date(), timezone.utc)
    assert read.failures == ["huge.ics is 1.0 MB, more than the 1 MB a calendar may be"]
    assert [o.title for o in read.board] == ["Q1 budget review"]


async def test_the_summary_of_local_files_speaks_of_nothing_fetched_and_counts_in_words(tmp_path):
    """A person with one .ics file read "0 documents fetched": as if nothing had been read."""
    (tmp_path / "one.ics").write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:one@x\r\n"
                                      "SUMMARY:Budget review\r\nDTSTART:20261125T150000Z\r\nEND:VEVENT\r\n"
                                      "END:VCALENDAR\r\n")
    core = Core(clock=FixedClock(NOW))
    database = SearchDatabase(tmp_path / "search.db")
    collector = IcsCalendarCollector(database, [tmp_path / "one.ics"], core.replace_calendar, core.clock)
    outcome = await collector.collect("quick", _ignore_progress)
    database.close()
    assert outcome.summary == "1 event, 1 on the board; 1 event indexed, 0 removed"


async def _ignore_progress(fraction, message):
    await asyncio.sleep(0)


class _BrokenFeed:
    """A feed whose reading raises something no feed expects (a bug, a library's surprise), with a
    secret address in the error's text."""

    id = "link-0123456789abcdef"
    shown = "calendar https://calendar.example.com/private-***/basic.ics"
    secret = "https://calendar.example.com/private-5f2b9c0d1e7a4b3c8d6e/basic.ics"

    def __init__(self, inner=None) -> None:
        self.inner = inner  # answers as a working feed until `broken`
        self.broken = inner is None

    async def read(self):
        if self.broken:
            raise RuntimeError(f"unexpected answer from {self.secret}")
        read = await self.inner.read()
        read.feed = self.id
        read.bodies = [type(b)(f"{self.id}:{b.id.partition(':')[2]}", b.name, b.data) for b in read.bodies]
        return read


async def test_a_feed_that_raises_is_named_without_its_secret_and_the_other_feeds_events_are_collected(tmp_path):
    core = Core(clock=FixedClock(NOW))
    database = SearchDatabase(tmp_path / "search.db")
    (tmp_path / "work.ics").write_text(OUTLOOK)
    collector = IcsCalendarCollector(database, [tmp_path / "work.ics"], core.replace_calendar, core.clock,
                                     feeds=[_BrokenFeed()], state_dir=tmp_path)
    trigger = TriggerCollection(core.changes, [collector], core.jobs, core.clock, 0.0)
    await trigger("quick")
    await core.jobs.wait()
    system = (await core.state()).system
    assert system.status.value == "ERROR"
    assert _BrokenFeed.shown in system.message and "private-5f2b" not in system.message
    assert [c.title for c in (await core.state()).calendar] == ["Q1 budget review"]  # the file's event
    assert database.search("budget review")
    database.close()


async def test_a_feed_that_raises_after_a_good_run_keeps_its_events_on_the_board(tmp_path):
    from tests.fakes import FakeCalendarFeed

    core = Core(clock=FixedClock(NOW))
    database = SearchDatabase(tmp_path / "search.db")
    feed = _BrokenFeed(FakeCalendarFeed(documents={"team.ics": GOOGLE}))
    collector = IcsCalendarCollector(database, [], core.replace_calendar, core.clock, feeds=[feed],
                                     state_dir=tmp_path)
    await collector.collect("quick", _ignore_progress)
    before = (await core.state()).calendar
    assert any(c.title == "Team standup" for c in before)
    feed.broken = True
    with pytest.raises(ValueError, match="calendar https://calendar.example.com/private-"):
        await collector.collect("quick", _ignore_progress)
    assert (await core.state()).calendar == before
    assert database.search("standup")
    database.close()
