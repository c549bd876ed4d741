
import pytest

from src.domain.errors import Conflict, InvalidInput
from tests.fakes import FakeCollector, FixedClock
from tests.unit.core import Core


def statuses(core: Core) -> list[tuple[str, int, str | None]]:
    return [(s.system.status.value, s.system.progress, s.system.message) for s in core.broadcaster.delivered]


async def test_a_collection_goes_collecting_processing_idle_with_last_sync():
    core = Core(collectors=[FakeCollector("slack", steps=2), FakeCollector("calendar", steps=2)])
    job = await core.trigger_collection("full")
    assert job.mode == "full"
    await core.jobs.wait()
    seen = statuses(core)
    assert seen[0] == ("COLLECTING", 0, "starting full collection")
    progress = [p for status, p, _ in seen if status == "COLLECTING"]
    assert progress == sorted(progress) and max(progress) == 100
    assert any("slack" in (m or "") for _, _, m in seen) and any("calendar" in (m or "") for _, _, m in seen)
    assert seen[-2][0] == "PROCESSING"
    final = (await core.state()).system
    assert final.status.value == "IDLE" and final.last_sync == core.clock.now()


async def test_a_second_trigger_while_one_runs_is_a_conflict_and_changes_nothing():
    collector = FakeCollector(steps=100, delay=0.01)
    core = Core(collectors=[collector])
    await core.trigger_collection("quick")
    version = (await core.state()).meta.version
    with pytest.raises(Conflict):
        await core.trigger_collection("full")
    assert (await core.state()).meta.version == version
    await core.jobs.close()


async def test_an_unknown_collection_type_is_refused():
    with pytest.raises(InvalidInput):
        await Core().trigger_collection("weekly")


async def test_a_failing_collector_sets_error_naming_the_source_and_the_others_still_run():
    broken = FakeCollector("slack", fail_with=RuntimeError("export folder missing"))
    healthy = FakeCollector("calendar")
    core = Core(collectors=[broken, healthy])
    await core.trigger_collection("quick")
    await core.jobs.wait()
    system = (await core.state()).system
    assert system.status.value == "ERROR"
    assert system.message == "collection failed for slack: export folder missing"
    assert healthy.runs == ["quick"]


async def test_progress_reaches_clients_at_most_about_ten_times_a_second():
    fast = FakeCollector("chatty", steps=2000, delay=0)  # reports as fast as it can
    core = Core(collectors=[fast], progress_interval=0.1)

    await core.trigger_collection("quick")
    await core.jobs.wait()
    collecting = [s for s in statuses(core) if s[0] == "COLLECTING"]
    assert len(collecting) < 10  # 2,000 reports, a fraction of a second: a handful of broadcasts


async def test_shutting_down_mid_collection_cancels_it_and_says_interrupted():
    collector = FakeCollector(steps=1000, delay=0.01)
    core = Core(collectors=[collector])
    await core.trigger_collection("quick")
    await collector.started.wait()
    await core.jobs.close()
    system = (await core.state()).system
    assert system.status.value == "ERROR" and "interrupted" in system.message
    assert core.jobs.current is None
    await core.trigger_collection("quick")  # the slot is free again
    await core.jobs.close()


class ClockedCollector(FakeCollector):
    """Reports a step every 'second' of the clock port: no time passes on the machine's own clock."""

    def __init__(self, clock, steps: int) -> None:
        super().__init__("clocked", steps=steps)
        self.clock = clock

    async def collect(self, mode, report) -> None:
        for step in range(1, self.steps + 1):
            self.clock.advance(seconds=1)
            await report(step / self.steps, f"clocked: step {step}")


async def test_progress_is_throttled_by_the_clock_port_not_the_machines_clock():
    clock = FixedClock()
    core = Core(clock=clock, collectors=[ClockedCollector(clock, steps=5)], progress_interval=0.1)
    await core.trigger_collection("quick")
    await core.jobs.wait()
    progress = [p for status, p, _ in statuses(core) if status == "COLLECTING"]
    assert progress == [0, 0, 20, 40, 60, 80, 100]  # start, the collector's start, then every step


async def test_a_source_failing_the_same_way_run_after_run_logs_its_traceback_once(caplog):
    """With AICOS_COLLECT_EVERY a laptop offline would log the same traceback every period."""
    import logging

    caplog.set_level(logging.WARNING, logger="src.application.use_cases.trigger_collection")
    calendar = FakeCollector("calendar", steps=1, fail_with=ValueError("calendar https://x/***: no answer"))
    core = Core(collectors=[calendar])
    for _ in range(3):
        await core.trigger_collection("quick")
        await core.jobs.wait()
    records = [r for r in caplog.records if "calendar" in r.getMessage()]
    assert len(records) == 3 and [r.exc_info is not None for r in records] == [True, False, False]
    assert "still failing" in records[1].getMessage() and "no answer" in records[1].getMessage()
    assert (await core.state()).system.message.endswith("calendar https://x/***: no answer")
    calendar.fail_with = None
    await core.trigger_collection("quick")
    await core.jobs.wait()
    calendar.fail_with = ValueError("calendar https://x/***: no answer")
    await core.trigger_collection("quick")  # failing again after a good run: a new spell, told in full
    await core.jobs.wait()
    assert [r.exc_info is not None for r in caplog.records if "calendar" in r.getMessage()][-1]
