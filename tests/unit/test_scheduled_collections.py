"""AICOS_COLLECT_EVERY's rules, on a fake clock: when runs fall, and when one is skipped."""

import asyncio
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from src.adapters.outbound.collection_leases import InMemoryLease
from src.application.use_cases.get_state import GetSystemStatus
from src.application.use_cases.scheduled_collections import (
    SKIPPED_ELSEWHERE,
    SKIPPED_RUNNING,
    STARTED,
    ScheduledCollections,
)
from tests.fakes import FakeCollector, FixedClock
from tests.unit.core import Core

QUARTER = timedelta(minutes=15)


def schedule_of(core, period=QUARTER, lease=None):
    return ScheduledCollections(core.trigger_collection, core.jobs, core.repository, lease or InMemoryLease(),
                                core.clock, period)


@pytest.mark.parametrize("now, period, expected", [
    ("2026-11-25T09:07:00+00:00", QUARTER, "2026-11-25T09:15:00+00:00"),
    ("2026-11-25T09:15:00+00:00", QUARTER, "2026-11-25T09:30:00+00:00"),  # strictly after: not twice
    ("2026-11-25T09:59:59+00:00", timedelta(hours=1), "2026-11-25T10:00:00+00:00"),
    ("2026-11-25T09:00:01-05:00", timedelta(hours=1), "2026-11-25T10:00:00-05:00"),  # in the clock's zone
])
def test_runs_fall_on_multiples_of_the_period_so_every_process_agrees(now, period, expected):
    core = Core(clock=FixedClock(datetime.fromisoformat(now)))
    assert schedule_of(core, period).next_run().isoformat() == expected


def test_the_next_run_keeps_the_persons_zone():
    core = Core(clock=FixedClock(datetime(2026, 11, 25, 9, 7, tzinfo=ZoneInfo("Asia/Kolkata"))))
    # India is 5:30 ahead of UTC: quarters of UTC are quarters there too, an hour is on the half hour.
    assert schedule_of(core).next_run().strftime("%H:%M %Z") == "09:15 IST"
    assert schedule_of(core, timedelta(hours=1)).next_run().strftime("%H:%M") == "09:30"


async def test_a_due_run_starts_a_quick_collection():
    collector = FakeCollector("calendar")
    core = Core(collectors=[collector])
    schedule = schedule_of(core)
    assert await schedule.run_due(schedule.next_run()) == STARTED
    await core.jobs.wait()
    assert collector.runs == ["quick"]
    assert (await core.state()).system.status.value == "IDLE"


async def test_a_run_is_skipped_while_a_collection_runs_here():
    collector = FakeCollector(steps=100, delay=0.01)
    core = Core(collectors=[collector])
    await core.trigger_collection("full")
    await collector.started.wait()
    schedule = schedule_of(core)
    assert await schedule.run_due(schedule.next_run()) == SKIPPED_RUNNING
    await core.jobs.close()
    assert collector.runs == ["full"]  # no quick one beside it


@pytest.mark.parametrize("status", ["COLLECTING", "PROCESSING"])
async def test_a_run_is_skipped_while_another_process_collects(status):
    collector = FakeCollector()
    core = Core(collectors=[collector])
    await core.update_status(status=status)  # what a collection in another process shows on the shared state
    schedule = schedule_of(core)
    assert await schedule.run_due(schedule.next_run()) == SKIPPED_RUNNING
    assert collector.runs == []


async def test_of_processes_sharing_a_lease_one_runs_each_due_time():
    lease = InMemoryLease()
    first, second = FakeCollector("a"), FakeCollector("b")
    core_a, core_b = Core(collectors=[first]), Core(collectors=[second])
    due = schedule_of(core_a).next_run()
    assert await schedule_of(core_a, lease=lease).run_due(due) == STARTED
    assert await schedule_of(core_b, lease=lease).run_due(due) == SKIPPED_ELSEWHERE
    await core_a.jobs.wait()
    assert await schedule_of(core_b, lease=lease).run_due(due + QUARTER) == STARTED  # the next one is free
    await core_b.jobs.wait()
    assert (first.runs, second.runs) == (["quick"], ["quick"])


class Sleeper:
    """The schedule's sleep on a fake clock: moves the clock (`early` seconds short, as a timer that
    fires early) and lets the collection it started finish; cancels the loop after `naps` sleeps."""

    def __init__(self, core, naps, early=0.0):
        self.core, self.naps, self.early = core, naps, early
        self.slept = []

    async def __call__(self, seconds):
        if len(self.slept) == self.naps:
            raise asyncio.CancelledError
        self.slept.append(seconds)
        self.core.clock.advance(seconds=seconds - self.early)
        await self.core.jobs.wait()


def core_at_9_07():
    collector = FakeCollector()
    return Core(clock=FixedClock(datetime(2026, 11, 25, 9, 7, tzinfo=timezone.utc)), collectors=[collector]), collector


async def test_the_loop_sleeps_until_each_run_time_and_runs_it():
    core, collector = core_at_9_07()
    sleep = Sleeper(core, naps=3)
    with pytest.raises(asyncio.CancelledError):
        await schedule_of(core).run(sleep)
    await core.jobs.wait()
    assert sleep.slept == [8 * 60, 15 * 60, 15 * 60]  # 09:07 -> 09:15, then every quarter
    assert collector.runs == ["quick"] * 3  # one per run time; cancelled while waiting for the fourth


async def test_a_sleep_that_ends_early_does_not_run_the_same_time_twice():
    core, _ = core_at_9_07()
    sleep = Sleeper(core, naps=2, early=0.01)  # the timer fired 10 ms early
    with pytest.raises(asyncio.CancelledError):
        await schedule_of(core).run(sleep)
    assert sleep.slept[1] == pytest.approx(15 * 60 + 0.01)


def test_a_period_must_be_positive():
    with pytest.raises(ValueError):
        schedule_of(Core(), timedelta(0))


async def test_the_system_status_says_when_the_next_run_is():
    core = Core(clock=FixedClock(datetime.fromisoformat("2026-11-25T09:07:00+00:00")))
    system, next_run = await GetSystemStatus(core.repository, schedule_of(core))()
    assert system.status.value == "IDLE"
    assert next_run == datetime.fromisoformat("2026-11-25T09:15:00+00:00")


async def test_without_a_schedule_the_system_status_has_no_next_run():
    core = Core()
    system, next_run = await GetSystemStatus(core.repository, None)()
    assert system == (await core.state()).system and next_run is None
