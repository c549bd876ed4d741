"""The Collector and Clock contracts (real collectors join the collector suite in their own issue)."""

import pytest

import json

from src.adapters.outbound.archive_collector import ArchiveCollector
from src.adapters.outbound.clock import SystemClock
from src.adapters.outbound.ics_calendar import IcsCalendarCollector
from tests.collectors.test_ics_calendar import OUTLOOK
from tests.unit.core import Core
from src.adapters.outbound.slack_export import SlackExportCollector
from tests.collectors.test_slack_export import write_export
from src.search.database import SearchDatabase
from tests.fakes import FakeCollector, FixedClock


@pytest.fixture(params=["fake", "archives", "slack_export", "ics_calendar"])
def collector(request, tmp_path):
    if request.param == "fake":
        yield FakeCollector("fake", steps=5)
        return
    if request.param == "ics_calendar":
        (tmp_path / "work.ics").write_text(OUTLOOK)
        core = Core()
        database = SearchDatabase(tmp_path / "search.db")
        yield IcsCalendarCollector(database, [tmp_path / "work.ics"], core.replace_calendar, core.clock)
        database.close()
        return
    if request.param == "slack_export":
        database = SearchDatabase(tmp_path / "search.db")
        yield SlackExportCollector(database, [write_export(tmp_path / "export")])
        database.close()
        return
    for day in ("2026-11-24", "2026-11-25"):
        folder = tmp_path / "archive" / "slack" / day
        folder.mkdir(parents=True)
        (folder / "data.jsonl").write_text(json.dumps({"ts": "1", "text": f"note {day}"}) + "\n")
    database = SearchDatabase(tmp_path / "search.db")
    yield ArchiveCollector(database, tmp_path / "archive")
    database.close()


async def test_a_collector_has_a_name_and_reports_progress_from_0_to_1_in_order(collector):
    reports = []

    async def report(fraction, message):
        reports.append(fraction)

    await collector.collect("quick", report)
    assert isinstance(collector.name, str) and collector.name
    assert reports == sorted(reports) and all(0 <= f <= 1 for f in reports)


@pytest.mark.parametrize("clock", [SystemClock(), FixedClock()], ids=["system", "fixed"])
def test_a_clock_gives_aware_times_that_never_go_back(clock):
    first, second = clock.now(), clock.now()
    assert first.tzinfo is not None and second >= first
