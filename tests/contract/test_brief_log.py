"""The BriefLog contract: a base class, and a short subclass per implementation."""

from datetime import datetime, timedelta, timezone

import pytest

from src.adapters.outbound.brief_log import InMemoryBriefLog, SqliteBriefLog
from src.application.ports import BriefLog
from src.domain.briefs import DailyMark

AT = datetime(2026, 11, 25, 7, 30, tzinfo=timezone(timedelta(hours=-5)))


class BriefLogContract:
    """Subclass with `make_log(folder)`; every test below then runs against it."""

    def make_log(self, folder):
        raise NotImplementedError

    @pytest.fixture
    def log(self, tmp_path):
        made = self.make_log(tmp_path)
        yield made
        made.close()

    async def test_it_is_a_brief_log(self, log):
        assert isinstance(log, BriefLog)

    async def test_before_the_first_daily_brief_there_is_no_mark(self, log):
        assert await log.last_daily() is None

    async def test_the_last_mark_replaces_the_one_before_with_its_moment_and_keys(self, log):
        await log.record_daily(DailyMark(AT, frozenset({"slack:D1/1", "slack:D1/2"})))
        await log.record_daily(DailyMark(AT + timedelta(days=1), frozenset({"slack:D1/3"})))
        mark = await log.last_daily()
        assert mark == DailyMark(AT + timedelta(days=1), frozenset({"slack:D1/3"}))
        assert mark.at.utcoffset() == timedelta(hours=-5)


class TestInMemoryBriefLog(BriefLogContract):
    def make_log(self, folder):
        return InMemoryBriefLog()


class TestSqliteBriefLog(BriefLogContract):
    def make_log(self, folder):
        return SqliteBriefLog(folder / "briefs.db")

    async def test_the_mark_survives_a_restart(self, tmp_path):
        first = SqliteBriefLog(tmp_path / "briefs.db")
        await first.record_daily(DailyMark(AT, frozenset({"k"})))
        first.close()
        again = SqliteBriefLog(tmp_path / "briefs.db")
        assert await again.last_daily() == DailyMark(AT, frozenset({"k"}))
        again.close()
