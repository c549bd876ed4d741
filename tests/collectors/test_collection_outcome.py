"""What a collection tells the person at its end: warnings leave it IDLE, said; a failure always says why."""

from src.application.ports import CollectionOutcome
from src.application.use_cases.trigger_collection import TriggerCollection
from tests.unit.core import Core


class Scripted:
    def __init__(self, name, outcome=None, error=None):
        self.name, self.outcome, self.error = name, outcome, error

    async def collect(self, mode, report):
        await report(1.0, f"{self.name}: done")
        if self.error is not None:
            raise self.error
        return self.outcome


async def finish(*collectors):
    core = Core()
    trigger = TriggerCollection(core.changes, list(collectors), core.jobs, core.clock, 0.0)
    await trigger("quick")
    await core.jobs.wait()
    return (await core.state()).system


async def test_warnings_end_the_run_idle_with_each_one_and_the_summaries_after_them():
    system = await finish(Scripted("calendar", CollectionOutcome("3 events", ("birthdays.ics: 1 skipped (RDATE)",))),
                          Scripted("slack", CollectionOutcome("12 messages indexed")))
    assert system.status.value == "IDLE" and system.last_sync is not None
    assert system.message == ("quick collection finished (2 sources) with 1 warning; calendar: birthdays.ics: "
                              "1 skipped (RDATE); calendar: 3 events; slack: 12 messages indexed")


async def test_an_error_without_a_message_is_named_by_its_kind():
    system = await finish(Scripted("slack", error=MemoryError()))
    assert system.status.value == "ERROR" and system.message == "collection failed for slack: MemoryError"
