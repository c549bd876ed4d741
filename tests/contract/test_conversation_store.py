"""The ConversationStore contract: a base class, and a short subclass per implementation (SQLite, and
the in-memory one tests and a service without a data folder use)."""

import pytest

from src.adapters.outbound.memory_conversations import MemoryConversations
from src.adapters.outbound.sqlite_conversations import SqliteConversations
from src.application.ports import ConversationStore
from datetime import timezone

from src.domain.conversations import ChatMessage, Conversation, WorkspaceUser
from src.domain.items import Person

DANA = WorkspaceUser("U02DANA", "Dana Lee", "dana@example.com", ("dana",))


def said(ts: str, text: str, *, edited: str | None = None, thread_ts: str | None = None) -> ChatMessage:
    return ChatMessage(ts=ts, user="U02DANA", author="Dana Lee", text=text, thread_ts=thread_ts, edited=edited,
                       files=("deck.pdf",) if "deck" in text else ())


def texts(workspace, conversation_id: str = "C1") -> dict[str, str]:
    conversation = next(c for c in workspace.conversations if c.id == conversation_id)
    return {m.ts: m.text for m in conversation.messages}


class ConversationStoreContract:
    """Subclass with `make_store(folder)`; `close(store)` releases it; `reopen(store, folder)` gives the
    store as a new process would find it (the same object for a store that lives in memory)."""

    def make_store(self, folder):
        raise NotImplementedError

    def close(self, store) -> None:
        pass

    def reopen(self, store, folder):
        return store

    @pytest.fixture
    def store(self, tmp_path):
        made = self.make_store(tmp_path)
        yield made
        self.close(made)

    async def test_it_is_a_conversation_store(self, store):
        assert isinstance(store, ConversationStore)

    async def test_an_empty_store_has_an_empty_workspace(self, store):
        workspace = await store.workspace()
        assert workspace.users == () and workspace.conversations == ()

    async def test_messages_come_back_oldest_first_with_their_conversation_and_users(self, store):
        await store.put_users([DANA])
        await store.put_conversation(Conversation("C1", "finance", "channel", ("U01ALEX", "U02DANA"), ()))
        assert await store.put_messages("C1", [said("200.5", "second"), said("100.25", "the deck, first",
                                                                               thread_ts="100.25")]) == 2
        workspace = await store.workspace()
        (conversation,) = workspace.conversations
        assert (conversation.id, conversation.name, conversation.kind, conversation.members) == (
            "C1", "finance", "channel", ("U01ALEX", "U02DANA"))
        assert conversation.messages == (said("100.25", "the deck, first", thread_ts="100.25"), said("200.5", "second"))
        assert workspace.user("dana") == DANA

    async def test_the_same_message_twice_is_one_and_changes_nothing_the_second_time(self, store):
        await store.put_messages("C1", [said("100.0", "hello")])
        assert await store.put_messages("C1", [said("100.0", "hello")]) == 0
        assert texts(await store.workspace()) == {"100.0": "hello"}

    async def test_a_newer_edit_replaces_the_message_and_an_older_copy_does_not(self, store):
        await store.put_messages("C1", [said("100.0", "draft")])
        assert await store.put_messages("C1", [said("100.0", "final", edited="150.0")]) == 1
        assert await store.put_messages("C1", [said("100.0", "draft")]) == 0  # an older backfill page
        assert await store.put_messages("C1", [said("100.0", "middle", edited="120.0")]) == 0
        assert texts(await store.workspace()) == {"100.0": "final"}

    async def test_an_edit_arriving_before_its_message_stays(self, store):
        await store.put_messages("C1", [said("100.0", "fixed typo", edited="130.0")])
        await store.put_messages("C1", [said("100.0", "fixd typo")])
        assert texts(await store.workspace()) == {"100.0": "fixed typo"}

    async def test_a_deleted_message_is_gone_and_never_comes_back(self, store, tmp_path):
        await store.put_messages("C1", [said("100.0", "keep"), said("101.0", "oops")])
        assert await store.delete_message("C1", "101.0") is True
        assert await store.delete_message("C1", "101.0") is False  # a retried deletion
        assert await store.put_messages("C1", [said("101.0", "oops"), said("101.0", "oops", edited="999.0")]) == 0
        store = self.reopen(store, tmp_path)
        assert await store.put_messages("C1", [said("101.0", "oops")]) == 0
        assert texts(await store.workspace()) == {"100.0": "keep"}

    async def test_a_deletion_before_its_message_is_remembered(self, store):
        assert await store.delete_message("C9", "100.0") is False
        await store.put_messages("C9", [said("100.0", "never seen"), said("101.0", "seen")])
        assert texts(await store.workspace(), "C9") == {"101.0": "seen"}

    async def test_messages_missing_from_a_whole_period_are_deleted_and_remembered(self, store):
        await store.put_messages("C1", [said("99.0", "before"), said("100.0", "a"), said("150.0", "b"),
                                        said("200.0", "c"), said("201.0", "after")])
        assert await store.delete_absent("C1", "100.0", "200.0", {"100.0", "200.0"}) == ["150.0"]
        await store.put_messages("C1", [said("150.0", "b")])
        assert texts(await store.workspace()) == {"99.0": "before", "100.0": "a", "200.0": "c", "201.0": "after"}

    async def test_messages_for_a_conversation_never_described_are_kept_under_its_id(self, store):
        await store.put_messages("C7", [said("100.0", "hi")])
        (conversation,) = (await store.workspace()).conversations
        assert (conversation.id, conversation.name, conversation.kind, conversation.members) == ("C7", "C7", "channel", ())
        await store.put_conversation(Conversation("C7", "launch", "private_channel", ("U02DANA",), ()))
        (conversation,) = (await store.workspace()).conversations
        assert (conversation.name, conversation.kind, len(conversation.messages)) == ("launch", "private_channel", 1)

    async def test_a_conversation_put_again_is_replaced_and_its_messages_stay(self, store):
        await store.put_conversation(Conversation("C1", "old-name", "channel", ("U1",), ()))
        await store.put_messages("C1", [said("100.0", "hi")])
        await store.put_conversation(Conversation("C1", "new-name", "channel", ("U1", "U2"), (said("5.0", "ignored"),)))
        (conversation,) = (await store.workspace()).conversations
        assert (conversation.name, conversation.members, texts(await store.workspace())) == (
            "new-name", ("U1", "U2"), {"100.0": "hi"})

    async def test_what_the_backfill_and_the_profiles_add_is_kept(self, store, tmp_path):
        # The workspace address makes permalinks; a job title weighs who asks (src/domain/urgency.py).
        await store.put_users([WorkspaceUser("U02DANA", "Dana Lee", None, (), "VP Finance")])
        await store.put_conversation(Conversation("C1", "finance", "channel", (), (), "https://acme.slack.com/"))
        await store.put_messages("C1", [said("100.0", "hi")])
        store = self.reopen(store, tmp_path)
        workspace = await store.workspace()
        assert workspace.users[0].title == "VP Finance"
        assert workspace.conversations[0].permalink_base == "https://acme.slack.com/"

    async def test_users_put_again_are_replaced(self, store):
        await store.put_users([DANA])
        await store.put_users([WorkspaceUser("U02DANA", "Dana Whitfield", None, ())])
        assert (await store.workspace()).users == (WorkspaceUser("U02DANA", "Dana Whitfield", None, ()),)

    async def test_the_workspace_of_some_conversations_holds_only_those_with_every_user(self, store):
        await store.put_users([DANA])
        await store.put_conversation(Conversation("D1", "D1", "dm", ("U01ALEX", "U02DANA"), ()))
        await store.put_messages("C1", [said("100.0", "channel")])
        await store.put_messages("C2", [said("100.0", "other")])
        workspace = await store.workspace(["C2", "D1", "C404"])
        assert sorted(c.id for c in workspace.conversations) == ["C2", "D1"]  # D1 described, no messages yet
        assert workspace.users == (DANA,)

    async def test_the_workspace_of_a_party_holds_their_private_conversations_and_their_threads(self, store):
        alex = Person(("U01ALEX", "Alex Morgan"), timezone.utc)
        await store.put_users([DANA, WorkspaceUser("U01ALEX", "Alex Morgan", "alex@example.com", ("alex",))])
        await store.put_conversation(Conversation("D1", "D1", "dm", ("U01ALEX", "U02DANA"), ()))
        await store.put_conversation(Conversation("D2", "D2", "dm", ("U02DANA", "U03SAM"), ()))
        await store.put_messages("D1", [said("1.0", "anything in the person's DM")])
        await store.put_messages("D2", [said("1.0", "a DM between others")])
        alex_says = ChatMessage(ts="3.0", user="U01ALEX", author="Alex Morgan", text="on it", thread_ts="2.0")
        await store.put_messages("C1", [
            said("2.0", "who can take this?", thread_ts="2.0"), alex_says,  # a thread Alex wrote in
            said("4.0", "<@U01ALEX> see above"), said("5.0", "hey @alex, lunch?"),  # mentions, two ways
            said("6.0", "nothing for Alex", thread_ts="6.0"), said("7.0", "still nothing", thread_ts="6.0"),
        ])
        workspace = await store.workspace(party=alex)
        assert sorted(c.id for c in workspace.conversations) == ["C1", "D1"]
        assert list(texts(workspace, "C1")) == ["2.0", "3.0", "4.0", "5.0"]
        assert texts(workspace, "D1") == {"1.0": "anything in the person's DM"}
        assert len(workspace.users) == 2
        (channel,) = (await store.workspace(["C1"], party=alex)).conversations
        assert [m.ts for m in channel.messages] == ["2.0", "3.0", "4.0", "5.0"]

    async def test_a_party_of_no_one_gives_the_descriptions_and_users_without_messages(self, store):
        await store.put_users([DANA])
        await store.put_conversation(Conversation("C1", "finance", "channel", (), ()))
        await store.put_messages("C1", [said("1.0", "@dana hi")])
        await store.put_messages("C2", [said("1.0", "undescribed")])
        workspace = await store.workspace(["C1", "C2"], party=Person((), timezone.utc))
        assert [(c.id, c.name, c.messages) for c in workspace.conversations] == [("C1", "finance", ())]
        assert workspace.users == (DANA,)

    async def test_excerpts_hold_a_threads_root_and_replies_and_nothing_else_of_the_channel(self, store):
        await store.put_users([DANA])
        await store.put_conversation(Conversation("C1", "finance", "channel", (), ()))
        await store.put_messages("C1", [
            said("100.0", "budget numbers?"), said("101.0", "sounds good", thread_ts="100.0"),
            said("102.0", "unrelated"), said("103.0", "I'll update the sheet", thread_ts="100.0"),
            said("104.0", "another thread", thread_ts="104.0"), said("105.0", "its reply", thread_ts="104.0"),
        ])
        await store.put_messages("C2", [said("100.0", "same ts, other channel", thread_ts="100.0")])
        await store.delete_message("C1", "103.0")
        workspace = await store.excerpts([("C1", "100.0"), ("C9", "1.0")])
        assert [(c.id, c.name, c.kind) for c in workspace.conversations] == [("C1", "finance", "channel")]
        assert texts(workspace) == {"100.0": "budget numbers?", "101.0": "sounds good"}  # deleted stays gone
        assert workspace.users == (DANA,)

    async def test_excerpts_around_a_moment_hold_the_conversations_messages_within_the_window(self, store):
        await store.put_conversation(Conversation("D1", "DM Alex Morgan, Dana Lee", "dm", ("U01ALEX", "U02DANA"), ()))
        await store.put_messages("D1", [said(ts, f"at {ts}") for ts in ("1000.0", "4000.0", "5000.0", "9000.0",
                                                                          "20000.0")])
        workspace = await store.excerpts([], around=[("D1", "5000.0"), ("D1", "9000.0")], within_s=3600)
        assert list(texts(workspace, "D1")) == ["4000.0", "5000.0", "9000.0"]  # oldest first, each once
        assert (await store.excerpts([], around=[("D2", "5000.0")], within_s=3600)).conversations == ()

    async def test_cursors_are_kept_per_conversation(self, store, tmp_path):
        assert await store.cursor("C1") is None
        await store.set_cursor("C1", "100.0")
        await store.set_cursor("C1", "200.0")
        await store.set_cursor("C2", "5.0")
        store = self.reopen(store, tmp_path)
        assert (await store.cursor("C1"), await store.cursor("C2")) == ("200.0", "5.0")


class TestMemoryConversations(ConversationStoreContract):
    def make_store(self, folder):
        return MemoryConversations()


class TestSqliteConversations(ConversationStoreContract):
    def make_store(self, folder):
        self.opened = [SqliteConversations(folder / "conversations.db")]
        return self.opened[0]

    def reopen(self, store, folder):
        self.opened.append(SqliteConversations(folder / "conversations.db"))
        return self.opened[-1]

    def close(self, store) -> None:
        for opened in self.opened:
            opened.close()


def test_the_sqlite_store_keeps_its_file_private(tmp_path):
    import os
    import stat

    from src.data_files import make_data_private

    umask = os.umask(0o022)
    make_data_private(tmp_path / "data", tmp_path / "data" / "search.db")  # what `aicos serve` does first
    store = SqliteConversations(tmp_path / "data" / "conversations.db")
    try:
        assert stat.S_IMODE(os.stat(tmp_path / "data" / "conversations.db").st_mode) == 0o600
    finally:
        store.close()
        os.umask(umask)


async def test_excerpts_do_not_wait_for_the_stores_writer(tmp_path):
    """A brief reads threads while a collection holds the writer (a big batch): it reads on its own
    connection, so it gets what was committed instead of queueing behind the batch."""
    import asyncio

    store = SqliteConversations(tmp_path / "conversations.db")
    try:
        await store.put_messages("C1", [said("100.0", "budget numbers?"), said("101.0", "on it", thread_ts="100.0")])
        with store._lock:  # the writer busy, as during a collection's batch
            workspace = await asyncio.wait_for(store.excerpts([("C1", "100.0")]), timeout=30)
        assert texts(workspace) == {"100.0": "budget numbers?", "101.0": "on it"}
    finally:
        store.close()
