"""The use cases wired by hand over fakes: what a unit test of the application layer needs."""

from __future__ import annotations

from dataclasses import dataclass, field

from src.adapters.outbound.memory_state import InMemoryStateRepository
from src.application.changes import StateChanges
from src.application.use_cases.execute_command import ExecuteCommand
from src.application.use_cases.replace_board import ReplaceCalendar, ReplaceCommitments, ReplacePriorities
from src.application.use_cases.trigger_collection import CollectionJobs, TriggerCollection
from src.application.use_cases.update_status import UpdateStatus
from tests.fakes import FakeSearchIndex, FixedClock, RecordingBroadcaster


@dataclass
class Core:
    clock: FixedClock = field(default_factory=FixedClock)
    broadcaster: RecordingBroadcaster = field(default_factory=RecordingBroadcaster)
    search: FakeSearchIndex = field(default_factory=FakeSearchIndex)
    collectors: list = field(default_factory=list)
    progress_interval: float = 0.0

    def __post_init__(self) -> None:
        self.repository = InMemoryStateRepository(self.clock)
        self.changes = StateChanges(self.repository, self.broadcaster)
        self.jobs = CollectionJobs()
        self.update_status = UpdateStatus(self.changes)
        self.replace_calendar = ReplaceCalendar(self.changes, self.clock)
        self.replace_priorities = ReplacePriorities(self.changes, self.clock)
        self.replace_commitments = ReplaceCommitments(self.changes, self.clock)
        self.trigger_collection = TriggerCollection(
            self.changes, self.collectors, self.jobs, self.clock, self.progress_interval
        )
        self.execute_command = ExecuteCommand(
            self.changes, self.repository, self.search, self.trigger_collection, self.clock
        )

    async def state(self):
        return await self.repository.load()
