"""DeriveItems after a collection: quick reads only what changed, a reader failure costs one message
and never the collection."""

from dataclasses import replace

from dependency_injector import providers

from src.domain.conversations import ChatMessage, Conversation, Workspace, WorkspaceUser
from tests.fakes import FakeCollector, FakeReader, FixedClock, RecordingBroadcaster, FakeSearchIndex
from tests.unit.core import container_over_fakes

USERS = (WorkspaceUser("U1", "Alex Morgan", "alex@example.com"), WorkspaceUser("U2", "Dana Lee", "dana@example.com"))


class StaticSource:
    def __init__(self, *messages: ChatMessage) -> None:
        self.workspace_now = Workspace(USERS, (Conversation("D1", "D1", "dm", ("U1", "U2"), messages),))

    async def workspace(self, conversation_ids=None, party=None) -> Workspace:
        return self.workspace_now


class CountingReader(FakeReader):
    def __init__(self, fail_on: str = "") -> None:
        self.read_ids: list[str] = []
        self.fail_on = fail_on

    def read(self, message, person):
        self.read_ids.append(message.id)
        if self.fail_on and self.fail_on in message.text:
            raise ValueError("the reader broke")
        return super().read(message, person)


def dana(ts: str, text: str) -> ChatMessage:
    return ChatMessage(ts=ts, user="U2", author="Dana Lee", text=text)


def app_over(source: StaticSource, reader: CountingReader, **settings):
    container = container_over_fakes(FixedClock(), RecordingBroadcaster(), FakeSearchIndex(), [FakeCollector("slack")],
                                     me=["U1"], **settings)
    container.conversation_store.override(providers.Object(source))
    container.message_reader.override(providers.Object(reader))
    return container


async def collect(container, mode: str):
    await container.trigger_collection()(mode)
    await container.collection_jobs().wait()
    return await container.state_repository().load()


async def test_quick_reads_only_new_and_edited_messages_and_full_reads_all():
    source = StaticSource(dana("100.0", "can you send the deck today?"), dana("101.0", "thanks"))
    reader = CountingReader()
    container = app_over(source, reader)
    state = await collect(container, "quick")
    assert [p.title for p in state.priorities] == ["can you send the deck today?"]
    reader.read_ids.clear()
    edited = dana("101.0", "thanks, and could you review the budget tomorrow?")
    source.workspace_now = replace(source.workspace_now, conversations=(
        replace(source.workspace_now.conversations[0], messages=(dana("100.0", "can you send the deck today?"),
                                                                  edited)),))
    state = await collect(container, "quick")
    assert reader.read_ids == ["D1/101.0"]
    assert [p.key for p in state.priorities] == ["slack:D1/100.0", "slack:D1/101.0"]
    reader.read_ids.clear()
    await collect(container, "full")
    assert sorted(reader.read_ids) == ["D1/100.0", "D1/101.0"]


async def test_a_message_the_reader_fails_on_is_skipped_and_counted_and_the_collection_succeeds():
    source = StaticSource(dana("100.0", "can you send the deck today?"), dana("101.0", "please sign BROKEN"))
    container = app_over(source, CountingReader(fail_on="BROKEN"))
    state = await collect(container, "quick")
    assert state.system.status.value == "IDLE"
    assert "1 message could not be read" in state.system.message
    assert [p.title for p in state.priorities] == ["can you send the deck today?"]


class BrokenSource:
    async def workspace(self, conversation_ids=None, party=None) -> Workspace:
        raise OSError("store unreadable")


async def test_reading_that_fails_as_a_whole_leaves_the_collection_finished_and_says_so():
    container = app_over(StaticSource(), CountingReader())
    container.conversation_store.override(providers.Object(BrokenSource()))
    state = await collect(container, "quick")
    assert state.system.status.value == "IDLE" and state.system.last_sync is not None
    assert "reading messages failed: store unreadable" in state.system.message


async def test_a_live_change_reads_only_its_conversation_and_leaves_the_others_items_as_they_are():
    from src.adapters.outbound.memory_conversations import MemoryConversations

    store = MemoryConversations()
    await store.put_users(USERS)
    await store.put_conversation(Conversation("D1", "D1", "dm", ("U1", "U2"), ()))
    await store.put_conversation(Conversation("D2", "D2", "dm", ("U1", "U2"), ()))
    await store.put_messages("D1", [dana("100.0", "can you send the deck today?")])
    await store.put_messages("D2", [dana("100.0", "could you review the budget tomorrow?")])
    reader = CountingReader()
    container = app_over(StaticSource(), reader)
    container.conversation_store.override(providers.Object(store))
    await collect(container, "quick")
    reader.read_ids.clear()
    await store.put_messages("D2", [dana("200.0", "and please sign the NDA")])
    await store.delete_message("D1", "100.0")  # gone, but D1 is not read again: its item stays until it is
    await container.derive_items().conversations_changed(["D2"])
    state = await container.state_repository().load()
    assert reader.read_ids == ["D2/200.0"]
    assert sorted(p.key for p in state.priorities) == ["slack:D1/100.0", "slack:D2/100.0", "slack:D2/200.0"]
    await container.derive_items().conversations_changed(["D1"])
    state = await container.state_repository().load()
    assert sorted(p.key for p in state.priorities) == ["slack:D2/100.0", "slack:D2/200.0"]
    assert reader.read_ids == ["D2/200.0"]  # nothing left to read in D1
