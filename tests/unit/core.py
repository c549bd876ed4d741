"""The use cases as production builds them (`create_container`), with the ports overridden by fakes:
what a unit test of the application layer needs (cosmicpython's `bootstrap_test_app` shape)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dependency_injector import providers

from src.adapters.outbound.people_directory import InMemoryPeopleDirectory
from src.adapters.outbound.memory_conversations import MemoryConversations
from src.bootstrap import Container, create_container
from src.config import Settings
from tests.fakes import FakeSearchIndex, FixedClock, RecordingBroadcaster


def container_over_fakes(
    clock: FixedClock, broadcaster: RecordingBroadcaster, search: FakeSearchIndex, collectors=(),
    progress_interval: float = 0.0, **settings,
) -> Container:
    """The production container on an in-memory state and conversation store, its clock, broadcaster,
    search index and collectors replaced by the given fakes."""
    container = create_container(Settings(_env_file=None, state_backend="memory", **settings))
    container.clock.override(providers.Object(clock))
    container.broadcaster.override(providers.Object(broadcaster))
    container.search_index.override(providers.Object(search))
    container.people_directory.override(providers.Object(InMemoryPeopleDirectory(settings.get("me", ()))))
    container.conversation_store.override(providers.Object(MemoryConversations()))
    container.collectors.override(providers.List(*(providers.Object(c) for c in collectors)))
    container.trigger_collection.add_kwargs(progress_interval=progress_interval)
    return container




@dataclass
class Core:
    clock: FixedClock = field(default_factory=FixedClock)
    broadcaster: RecordingBroadcaster = field(default_factory=RecordingBroadcaster)
    search: FakeSearchIndex = field(default_factory=FakeSearchIndex)
    collectors: list = field(default_factory=list)
    progress_interval: float = 0.0

    def __post_init__(self) -> None:
        self.container = container_over_fakes(self.clock, self.broadcaster, self.search, self.collectors,
                                        self.progress_interval)
        self.repository = self.container.state_repository()
        self.changes = self.container.changes()
        self.jobs = self.container.collection_jobs()
        self.update_status = self.container.update_status()
        self.replace_calendar = self.container.replace_calendar()
        self.replace_priorities = self.container.replace_priorities()
        self.replace_commitments = self.container.replace_commitments()
        self.trigger_collection = self.container.trigger_collection()
        self.execute_command = self.container.execute_command()

    async def state(self):
        return await self.repository.load()
