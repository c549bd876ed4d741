"""The Collector and Clock contracts, one short subclass per implementation.

The Collector suite itself ships with the service (src/testing/collector_contract.py), so that a
collector written elsewhere runs it too: tests/collectors/test_outside_collector.py does.
"""

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from src.adapters.outbound.archive_collector import ArchiveCollector
from src.adapters.outbound.clock import SystemClock
from src.adapters.outbound.ics_calendar import IcsCalendarCollector
from src.adapters.outbound.slack_export import SlackExportCollector
from src.search.database import SearchDatabase
from src.testing.collector_contract import CollectorContract
from tests.collectors.test_ics_calendar import OUTLOOK
from tests.collectors.test_slack_export import write_export
from tests.fakes import FakeCollector, FixedClock
from tests.unit.core import Core


class OnASearchDatabase(CollectorContract):
    """Built-in collectors write to a SearchDatabase of their own folder."""

    def database(self, folder):
        self.opened = SearchDatabase(folder / "search.db")
        return self.opened

    def close(self) -> None:
        self.opened.close()


class TestFakeCollector(CollectorContract):
    def make_collector(self, folder):
        return FakeCollector("fake", steps=5)


class TestArchiveCollector(OnASearchDatabase):
    def make_collector(self, folder):
        for day in ("2026-11-24", "2026-11-25"):
            (folder / "archive" / "slack" / day).mkdir(parents=True)
            (folder / "archive" / "slack" / day / "data.jsonl").write_text(json.dumps({"ts": "1", "text": day}) + "\n")
        return ArchiveCollector(self.database(folder), folder / "archive")


class TestSlackExportCollector(OnASearchDatabase):
    def make_collector(self, folder):
        return SlackExportCollector(self.database(folder), [write_export(folder / "export")])


class TestIcsCalendarCollector(OnASearchDatabase):
    def make_collector(self, folder):
        (folder / "work.ics").write_text(OUTLOOK)
        core = Core()
        return IcsCalendarCollector(self.database(folder), [folder / "work.ics"], core.replace_calendar, core.clock)


class SilentCollector:
    name = "silent"

    async def collect(self, mode, report) -> None:
        pass  # works, and never says how far it is


class SilentCollectorSuite(CollectorContract):  # not collected: run by hand below
    def make_collector(self, folder):
        return SilentCollector()


@pytest.mark.parametrize("mode", CollectorContract.modes)
async def test_the_collector_suite_fails_a_collector_that_reports_no_progress(mode):
    with pytest.raises(AssertionError, match="must report its progress"):
        await SilentCollectorSuite().test_it_reports_progress_from_0_to_1_in_order_and_ends_at_1(SilentCollector(), mode)


# -- the Clock contract ----------------------------------------------------------------------------------

class ClockContract:
    zone = ZoneInfo("America/New_York")

    def make_clock(self, zone):
        raise NotImplementedError

    def test_it_gives_aware_times_that_never_go_back(self):
        clock = self.make_clock(self.zone)
        first, second = clock.now(), clock.now()
        assert first.tzinfo is not None and second >= first

    def test_it_runs_in_the_persons_zone(self):
        offset = self.make_clock(self.zone).now().utcoffset()
        assert offset in (timedelta(hours=-5), timedelta(hours=-4))


class TestSystemClock(ClockContract):
    def make_clock(self, zone):
        return SystemClock(zone)


class TestFixedClock(ClockContract):
    def make_clock(self, zone):
        return FixedClock(datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc).astimezone(zone))
