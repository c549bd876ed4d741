"""The calendar collector on .ics files as Google Calendar and Outlook write them."""

from datetime import datetime, timezone

import pytest

from src.adapters.outbound.ics_calendar import IcsCalendarCollector, read_calendars
from src.search.database import SearchDatabase
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


@pytest.fixture
def calendars(tmp_path):
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "google.ics").write_text(GOOGLE)
    (folder / "outlook.ics").write_text(OUTLOOK)
    return folder


def test_recurrences_exceptions_zones_and_all_day_events_land_on_the_board(calendars):
    board, indexed = read_calendars([calendars], NOW.date(), timezone.utc)
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


def test_a_file_that_is_not_a_calendar_and_a_missing_path_say_which(tmp_path):
    (tmp_path / "broken.ics").write_text("BEGIN:VCALENDAR\nthis is not ical\n")
    with pytest.raises(ValueError, match="broken.ics is not a calendar"):
        read_calendars([tmp_path / "broken.ics"], NOW.date(), timezone.utc)
    with pytest.raises(FileNotFoundError, match="calendar not found"):
        read_calendars([tmp_path / "nowhere.ics"], NOW.date(), timezone.utc)
