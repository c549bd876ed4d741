"""Which calendar records the index keeps, whatever the feed: on fake feeds, a real search database."""

import asyncio
from datetime import datetime, timezone

import pytest

from src.adapters.outbound.ics_calendar import IcsCalendarCollector
from src.search.database import SearchDatabase
from tests.fakes import FakeCalendarFeed, FixedClock
from tests.unit.core import Core

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)


def calendar(*events: tuple[str, str, str]) -> str:
    body = "".join(f"BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:{title}\r\nDTSTART:{start}\r\nEND:VEVENT\r\n"
                   for uid, title, start in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n"


async def _ignore(fraction, message):
    await asyncio.sleep(0)


@pytest.fixture
def world(tmp_path):
    class World:
        core = Core(clock=FixedClock(NOW))
        database = SearchDatabase(tmp_path / "search.db")
        work = FakeCalendarFeed("work", {"a.ics": calendar(("a", "Budget review", "20261125T150000Z")),
                                         "b.ics": calendar(("b", "Hiring sync", "20261126T100000Z"))})
        home = FakeCalendarFeed("home", {"h.ics": calendar(("h", "Dentist", "20261126T080000Z"))})

        def collector(self):
            return IcsCalendarCollector(self.database, [], self.core.replace_calendar, self.core.clock,
                                        [self.work, self.home], tmp_path / "calendars")

        def found(self, words):
            return bool(self.database.search(words, source="calendar"))

    made = World()
    yield made
    made.database.close()


async def test_a_document_gone_from_a_feed_that_answered_leaves_the_index(world):
    await world.collector().collect("quick", _ignore)
    del world.work.documents["b.ics"]
    await world.collector().collect("quick", _ignore)  # a new collector: what was indexed is read from disk
    assert not world.found("hiring") and world.found("budget") and world.found("dentist")


async def test_a_failing_feed_keeps_its_records_and_the_others_follow(world):
    collector = world.collector()
    await collector.collect("quick", _ignore)
    world.work.failing = "away"
    del world.home.documents["h.ics"]
    with pytest.raises(ValueError, match="work: away"):
        await collector.collect("quick", _ignore)
    assert world.found("hiring") and world.found("budget")  # the failing feed's last good events
    assert not world.found("dentist")  # the feed that answered said it is gone
    assert [c.title for c in (await world.core.state()).calendar] == ["Budget review", "Hiring sync"]


async def test_a_document_that_cannot_be_read_keeps_its_records(world):
    collector = world.collector()
    await collector.collect("quick", _ignore)
    world.work.documents["b.ics"] = "this is no calendar"
    with pytest.raises(ValueError, match="b.ics"):
        await collector.collect("quick", _ignore)
    assert world.found("hiring") and world.found("budget")


async def test_an_unchanged_document_is_not_read_again_the_same_day_but_is_the_next(world):
    collector = world.collector()
    await collector.collect("quick", _ignore)
    await collector.collect("quick", _ignore)
    assert collector.documents_read == 3
    world.core.clock.advance(days=1)  # the window moved: recurrences may enter it
    await collector.collect("quick", _ignore)
    assert collector.documents_read == 6


async def test_the_summary_says_how_many_documents_the_feeds_fetched(world):
    collector = world.collector()
    outcome = await collector.collect("quick", _ignore)
    assert outcome.summary == "3 events, 3 on the board; 3 documents fetched, 3 events indexed, 0 removed"
    del world.work.documents["b.ics"], world.home.documents["h.ics"]
    outcome = await collector.collect("quick", _ignore)  # a.ics unchanged: fetched, not indexed again
    assert outcome.summary == "1 event, 1 on the board; 1 document fetched, 0 events indexed, 2 removed"
